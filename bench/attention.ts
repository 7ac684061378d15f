// Attention: (1) the fused attention softmax (sg.maskedSoftmax: scale, causal mask, softmax and
// its backward in one kernel each) against the same thing composed from ops
// (x·scale + mask → softmax), forward + backward on [32, 4, 64, 64] scores, and the fused op on the
// pure-JS reference; (2) training steps/s
// of a 2-layer Transformer encoder block — two post-norm TransformerEncoderLayers (dModel 128,
// 4 heads, feed-forward 512, ReLU, dropout 0), causal self-attention over batch 32 × seq 64, MSE
// loss against a fixed target, Adam (lr 1e-3) — simdgrad (nn.TransformerEncoderLayer) against
// TensorFlow.js on its wasm (XNNPACK) backend, single thread, in the same run. tfjs-layers has
// no MultiheadAttention, so the tfjs block is written with tf ops (one fused QKV matMul, heads
// by reshape/transpose, batched matMul, softmax with an additive causal mask, tf.moments layer
// norm) and trained by tf.train.adam's minimize. Both start from the same weights (simdgrad's
// seeded layers, copied into tf's [in, out] layout) and data. Validation before timing: the
// fused softmax matches the composite (values and gradients); both trainers' first losses agree
// (rel 1e-3), the loss decreases over VALIDATE_STEPS steps and the trajectories agree; live
// tensor counts are unchanged by timing. Timing: tinybench medians, the fastest of `rounds`. The
// pure-JS reference is not timed on the encoder block (≈5 GFLOP per step: tens of seconds).
//
//   node --experimental-wasm-relaxed-simd --import tsx bench/attention.ts [--quick]
import { Bench } from 'tinybench';
import { pathToFileURL } from 'node:url';
import * as sg from '../src/index.js';
import { Adam } from '../src/optim/index.js';

const B = 32, T = 64, E = 128, H = 4, FF = 512, LAYERS = 2, LR = 1e-3, EPS = 1e-5;
const VALIDATE_STEPS = 8;

export interface AttentionBenchOptions { time?: number; rounds?: number; noPeers?: boolean }

interface Trainer { name: string; activate?(): Promise<void>; step(): number | Promise<number>; live(): number; dispose(): void }

async function medianMs(name: string, fn: () => unknown, time: number, activate?: () => Promise<void>): Promise<number> {
  await activate?.();
  const bench = new Bench({ time, iterations: 3, warmupTime: Math.min(200, time / 4), warmupIterations: 1 });
  bench.add(name, fn as () => void);
  await bench.run();
  const r = bench.tasks[0]!.result;
  if (r.state !== 'completed') throw new Error(`attention bench: ${name} did not complete (${r.state})`);
  return r.latency.p50;
}

// ---- (1) fused attention softmax vs composite ops -------------------------------------------

