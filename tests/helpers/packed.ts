// The published package, packed once for the tests and benchmarks that need it
// (tests/package.test.ts, tests/runtime-matrix/matrix.test.ts, bench/size.ts), as a user's `npm pack`
// / `npm publish` would make it on a fresh clone: the repository's files are copied without
// node_modules/, dist/ and build/ (node_modules linked back in, as `npm ci` would fill it), and
// `npm pack` runs there, so the package's `prepack` script is what builds the wasm and dist/.
// The tarball is then installed in a consumer directory (node_modules/simdgrad as a user gets
// it, not the source tree).
// Contract: packed() resolves to the paths below. A cached step: it packs again only when a file
// the package is made of (everything in the repository but tests/, bench/, .ci/ and the browser
// demo), or this file, is newer than the last pack, or when files were added or removed; a lock directory makes
// test files that start together wait for one build instead of racing.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const exec = promisify(execFile);
export const root = fileURLToPath(new URL('../..', import.meta.url));
const cache = join(root, 'node_modules', '.cache', 'simdgrad-pack');
const npmEnv = { ...process.env, npm_config_update_notifier: 'false' };

export interface Packed {
  /** The .tgz from `npm pack`. */
  tarball: string;
  /** The paths in the tarball, relative to its package/ directory (npm pack's own listing). */
  files: string[];
  /** A directory with package.json and node_modules/simdgrad installed from the tarball. */
  consumer: string;
  /** The installed package: consumer/node_modules/simdgrad. */
  pkg: string;
  /** Milliseconds spent building (0 when the cached pack was fresh). */
  buildMs: number;
}

/** What a fresh clone does not have: ignored by git, made by `npm ci` and the build. */
const NOT_CLONED = new Set(['.git', 'node_modules', 'dist', 'build', 'report.html']);
/** Repository parts that do not go into the package: editing them needs no new pack. */
const NOT_PACKAGE_INPUTS = ['tests', 'bench', '.ci', join('examples', 'browser')];

const cloned = (path: string) => !relative(root, path).split(sep).some((part) => NOT_CLONED.has(part));

/** The newest mtime and the number of files under the package's inputs. */
function inputsStamp(): string {
  let newest = 0, count = 0;
  const visit = (path: string) => {
    const rel = relative(root, path);
    if (!cloned(path) || NOT_PACKAGE_INPUTS.includes(rel)) return;
    const st = statSync(path);
    if (st.isDirectory()) for (const f of readdirSync(path)) visit(join(path, f));
    else { newest = Math.max(newest, st.mtimeMs); count++; }
  };
  visit(root);
  newest = Math.max(newest, statSync(fileURLToPath(import.meta.url)).mtimeMs);   // and how it is packed
  return `${newest}:${count}`;
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

/** `npm pack` in a fresh copy of the repository: prepack builds it; returns the tarball and its listing. */
async function pack(): Promise<{ tarball: string; files: string[] }> {
  // Outside node_modules/: rollup-plugin-dts leaves files under a node_modules path unbundled.
  const clone = mkdtempSync(join(tmpdir(), 'simdgrad-clone-'));
  try {
    for (const f of readdirSync(root)) if (cloned(join(root, f))) cpSync(join(root, f), join(clone, f), { recursive: true, filter: cloned });
    if (existsSync(join(clone, 'dist')) || existsSync(join(clone, 'build'))) throw new Error(`packed: ${clone} is not a fresh clone`);
    symlinkSync(join(root, 'node_modules'), join(clone, 'node_modules'), 'dir');
    for (const f of readdirSync(cache)) if (f.endsWith('.tgz')) rmSync(join(cache, f));
    // --foreground-scripts=false: prepack's output stays out of stdout, which is the JSON listing.
    const { stdout } = await exec('npm', ['pack', '--json', '--foreground-scripts=false', '--pack-destination', cache],
      { cwd: clone, env: npmEnv, maxBuffer: 1 << 26 });
    const listing = (JSON.parse(stdout) as { filename: string; files: { path: string }[] }[])[0]!;
    return { tarball: join(cache, listing.filename), files: listing.files.map((f) => f.path).sort() };
  } finally {
    rmSync(clone, { recursive: true, force: true });
  }
}

async function build(): Promise<Packed> {
  const t0 = performance.now();
  const { tarball, files } = await pack();
  const consumer = join(cache, 'consumer');
  rmSync(consumer, { recursive: true, force: true });
  mkdirSync(consumer, { recursive: true });
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'simdgrad-consumer', private: true }));
  await exec('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--prefer-offline', tarball],
    { cwd: consumer, env: npmEnv, maxBuffer: 1 << 24 });
  return { tarball, files, consumer, pkg: join(consumer, 'node_modules', 'simdgrad'), buildMs: performance.now() - t0 };
}

/** Builds, packs and installs the package once; later calls (and test files) reuse it. */
export function packed(): Promise<Packed> {
  return withLock(async () => {
    const stampFile = join(cache, 'stamp.json');
    const inputs = inputsStamp();
    if (existsSync(stampFile)) {
      const stamp = JSON.parse(readFileSync(stampFile, 'utf8')) as { inputs: string; packed: Packed };
      if (stamp.inputs === inputs && existsSync(stamp.packed.tarball) && existsSync(join(stamp.packed.pkg, 'package.json'))) {
        return { ...stamp.packed, buildMs: 0 };
      }
    }
    const p = await build();
    writeFileSync(stampFile, JSON.stringify({ inputs, packed: p }));
    return p;
  });
}
