// The MLP training step the benchmarks time, written once for every runtime they run in (Node's
// bench/train.ts and bench/threads.ts, and the isolated Chromium page of bench/threads-browser.ts,
// whose Web Worker bundles this file): an MLP 784-256-128-10 (ReLU, softmax cross-entropy, Adam
// lr 1e-3 with PyTorch's defaults) on one fixed random batch, as simdgrad (nn.Sequential, or
// sg.linear with the ReLU fused), TensorFlow.js layers (model.trainOnBatch) and jax-js (jit of the
// gradients or of the whole step) would each be written by a user. Every trainer starts from the
// same weights (simdgrad's seeded nn.Linear init, copied into the peers) and sees the same inputs
// and labels; `validate` checks a trainer's first loss against an f64 forward pass and that the
// loss decreases, `medianMs` times one step (tinybench median). Browser-safe: no Node imports.
import { Bench } from 'tinybench';
import * as sg from '../src/index.js';
import { Adam } from '../src/optim/index.js';

export const SIZES = [784, 256, 128, 10] as const;
const LR = 1e-3, BETA1 = 0.9, BETA2 = 0.999, EPS = 1e-8;
/** Steps taken before timing; the loss must have decreased by then. */
export const VALIDATE_STEPS = 20;

/** GEMM flops of one training step: forward, dW for every layer, dX for all but the first. */
export function stepFlops(batch: number): number {
  let w = 0;
  for (let i = 0; i < 3; i++) w += SIZES[i]! * SIZES[i + 1]!;
  return 2 * batch * (3 * w - SIZES[0] * SIZES[1]);
}

/** Initial weights, PyTorch layout: w[i] is [out, in] row-major, b[i] is [out]. */
export interface Weights { w: Float32Array[]; b: Float32Array[] }
export interface Data { batch: number; x: Float32Array; y: Int32Array }

/** A trainer owns its model, optimizer state and copy of the batch. */
export interface Trainer {
  name: string;
  /** Makes this trainer's runtime current (tfjs backends are global). */
  activate?(): Promise<void>;
  /** One step; resolves to the loss of the batch before the update. */
  step(): number | Promise<number>;
  /** A count that must not change from step to step (live tensors / bytes): the leak check. */
  live(): number;
  dispose(): void;
}

/** The benches' seeded uniform [0, 1) stream (xorshift32): fixed inputs without Math.random. */
export function xorshift(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
}

/** Pixel-like inputs in [0, 1) and labels 0..9, fixed per batch size. */
export function makeData(batch: number): Data {
  const r = xorshift(1000 + batch);
  const x = new Float32Array(batch * SIZES[0]);
  for (let i = 0; i < x.length; i++) x[i] = r();
  const y = Int32Array.from({ length: batch }, () => Math.floor(r() * 10));
  return { batch, x, y };
}

/** Seed of layer i (its bias uses seed + 1). */
const seedOf = (i: number): number => 11 + 2 * i;

/** The weights simdgrad's seeded nn.Linear layers start from (read back as plain arrays). */
export function makeWeights(): Weights {
  const layers = [0, 1, 2].map((i) => new sg.nn.Linear(SIZES[i]!, SIZES[i + 1]!, { seed: seedOf(i) }));
  const out = { w: layers.map((l) => l.weight.toArray()), b: layers.map((l) => l.bias!.toArray()) };
  for (const l of layers) l.dispose();
  return out;
}

/** Mean cross-entropy of the model at `wt` on `d`, in f64. */
export function referenceLoss(wt: Weights, d: Data): number {
  let h: Float64Array = Float64Array.from(d.x);
  for (let l = 0; l < 3; l++) {
    const inp = SIZES[l]!, out = SIZES[l + 1]!, w = wt.w[l]!, b = wt.b[l]!;
    const next = new Float64Array(d.batch * out);
    for (let n = 0; n < d.batch; n++) {
      for (let o = 0; o < out; o++) {
        let s = b[o]!;
        for (let k = 0; k < inp; k++) s += h[n * inp + k]! * w[o * inp + k]!;
        next[n * out + o] = l < 2 ? Math.max(s, 0) : s;
      }
    }
    h = next;
  }
  let loss = 0;
  for (let n = 0; n < d.batch; n++) {
    const row = h.subarray(n * 10, n * 10 + 10);
    const m = Math.max(...row);
    let z = 0;
    for (const v of row) z += Math.exp(v - m);
    loss += Math.log(z) + m - row[d.y[n]!]!;
  }
  return loss / d.batch;
}