async function softmaxSuite(time: number, rounds: number): Promise<string> {
  const shape = [B, H, T, T], scale = 1 / Math.sqrt(E / H);
  const setup = () => {
    const x = sg.randn(shape, { seed: 3, requiresGrad: true }), dy = sg.randn(shape, { seed: 4 });
    const mask = sg.nn.generateSquareSubsequentMask(T);
    const fused = () => sg.scope(() => { sg.maskedSoftmax(x, { scale, causal: true }).backward(dy); });
    const composite = () => sg.scope(() => { x.mul(scale).add(mask).softmax().backward(dy); });
    const dispose = () => { x.grad?.dispose(); for (const t of [x, dy, mask]) t.dispose(); };
    return { x, dy, mask, fused, composite, dispose };
  };
  // the pure-JS reference's fused kernel first, on its own backend (one round)
  const best = sg.backend();
  await sg.init({ backend: 'js' });
  const js = setup();
  const tjs = await medianMs('js fused', js.fused, time);
  js.dispose();
  await sg.init({ backend: best, threads: 1 });
  const { x, dy, mask, fused, composite, dispose } = setup();
  // validate: same values and gradients
  const run = (f: () => sg.Tensor) => sg.scope(() => {
    x.grad?.dispose(); x.grad = null;
    const y = f();
    y.backward(dy);
    const out = [y.toArray(), x.grad!.toArray()];
    x.grad!.dispose(); x.grad = null;
    return out;
  });
  const [yf, gf] = run(() => sg.maskedSoftmax(x, { scale, causal: true }));
  const [yc, gc] = run(() => x.mul(scale).add(mask).softmax());
  for (const [a, b, what] of [[yf!, yc!, 'values'], [gf!, gc!, 'gradients']] as const) {
    for (let i = 0; i < a.length; i++) {
      if (!(Math.abs(a[i]! - b[i]!) <= 1e-5 + 1e-4 * Math.abs(b[i]!))) throw new Error(`attention bench: fused softmax ${what} differ at ${i}: ${a[i]} vs ${b[i]}`);
    }
  }
  fused(); composite(); // x.grad now exists (it accumulates across calls)
  const live = sg.memory().tensors;
  let tf = Infinity, tc = Infinity;
  for (let r = 0; r < rounds; r++) {
    tf = Math.min(tf, await medianMs('fused', fused, time));
    tc = Math.min(tc, await medianMs('composite', composite, time));
  }
  if (sg.memory().tensors !== live) throw new Error('attention bench: the softmax suite leaks');
  dispose();
  return [`Causal attention softmax over [${shape.join(', ')}] scores (scale 1/√${E / H}), forward + backward; ratio = composite time / this:`,
    '| implementation | ms | ratio |', '|---|---:|---:|',
    `| sg.maskedSoftmax, ${best} (fused kernel, causal prefix only) | ${tf.toFixed(2)} | ${(tc / tf).toFixed(2)}× |`,
    `| x.mul(scale).add(mask).softmax(), ${best} (composite ops) | ${tc.toFixed(2)} | 1.00× |`,
    `| sg.maskedSoftmax, pure-JS reference | ${tjs.toFixed(2)} | ${(tc / tjs).toFixed(2)}× |`].join('\n');
}

// ---- (2) 2-layer encoder block training ------------------------------------------------------

interface LayerWeights { wqkv: Float32Array; bqkv: Float32Array; wo: Float32Array; bo: Float32Array; w1: Float32Array; b1: Float32Array; w2: Float32Array; b2: Float32Array; g1: Float32Array; be1: Float32Array; g2: Float32Array; be2: Float32Array }

function makeLayers(): sg.nn.TransformerEncoderLayer[] {
  const layers = Array.from({ length: LAYERS }, (_, i) => new sg.nn.TransformerEncoderLayer(E, H, { dimFeedforward: FF, dropout: 0, batchFirst: true, seed: 100 + 50 * i }));
  // non-zero biases and norm affines (PyTorch starts them at 0 / 1): every path carries signal
  sg.noGrad(() => layers.forEach((l, i) => l.namedParameters().forEach(([k, p], j) => {
    if (k.endsWith('bias')) sg.nn.init.uniform(p, -0.1, 0.1, { seed: 1000 + 100 * i + j });
    else if (k.startsWith('norm')) sg.nn.init.uniform(p, 0.9, 1.1, { seed: 1000 + 100 * i + j });
  })));
  return layers;
}

/** [out, in] → [in, out]. */
function transposed(w: Float32Array, out: number, inp: number): Float32Array {
  const t = new Float32Array(w.length);
  for (let o = 0; o < out; o++) for (let k = 0; k < inp; k++) t[k * out + o] = w[o * inp + k]!;
  return t;
}

function weightsOf(l: sg.nn.TransformerEncoderLayer): LayerWeights {
  const a = l.self_attn;
  return {
    wqkv: transposed(a.in_proj_weight.toArray(), 3 * E, E), bqkv: a.in_proj_bias!.toArray(),
    wo: transposed(a.out_proj.weight.toArray(), E, E), bo: a.out_proj.bias!.toArray(),
    w1: transposed(l.linear1.weight.toArray(), FF, E), b1: l.linear1.bias!.toArray(),
    w2: transposed(l.linear2.weight.toArray(), E, FF), b2: l.linear2.bias!.toArray(),
    g1: l.norm1.weight!.toArray(), be1: l.norm1.bias!.toArray(), g2: l.norm2.weight!.toArray(), be2: l.norm2.bias!.toArray(),
  };
}

