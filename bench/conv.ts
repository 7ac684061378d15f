// Convolution benchmark. (1) conv2d forward, input gradient and weight gradient kernels at LeNet
// shapes (28×28 1→6 and 14×14 6→16, 5×5, B = 64) and small-ResNet shapes (3×3, pad 1, B = 16:
// 16 channels at 32×32, 32 at 16×16, 64 at 8×8): GFLOP/s, and the ratio to simdgrad's own
// gemm_f32 running the GEMM each pass lowers to (same m, n, k and FLOPs, one call over the whole
// batch: forward m = out, n = B·oh·ow, k = in·kh·kw; input gradient m = in·kh·kw, n = B·oh·ow,
// k = out; weight gradient m = out, n = in·kh·kw, k = B·oh·ow). (2) A LeNet-5 training step
// (bench/lenet.ts) beside TensorFlow.js and jax-js, and its useful work as a fraction of gemm_f32's
// GFLOP/s at 256×256×256. Best of interleaved rounds (the machine may be shared); every kernel
// result validated against the JS reference before timing.
//
//   node --experimental-wasm-relaxed-simd --import tsx bench/conv.ts [--quick] [--no-peers]
import { pathToFileURL } from 'node:url';
import * as sg from '../src/index.js';
import { createBackend, type Backend } from '../src/backend/create-backend.js';
import { LENET_STEP_FLOPS, jaxTrainer, lenetWeights, medianMs, referenceLoss, simdgradTrainer, tfTrainer, validate } from './lenet.js';
import type { Trainer } from './mlp-trainers.js';

export interface ConvBenchOptions { rounds?: number; time?: number; noPeers?: boolean }

// [name, batch, in, size, out, kernel, pad]
const SHAPES = [
  ['LeNet conv1 28×28 1→6 5×5', 64, 1, 28, 6, 5, 2], ['LeNet conv2 14×14 6→16 5×5', 64, 6, 14, 16, 5, 0],
  ['ResNet 32×32 16→16 3×3', 16, 16, 32, 16, 3, 1], ['ResNet 16×16 32→32 3×3', 16, 32, 16, 32, 3, 1],
  ['ResNet 8×8 64→64 3×3', 16, 64, 8, 64, 3, 1],
] as const;

const values = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed) * 0.5);

/** Best ms of `reps` calls after a warm-up, per round. */
function bestMs(f: () => void, reps: number): number {
  f();
  let best = Infinity;
  for (let r = 0; r < reps; r++) { const t0 = performance.now(); f(); best = Math.min(best, performance.now() - t0); }
  return best;
}