/** [out, in] → [in, out] (TensorFlow.js and jax-js kernels are x·W with W [in, out]). */
function transposed(w: Float32Array, out: number, inp: number): Float32Array {
  const t = new Float32Array(w.length);
  for (let o = 0; o < out; o++) for (let k = 0; k < inp; k++) t[k * out + o] = w[o * inp + k]!;
  return t;
}

// ---- simdgrad -----------------------------------------------------------------------------

/**
 * nn.Sequential of Linear/ReLU (or sg.linear with the ReLU fused into the GEMM epilogue),
 * crossEntropy, Adam; each step inside sg.scope. Seeded layers: the weights of makeWeights().
 */
export function simdgradTrainer(d: Data, fused: boolean): Trainer {
  const linears = [0, 1, 2].map((i) => new sg.nn.Linear(SIZES[i]!, SIZES[i + 1]!, { seed: seedOf(i) }));
  const model = new sg.nn.Sequential(linears[0]!, new sg.nn.ReLU(), linears[1]!, new sg.nn.ReLU(), linears[2]!);
  const opt = new Adam(model.parameters(), { lr: LR });
  const x = sg.tensor(d.x, [d.batch, SIZES[0]]);
  const { crossEntropy } = sg.nn.functional;
  const forward = fused
    ? (h: sg.Tensor) => {
      for (let i = 0; i < 3; i++) h = sg.linear(h, linears[i]!.weight, linears[i]!.bias!, i < 2 ? { activation: 'relu' } : {});
      return h;
    }
    : (h: sg.Tensor) => model.forward(h);
  return {
    name: `simdgrad ${sg.backend()} (${fused ? 'sg.linear, fused ReLU' : 'nn.Sequential'})`,
    step: () => sg.scope(() => {
      opt.zeroGrad();
      const loss = crossEntropy(forward(x), d.y);
      loss.backward();
      opt.step();
      return loss.item();
    }),
    live: () => { const m = sg.memory(); return m.tensors * 2 ** 32 + m.bytes; },
    dispose: () => { opt.dispose(); model.dispose(); x.dispose(); },
  };
}

// ---- TensorFlow.js --------------------------------------------------------------------------

export type Tf = typeof import('@tensorflow/tfjs-core');
export type TfLayers = typeof import('@tensorflow/tfjs-layers');

/** tf.sequential of dense layers, softmax output, sparseCategoricalCrossentropy, tf.train.adam. */
export async function tfTrainer(tf: Tf, tfl: TfLayers, backend: string, wt: Weights, d: Data): Promise<Trainer> {
  await tf.setBackend(backend);
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [SIZES[0]], units: SIZES[1], activation: 'relu' }),
      tfl.layers.dense({ units: SIZES[2], activation: 'relu' }),
      tfl.layers.dense({ units: SIZES[3], activation: 'softmax' }),
    ],
  });
  model.layers.forEach((layer, i) => {
    const k = tf.tensor2d(transposed(wt.w[i]!, SIZES[i + 1]!, SIZES[i]!), [SIZES[i]!, SIZES[i + 1]!]);
    const b = tf.tensor1d(wt.b[i]!);
    layer.setWeights([k, b]);
    k.dispose(); b.dispose();
  });
  return kerasTrainer(tf, model, backend, `tfjs-${backend}`, tf.tensor2d(d.x, [d.batch, SIZES[0]]), d.y);
}

/**
 * A tf.LayersModel (weights set) as a Trainer: compiled with tf.train.adam (lr 1e-3, β 0.9/0.999,
 * ε 1e-8) and sparseCategoricalCrossentropy, one trainOnBatch per step on x (owned from here on) and labels y.
 */