function simdgradTrainer(x: Float32Array, y: Float32Array): Trainer {
  const layers = makeLayers();
  const params = layers.flatMap((l) => l.parameters());
  const opt = new Adam(params, { lr: LR });
  const xt = sg.tensor(x, [B, T, E]), yt = sg.tensor(y, [B, T, E]);
  return {
    name: `simdgrad ${sg.backend()} (nn.TransformerEncoderLayer ×${LAYERS})`,
    step: () => sg.scope(() => {
      opt.zeroGrad();
      let h = xt;
      for (const l of layers) h = l.forward(h, { isCausal: true });
      const d = h.sub(yt);
      const loss = d.mul(d).mean();
      loss.backward();
      opt.step();
      return loss.item();
    }),
    live: () => { const m = sg.memory(); return m.tensors * 2 ** 32 + m.bytes; },
    dispose: () => { opt.dispose(); layers.forEach((l) => l.dispose()); xt.dispose(); yt.dispose(); },
  };
}

type Tf = typeof import('@tensorflow/tfjs-core');

async function loadTf(): Promise<Tf | null> {
  try {
    const tf = await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-layers'); // registers tfjs-core's gradients (as in a tfjs-layers program)
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    wasm.setThreadsCount(1);
    if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend failed to start');
    return tf;
  } catch (e) {
    console.warn(`attention bench: TensorFlow.js unavailable (${(e as Error).message})`);
    return null;
  }
}

function tfTrainer(tf: Tf, weights: LayerWeights[], x: Float32Array, y: Float32Array): Trainer {
  const v = (a: Float32Array, shape: number[]) => tf.variable(tf.tensor(a, shape));
  const vars = weights.map((w) => ({
    wqkv: v(w.wqkv, [E, 3 * E]), bqkv: v(w.bqkv, [3 * E]), wo: v(w.wo, [E, E]), bo: v(w.bo, [E]),
    w1: v(w.w1, [E, FF]), b1: v(w.b1, [FF]), w2: v(w.w2, [FF, E]), b2: v(w.b2, [E]),
    g1: v(w.g1, [E]), be1: v(w.be1, [E]), g2: v(w.g2, [E]), be2: v(w.be2, [E]),
  }));
  const varList = vars.flatMap((l) => Object.values(l));
  const causal = new Float32Array(T * T);
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) causal[i * T + j] = -1e9;
  const mask = tf.tensor(causal, [T, T]);
  const xt = tf.tensor(x, [B * T, E]), yt = tf.tensor(y, [B * T, E]);
  const opt = tf.train.adam(LR, 0.9, 0.999, 1e-8);
  const D = E / H, scale = 1 / Math.sqrt(D);
  type TfT = import('@tensorflow/tfjs-core').Tensor;
  const layerNorm = (h: TfT, g: TfT, b: TfT): TfT => {
    const { mean, variance } = tf.moments(h, -1, true);
    return tf.add(tf.mul(tf.div(tf.sub(h, mean), tf.sqrt(tf.add(variance, EPS))), g), b);
  };
  const heads = (t: TfT): TfT => tf.transpose(tf.reshape(t, [B, T, H, D]), [0, 2, 1, 3]);
  const dense = (h: TfT, w: TfT, b: TfT): TfT => tf.add(tf.matMul(h, w), b);
  const forward = () => {
    let h: TfT = xt;
    for (const p of vars) {
      const [q, k, vv] = tf.split(dense(h, p.wqkv, p.bqkv), 3, 1);
      const scores = tf.add(tf.mul(tf.matMul(heads(q!), heads(k!), false, true), scale), mask);
      const o = tf.reshape(tf.transpose(tf.matMul(tf.softmax(scores), heads(vv!)), [0, 2, 1, 3]), [B * T, E]);
      const a = layerNorm(tf.add(h, dense(o, p.wo, p.bo)), p.g1, p.be1);
      const f = dense(tf.relu(dense(a, p.w1, p.b1)), p.w2, p.b2);
      h = layerNorm(tf.add(a, f), p.g2, p.be2);
    }
    return tf.mean(tf.square(tf.sub(h, yt))) as import('@tensorflow/tfjs-core').Scalar;
  };
  return {
    name: 'tfjs-wasm (tf ops + tf.train.adam)',
    activate: async () => { await tf.setBackend('wasm'); },
    step: () => {
      const loss = opt.minimize(forward, true, varList)!;
      const value = loss.dataSync()[0]!;
      loss.dispose();
      return value;
    },
    live: () => tf.memory().numTensors,
    dispose: () => { opt.dispose(); varList.forEach((t) => t.dispose()); mask.dispose(); xt.dispose(); yt.dispose(); },
  };
}