async function kernelTable(be: Backend, rounds: number, reps: number): Promise<string> {
  const K = be.kernels, heap = be.heap, ref = await createBackend('js');
  const rows: string[] = ['| shape | pass | GFLOP/s | gemm_f32, same GEMM | conv / gemm |', '|---|---|---:|---:|---:|'];
  for (const [name, n, cin, s, cout, k, p] of SHAPES) {
    const o = s + 2 * p - k + 1, P = o * o, KK = cin * k * k, NP = n * P, flops = 2 * n * cout * P * KK;
    const geo = [n, cin, s, s, cout, o, o, k, k, 1, 1, p, p, 1, 1, 1] as const;
    const bufs = { x: values(n * cin * s * s, 1), w: values(cout * KK, 2), b: values(cout, 3), dy: values(n * cout * P, 4) };
    // validate the three kernels on the first image against the JS reference
    const check = (run: (bk: Backend, ptr: Record<string, number>, out: number, ws: number) => void, outLen: number, label: string) => {
      const res = [be, ref].map((bk) => {
        const ptr = Object.fromEntries(Object.entries(bufs).map(([kk, v]) => [kk, bk.heap.writeF32(v)]));
        const out = bk.heap.writeF32(new Float32Array(outLen)), ws = ws1(bk);
        run(bk, ptr, out, ws);
        const r = bk.heap.readF32(out, outLen);
        for (const q of [...Object.values(ptr), out, ws]) bk.heap.free(q);
        return r;
      });
      res[1]!.forEach((v, i) => { if (!(Math.abs(res[0]![i]! - v) <= 1e-4 * (1 + Math.abs(v)) * Math.sqrt(KK))) throw new Error(`conv bench: ${name} ${label} wrong at ${i}`); });
    };
    const ws1 = (bk: Backend): number => bk.heap.alloc(Math.max(16, bk.kernels.conv2d_workspace_f32(...geo)));
    const g1 = [1, ...geo.slice(1)] as unknown as typeof geo;
    check((bk, q, out, ws) => bk.kernels.conv2d_f32(out, q.x!, q.w!, q.b!, ws, ...g1), cout * P, 'forward');
    check((bk, q, out, ws) => bk.kernels.conv2d_backward_weight_f32(out, 0, q.dy!, q.x!, ws, ...g1), cout * KK, 'weight gradient');
    if (cin > 1) check((bk, q, out, ws) => bk.kernels.conv2d_backward_input_f32(out, q.dy!, q.w!, ws, ...g1), cin * s * s, 'input gradient');
    const x = heap.writeF32(bufs.x), w = heap.writeF32(bufs.w), b = heap.writeF32(bufs.b), dy = heap.writeF32(bufs.dy);
    const y = heap.alloc(n * cout * P * 4), dx = heap.alloc(n * cin * s * s * 4), dw = heap.alloc(cout * KK * 4), ws = ws1(be);
    // the lowered GEMMs: operands of the same sizes, one call over the batch
    const A = heap.writeF32(values(Math.max(cout * KK, cout * NP), 5)), Bm = heap.writeF32(values(Math.max(KK * NP, cout * NP), 6));
    const C = heap.alloc(Math.max(cout * NP, cout * KK, KK * NP) * 4);
    const gws = heap.alloc(Math.max(K.gemm_workspace_f32(cout, NP, KK, 0, 0), K.gemm_workspace_f32(cout, KK, NP, 0, 0), K.gemm_workspace_f32(KK, NP, cout, 1, 0)));
    const passes: [string, () => void, () => void][] = [
      ['forward', () => K.conv2d_f32(y, x, w, b, ws, ...geo), () => K.gemm_f32(C, A, Bm, 0, gws, cout, NP, KK, KK, NP, NP, 0, 0, 0, 0)],
      ['weight gradient', () => K.conv2d_backward_weight_f32(dw, 0, dy, x, ws, ...geo), () => K.gemm_f32(C, A, Bm, 0, gws, cout, KK, NP, NP, KK, KK, 0, 0, 1, 0)],
      ...(cin > 1 ? [['input gradient', () => K.conv2d_backward_input_f32(dx, dy, w, ws, ...geo), () => K.gemm_f32(C, A, Bm, 0, gws, KK, NP, cout, KK, NP, NP, 1, 0, 0, 0)]] as [string, () => void, () => void][] : []),
    ];
    for (const [pass, conv, gemm] of passes) {
      let tc = Infinity, tg = Infinity;
      for (let r = 0; r < rounds; r++) { tc = Math.min(tc, bestMs(conv, reps)); tg = Math.min(tg, bestMs(gemm, reps)); }
      rows.push(`| ${name}, B = ${n} | ${pass} | ${(flops / tc / 1e6).toFixed(1)} | ${(flops / tg / 1e6).toFixed(1)} | ${(100 * tg / tc).toFixed(0)}% |`);
    }
    for (const q of [x, w, b, dy, y, dx, dw, ws, A, Bm, C, gws]) heap.free(q);
  }
  return rows.join('\n');
}

async function peers(noPeers: boolean) {
  if (noPeers) return { tf: null, jax: null };
  let tf = null, jax = null;
  try {
    const core = await import('@tensorflow/tfjs-core'), tfl = await import('@tensorflow/tfjs-layers');
    await import('@tensorflow/tfjs-backend-cpu');
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    core.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    wasm.setThreadsCount(1);
    tf = { core, tfl };
  } catch (e) { console.warn(`conv bench: TensorFlow.js unavailable (${(e as Error).message})`); }
  try {
    const j = await import('@jax-js/jax');
    if (!(await j.init('wasm')).includes('wasm')) throw new Error('no wasm device');
    j.defaultDevice('wasm');
    jax = j;
  } catch (e) { console.warn(`conv bench: jax-js unavailable (${(e as Error).message})`); }
  return { tf, jax };
}

