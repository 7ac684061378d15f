// The published package, built and packed once for the tests that need it (tests/package.test.ts,
// tests/runtimes/matrix.test.ts): `rollup -c` into dist/, `npm pack`, and a consumer directory
// with the tarball installed (node_modules/simdgrad as a user gets it, not the source tree).
// Contract: packed() resolves to the paths below. A cached step: it rebuilds only when something
// the package is made of (src/, build/*.wasm, package.json, rollup.config.mjs,
// tsconfig*.json) is newer than the last pack; a lock directory makes test files that start
// together wait for one build instead of racing on dist/.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const exec = promisify(execFile);
export const root = fileURLToPath(new URL('../..', import.meta.url));
const cache = join(root, 'node_modules', '.cache', 'simdgrad-pack');

export interface Packed {
  /** The .tgz from `npm pack`. */
  tarball: string;
  /** A directory with package.json and node_modules/simdgrad installed from the tarball. */
  consumer: string;
  /** Milliseconds spent building (0 when the cached pack was fresh). */
  buildMs: number;
}

function newest(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((f) => newest(join(path, f))));
}

function inputsTime(): number {
  const wasm = readdirSync(join(root, 'build')).filter((f) => f.endsWith('.wasm')).map((f) => join('build', f));
  return Math.max(...['src', 'package.json', 'rollup.config.mjs', 'tsconfig.json', 'tsconfig.build.json', ...wasm]
    .map((p) => newest(join(root, p))));
}

async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  const lock = join(cache, 'lock');
  mkdirSync(cache, { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another test file is building; a lock older than 10 minutes is left over from a crash.
      try { if (Date.now() - statSync(lock).mtimeMs > 600_000) rmSync(lock, { recursive: true, force: true }); } catch { /* gone */ }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try { return await fn(); } finally { rmSync(lock, { recursive: true, force: true }); }
}

async function build(): Promise<Packed> {
  const t0 = performance.now();
  await exec(process.execPath, ['node_modules/rollup/dist/bin/rollup', '-c', '--silent'], { cwd: root, maxBuffer: 1 << 24 });
  const npm = { cwd: root, env: { ...process.env, npm_config_update_notifier: 'false' }, maxBuffer: 1 << 24 };
  for (const f of readdirSync(cache)) if (f.endsWith('.tgz')) rmSync(join(cache, f));
  const { stdout } = await exec('npm', ['pack', '--json', '--pack-destination', cache], npm);
  const tarball = join(cache, (JSON.parse(stdout) as { filename: string }[])[0]!.filename);
  const consumer = join(cache, 'consumer');
  rmSync(consumer, { recursive: true, force: true });
  mkdirSync(consumer, { recursive: true });
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'simdgrad-consumer', private: true }));
  await exec('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--prefer-offline', tarball],
    { ...npm, cwd: consumer });
  return { tarball, consumer, buildMs: performance.now() - t0 };
}

/** Builds, packs and installs the package once; later calls (and test files) reuse it. */
export function packed(): Promise<Packed> {
  return withLock(async () => {
    const stampFile = join(cache, 'stamp.json');
    await exec(process.execPath, ['scripts/build-wasm.mjs'], { cwd: root });   // cached by mtime
    const inputs = inputsTime();
    if (existsSync(stampFile)) {
      const stamp = JSON.parse(readFileSync(stampFile, 'utf8')) as { inputs: number; packed: Packed };
      if (stamp.inputs === inputs && existsSync(stamp.packed.tarball) &&
        existsSync(join(stamp.packed.consumer, 'node_modules', 'simdgrad', 'package.json'))) {
        return { ...stamp.packed, buildMs: 0 };
      }
    }
    const p = await build();
    writeFileSync(stampFile, JSON.stringify({ inputs, packed: p }));
    return p;
  });
}