export function kerasTrainer(tf: Tf, model: import('@tensorflow/tfjs-layers').LayersModel, backend: string, name: string,
  x: import('@tensorflow/tfjs-core').Tensor, labels: Int32Array): Trainer {
  model.compile({ optimizer: tf.train.adam(LR, BETA1, BETA2, EPS), loss: 'sparseCategoricalCrossentropy' });
  const y = tf.tensor2d(Float32Array.from(labels), [labels.length, 1]);
  return {
    name,
    activate: async () => { await tf.setBackend(backend); },
    step: async () => (await model.trainOnBatch(x, y)) as number,
    live: () => tf.memory().numTensors,
    dispose: () => { model.optimizer.dispose(); model.dispose(); x.dispose(); y.dispose(); },
  };
}

// ---- jax-js ---------------------------------------------------------------------------------

type Jax = typeof import('@jax-js/jax');
type JArray = import('@jax-js/jax').Array;
type Params = { w1: JArray; b1: JArray; w2: JArray; b2: JArray; w3: JArray; b3: JArray };
const KEYS = ['w1', 'b1', 'w2', 'b2', 'w3', 'b3'] as const;

export async function loadJax(): Promise<Jax | null> {
  try {
    const jax = await import('@jax-js/jax');
    const devices = await jax.init('wasm');
    if (!devices.includes('wasm')) throw new Error(`no wasm device (got ${devices.join(', ')})`);
    jax.defaultDevice('wasm');
    return jax;
  } catch (e) {
    console.warn(`train bench: jax-js unavailable (${(e as Error).message})`);
    return null;
  }
}

/**
 * Two idiomatic jax-js loops. `wholeStep`: the whole step as one jit-compiled function
 * (valueAndGrad of the loss, then Adam on every leaf). Otherwise the optax pattern: jit(valueAndGrad)
 * for the gradients, then the Adam update (optax-style, PyTorch's bias corrections) as eager ops.
 * Arrays follow jax-js's ownership rules: every argument is consumed once (`.ref` for each extra
 * use); params and moments are replaced by the step's outputs. `read`: how the step reads its loss —
 * 'sync' (`item()`: every kernel runs on the calling thread) or 'async' (`await data()`: jax-js
 * prepares kernels asynchronously and, where SharedArrayBuffer and Worker exist, dispatches each
 * across its pool of Web Workers; in Node it has none and this changes nothing).
 */