async function trainSuite(time: number, rounds: number, noPeers: boolean): Promise<string> {
  const xs = sg.randn([B, T, E], { seed: 5 }), ys = sg.randn([B, T, E], { seed: 6 });
  const x = xs.toArray(), y = ys.toArray();
  xs.dispose(); ys.dispose();
  const ref = makeLayers(), weights = ref.map(weightsOf);
  ref.forEach((l) => l.dispose());
  const tf = noPeers ? null : await loadTf();
  const trainers: Trainer[] = [simdgradTrainer(x, y)];
  if (tf) trainers.push(tfTrainer(tf, weights, x, y));
  const traj: number[][] = [];
  for (const tr of trainers) {
    await tr.activate?.();
    const losses: number[] = [];
    for (let i = 0; i < VALIDATE_STEPS; i++) losses.push(await tr.step());
    if (!losses.every(Number.isFinite) || !(losses.at(-1)! < losses[0]!)) throw new Error(`attention bench: ${tr.name} did not train (${losses.join(', ')})`);
    traj.push(losses);
  }
  for (const [i, l] of traj.entries()) {
    const a = traj[0]!;
    if (!(Math.abs(l[0]! - a[0]!) <= 1e-3 * a[0]!)) throw new Error(`attention bench: ${trainers[i]!.name} first loss ${l[0]} ≠ simdgrad's ${a[0]}`);
    if (!(Math.abs(l.at(-1)! - a.at(-1)!) <= 0.02 * a.at(-1)!)) throw new Error(`attention bench: ${trainers[i]!.name} ends at ${l.at(-1)}, simdgrad at ${a.at(-1)}`);
  }
  const live0: number[] = [];
  for (const tr of trainers) { await tr.activate?.(); live0.push(tr.live()); }
  const ms = trainers.map(() => Infinity);
  for (let r = 0; r < rounds; r++) {
    for (const [i, tr] of trainers.entries()) ms[i] = Math.min(ms[i]!, await medianMs(tr.name, tr.step, time, tr.activate));
  }
  for (const [i, tr] of trainers.entries()) {
    await tr.activate?.();
    if (tr.live() !== live0[i]) throw new Error(`attention bench: ${tr.name} leaks`);
    tr.dispose();
  }
  const flops = 3 * 2 * B * T * LAYERS * (4 * E * E + 2 * E * FF + 2 * T * E);
  const rows = trainers.map((tr, i) => `| ${tr.name} | ${(1000 / ms[i]!).toFixed(2)} | ${(flops / ms[i]! / 1e6).toFixed(1)} | ` +
    `${traj[i]![0]!.toFixed(4)} → ${traj[i]!.at(-1)!.toFixed(4)} | ${(ms[trainers.length - 1]! / ms[i]!).toFixed(2)}× |`);
  return [`${LAYERS} post-norm encoder layers (dModel ${E}, ${H} heads, feed-forward ${FF}, ReLU), causal, batch ${B} × seq ${T}, ` +
    `MSE loss, Adam lr ${LR}; one step = forward + backward + Adam + reading the loss. Same weights and data; losses at ` +
    `step 1 and ${VALIDATE_STEPS} (validated to agree). GFLOP/s ≈ 3× the forward GEMM work (${(flops / 1e9).toFixed(2)} GFLOP per step).`,
  '| implementation | steps/s | GFLOP/s | loss 1 → ' + VALIDATE_STEPS + ' | vs last row |', '|---|---:|---:|---|---:|', ...rows].join('\n');
}

export async function runAttentionBench(opts: AttentionBenchOptions = {}): Promise<string> {
  const time = opts.time ?? 1500, rounds = opts.rounds ?? 2;
  await sg.init({ threads: 1 }); // one thread: the peers run one (bench/threads.ts measures more)
  const tensors0 = sg.memory().tensors;
  const parts = [await softmaxSuite(Math.min(time, 700), rounds), await trainSuite(time, rounds, !!opts.noPeers)];
  if (sg.memory().tensors !== tensors0) throw new Error(`attention bench: ${sg.memory().tensors - tensors0} simdgrad tensors outlived the suites`);
  return parts.join('\n\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const quick = process.argv.includes('--quick');
  try {
    console.log(await runAttentionBench(quick ? { time: 600, rounds: 1 } : {}));
  } catch (e) {
    console.error((e as Error).stack ?? e);
    process.exit(1);
  }
}