async function lenetTable(be: Backend, rounds: number, time: number, noPeers: boolean): Promise<string> {
  const wt = lenetWeights(), ref0 = referenceLoss(wt);
  const { tf, jax } = await peers(noPeers);
  const trainers: Trainer[] = [simdgradTrainer()], notes: string[] = [];
  if (tf) {
    for (const backend of ['wasm', 'cpu']) {
      if (!(await tf.core.setBackend(backend))) { notes.push(`tfjs-${backend}: backend unavailable`); continue; }
      const tr = await tfTrainer(tf.core, tf.tfl, backend, wt);
      try { await tr.step(); trainers.push(await tfTrainer(tf.core, tf.tfl, backend, wt)); } catch (e) {
        notes.push(`tfjs-${backend} cannot train it: "${(e as Error).message.split('\n')[0]}"`);
      }
      tr.dispose();
    }
  }
  if (jax) trainers.push(jaxTrainer(jax, wt));
  const losses = new Map<Trainer, { first: number; last: number }>();
  for (const tr of trainers) losses.set(tr, await validate(tr, ref0));
  const live0 = new Map<Trainer, number>();
  for (const tr of trainers) { await tr.activate?.(); live0.set(tr, tr.live()); }
  const ms = new Map<Trainer, number>();
  for (let r = 0; r < rounds; r++) {
    for (const tr of trainers) ms.set(tr, Math.min(ms.get(tr) ?? Infinity, await medianMs(tr, tr === trainers[0] ? time : time / 4)));
  }
  // CPU time per step too: on a shared machine the wall clock also counts other processes' turns
  const cpu = new Map<Trainer, number>();
  for (const tr of trainers) {
    await tr.activate?.();
    const steps = Math.max(2, Math.round(1500 / ms.get(tr)!)), c0 = process.cpuUsage();
    for (let i = 0; i < steps; i++) await tr.step();
    const c = process.cpuUsage(c0);
    cpu.set(tr, (c.user + c.system) / 1000 / steps);
    if (tr.live() !== live0.get(tr)) throw new Error(`conv bench: ${tr.name} leaks`);
    tr.dispose();
  }
  // simdgrad's GEMM at 256³ in the same run
  const K = be.kernels, n = 256, a = be.heap.writeF32(values(n * n, 7)), bb = be.heap.writeF32(values(n * n, 8)), c = be.heap.alloc(n * n * 4);
  const gws = be.heap.alloc(K.gemm_workspace_f32(n, n, n, 0, 0));
  let tg = Infinity;
  for (let r = 0; r < rounds; r++) tg = Math.min(tg, bestMs(() => K.gemm_f32(c, a, bb, 0, gws, n, n, n, n, n, n, 0, 0, 0, 0), 20));
  for (const q of [a, bb, c, gws]) be.heap.free(q);
  const gemmGf = 2 * n ** 3 / tg / 1e6, ours = ms.get(trainers[0]!)!;
  const rows = ['| implementation | steps/s | useful GFLOP/s | % of gemm_f32 256³ | simdgrad / it | CPU ms/step | simdgrad / it (CPU) | loss 1 → 4 |',
    '|---|---:|---:|---:|---:|---:|---:|---:|'];
  const oursCpu = cpu.get(trainers[0]!)!;
  for (const tr of trainers) {
    const t = ms.get(tr)!, gf = LENET_STEP_FLOPS / t / 1e6, l = losses.get(tr)!, c = cpu.get(tr)!, first = tr === trainers[0];
    rows.push(`| ${tr.name} | ${(1000 / t).toFixed(t > 100 ? 2 : 1)} | ${gf.toFixed(2)} | ${(100 * gf / gemmGf).toFixed(0)}% | ` +
      `${first ? '—' : `${(t / ours).toFixed(1)}×`} | ${c.toFixed(1)} | ${first ? '—' : `${(c / oursCpu).toFixed(1)}×`} | ` +
      `${l.first.toFixed(4)} → ${l.last.toFixed(4)} |`);
  }
  return [`LeNet-5, B = 64, Adam; useful work ${(LENET_STEP_FLOPS / 1e6).toFixed(0)} MFLOP per step; simdgrad's gemm_f32 at 256³: ` +
    `${gemmGf.toFixed(1)} GFLOP/s in this run. First loss validated against an f64 forward pass (${ref0.toFixed(4)}). ` +
    `Steps/s: fastest tinybench median of ${rounds} interleaved rounds; CPU ms/step: process CPU time over ≈ 1.5 s of steps ` +
    `(simdgrad's useful work per CPU second: ${(LENET_STEP_FLOPS / oursCpu / 1e6).toFixed(1)} GFLOP/s, ` +
    `${(100 * LENET_STEP_FLOPS / oursCpu / 1e6 / gemmGf).toFixed(0)}% of gemm_f32 256³).`,
  ...notes, rows.join('\n')].join('\n\n');
}

export async function runConvBench(opts: ConvBenchOptions = {}): Promise<string> {
  const rounds = opts.rounds ?? 3, time = opts.time ?? 3000;
  await sg.init({ threads: 1 }); // one thread, like the peers here (bench/threads.ts measures more)
  const be = await createBackend(sg.backend());
  const kernels = await kernelTable(be, rounds, 5);
  const lenet = await lenetTable(be, rounds, time, opts.noPeers ?? false);
  return [`### conv2d kernels (${be.name} build, GFLOP/s, best of ${rounds} rounds)`, kernels, '### LeNet-5 training step', lenet].join('\n\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const quick = process.argv.includes('--quick');
  try {
    console.log(await runConvBench({ rounds: quick ? 1 : 3, time: quick ? 1500 : 3000, noPeers: process.argv.includes('--no-peers') }));
  } catch (e) {
    console.error((e as Error).stack ?? e);
    process.exit(1);
  }
}