export function jaxTrainer(jax: Jax, wt: Weights, d: Data, wholeStep: boolean, read: 'sync' | 'async' = 'sync'): Trainer {
  const { numpy: np, nn, jit, valueAndGrad, tree } = jax;
  const B = d.batch;
  const arr = (data: Float32Array, shape: number[]) => np.array(data).reshape(shape);
  let params: Params = {
    w1: arr(transposed(wt.w[0]!, SIZES[1], SIZES[0]), [SIZES[0], SIZES[1]]), b1: arr(wt.b[0]!, [SIZES[1]]),
    w2: arr(transposed(wt.w[1]!, SIZES[2], SIZES[1]), [SIZES[1], SIZES[2]]), b2: arr(wt.b[1]!, [SIZES[2]]),
    w3: arr(transposed(wt.w[2]!, SIZES[3], SIZES[2]), [SIZES[2], SIZES[3]]), b3: arr(wt.b[2]!, [SIZES[3]]),
  };
  const zerosLike = (p: Params): Params => Object.fromEntries(KEYS.map((k) => [k, np.zeros(p[k].shape)])) as Params;
  let m = zerosLike(params), v = zerosLike(params);
  const x = arr(d.x, [B, SIZES[0]]);
  const oneHot = new Float32Array(B * 10);
  d.y.forEach((c, i) => { oneHot[i * 10 + c] = 1; });
  const y = arr(oneHot, [B, 10]);

  const lossFn = (p: Params, xb: JArray, yb: JArray): JArray => {
    const h1 = nn.relu(np.dot(xb, p.w1).add(p.b1));
    const h2 = nn.relu(np.dot(h1, p.w2).add(p.b2));
    const logits = np.dot(h2, p.w3).add(p.b3);
    return nn.logSoftmax(logits).mul(yb).sum().mul(-1 / B);
  };
  /** Adam on every leaf; c1 = lr / (1 − β₁ᵗ), c2 = 1 / √(1 − β₂ᵗ). Consumes everything. */
  const adam = (p: Params, g: Params, mo: Params, ve: Params, c1: JArray, c2: JArray): [Params, Params, Params] => {
    const np_ = {} as Params, nm = {} as Params, nv = {} as Params;
    for (const k of KEYS) {
      const gk = g[k];
      nm[k] = mo[k].mul(BETA1).add(gk.ref.mul(1 - BETA1));
      nv[k] = ve[k].mul(BETA2).add(gk.ref.mul(gk).mul(1 - BETA2));
      const denom = np.sqrt(nv[k].ref).mul(c2.ref).add(EPS);
      np_[k] = p[k].sub(nm[k].ref.mul(c1.ref).div(denom));
    }
    c1.dispose(); c2.dispose();
    return [np_, nm, nv];
  };
  const whole = jit((p: Params, mo: Params, ve: Params, xb: JArray, yb: JArray, c1: JArray, c2: JArray) => {
    const [loss, g] = valueAndGrad(lossFn)(tree.ref(p), xb, yb);
    return [loss, ...adam(p, g, mo, ve, c1, c2)] as [JArray, Params, Params, Params];
  });
  const gradFn = jit(valueAndGrad(lossFn));
  let t = 0;
  return {
    name: wholeStep ? 'jax-js (jit step)' : 'jax-js (jit grad)',
    step: () => {
      t++;
      const c1 = np.array(LR / (1 - BETA1 ** t)), c2 = np.array(1 / Math.sqrt(1 - BETA2 ** t));
      let loss: JArray;
      if (wholeStep) [loss, params, m, v] = whole(params, m, v, x.ref, y.ref, c1, c2);
      else {
        const [l, g] = gradFn(tree.ref(params), x.ref, y.ref);
        loss = l;
        [params, m, v] = adam(params, g, m, v, c1, c2);
      }
      return read === 'sync' ? loss.item() : loss.data().then((a) => a[0]!);
    },
    // ours are owned exactly once each: params, moments, x, y
    live: () => [...tree.leaves([params, m, v]), x, y].reduce((n, a) => n + a.refCount, 0),
    dispose: () => { tree.dispose([params, m, v]); x.dispose(); y.dispose(); whole.dispose(); gradFn.dispose(); },
  };
}

export interface Row { batch: number; name: string; first: number; last: number; ms?: number }

/** Takes VALIDATE_STEPS steps; checks the first loss against the f64 reference and a decrease. */
export async function validate(tr: Trainer, ref0: number, d: Data): Promise<Row> {
  await tr.activate?.();
  const losses: number[] = [];
  for (let i = 0; i < VALIDATE_STEPS; i++) losses.push(await tr.step());
  const first = losses[0]!, last = losses.at(-1)!;
  const where = `train bench: ${tr.name} at batch ${d.batch}`;
  if (!losses.every(Number.isFinite)) throw new Error(`${where}: non-finite loss (${losses.join(', ')})`);
  if (!(Math.abs(first - ref0) <= 1e-3 * Math.max(1, ref0))) {
    throw new Error(`${where}: first loss ${first} differs from the f64 reference ${ref0}`);
  }
  if (!(last < 0.8 * first)) throw new Error(`${where}: loss did not decrease (${losses.map((l) => l.toFixed(4)).join(', ')})`);
  return { batch: d.batch, name: tr.name, first, last };
}

/** Median ms per step (tinybench p50). */
export async function medianMs(tr: Trainer, time: number): Promise<number> {
  await tr.activate?.();
  const bench = new Bench({ time, iterations: 5, warmupTime: Math.min(200, time / 4), warmupIterations: 2 });
  bench.add(tr.name, tr.step);
  await bench.run();
  const r = bench.tasks[0]!.result;
  if (r.state !== 'completed') throw new Error(`train bench: ${tr.name} did not complete (${r.state})`);
  return r.latency.p50;
}
