// LeNet-5 training throughput: steps/s of the classic LeNet-5 (conv 1→6 5×5 pad 2, ReLU, max-pool 2,
// conv 6→16 5×5, ReLU, max-pool 2, 400→120→84→10 with ReLU; softmax cross-entropy; Adam lr 1e-3,
// PyTorch's defaults) on one fixed random batch of B = 64 28×28 images, simdgrad vs the peers a
// user would pick instead, in the same run, single thread: TensorFlow.js layers (model.trainOnBatch;
// its wasm backend cannot train a CNN — the error is recorded — so its cpu backend is timed) and
// jax-js on its wasm device (lax.convGeneralDilated, lax.reduceWindow max pooling, the whole step —
// valueAndGrad + Adam — in one jit). One step = forward + backward + Adam update + reading the loss.
//
// Every implementation starts from simdgrad's seeded initial weights (transposed into tfjs's NHWC /
// HWIO layout, its first dense layer's rows permuted to NHWC flattening) and sees the same data.
// Validation before timing: the first loss matches an f64 forward pass written here, the loss
// decreases over VALIDATE_STEPS steps and the trajectories agree, and a live count is unchanged by
// timing. Useful work: conv and linear FLOPs of the forward pass, the weight gradients and the
// input gradients every layer but the first needs (the images need none): ≈ 145 MFLOP at B = 64
// (≈ 160 counting the first layer's input gradient too).
import { Bench } from 'tinybench';
import * as sg from '../src/index.js';
import { Adam } from '../src/optim/index.js';
import { kerasTrainer, xorshift, type Tf, type TfLayers, type Trainer } from './mlp-trainers.js';

const B = 64, LR = 1e-3, BETA1 = 0.9, BETA2 = 0.999, EPS = 1e-8;
const VALIDATE_STEPS = 4;
const FC = [400, 120, 84, 10] as const;
/** Forward FLOPs per sample of conv1, conv2 and the dense layers. */
const F1 = 2 * 784 * 6 * 25, F2 = 2 * 100 * 16 * 150, FD = 2 * (400 * 120 + 120 * 84 + 84 * 10);
/** Useful FLOPs of one step: forward, weight gradients, input gradients of all but conv1. */
export const LENET_STEP_FLOPS = B * (3 * (F1 + F2 + FD) - F1);

export interface LenetWeights { w: Float32Array[]; b: Float32Array[] }

const rnd = xorshift(2024);
export const X = Float32Array.from({ length: B * 784 }, () => rnd());
export const Y = Int32Array.from({ length: B }, () => Math.floor(rnd() * 10));

function lenet(): sg.nn.Sequential {
  const { nn } = sg;
  return new nn.Sequential(new nn.Conv2d(1, 6, 5, { padding: 2, seed: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(6, 16, 5, { seed: 3 }), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(),
    new nn.Linear(400, 120, { seed: 5 }), new nn.ReLU(), new nn.Linear(120, 84, { seed: 7 }), new nn.ReLU(), new nn.Linear(84, 10, { seed: 9 }));
}

/** The initial weights (PyTorch layouts: conv [out, in, 5, 5], dense [out, in]). */
export function lenetWeights(): LenetWeights {
  const m = lenet(), ps = m.parameters();
  const w = { w: ps.filter((_, i) => i % 2 === 0).map((p) => p.toArray()), b: ps.filter((_, i) => i % 2 === 1).map((p) => p.toArray()) };
  m.dispose();
  return w;
}

/** Mean cross-entropy at the initial weights in f64 (naive loops: the reference for validation). */
export function referenceLoss(wt: LenetWeights): number {
  const conv = (x: Float64Array, cin: number, s: number, w: Float32Array, b: Float32Array, cout: number, pad: number) => {
    const o = s + 2 * pad - 4, y = new Float64Array(cout * o * o);
    for (let co = 0; co < cout; co++) for (let i = 0; i < o; i++) for (let j = 0; j < o; j++) {
      let acc = b[co]!;
      for (let ci = 0; ci < cin; ci++) for (let a = 0; a < 5; a++) for (let c = 0; c < 5; c++) {
        const r = i + a - pad, q = j + c - pad;
        if (r >= 0 && r < s && q >= 0 && q < s) acc += x[(ci * s + r) * s + q]! * w[((co * cin + ci) * 5 + a) * 5 + c]!;
      }
      y[(co * o + i) * o + j] = Math.max(acc, 0);
    }
    return y;
  };
  const pool = (x: Float64Array, c: number, s: number) => {
    const o = s / 2, y = new Float64Array(c * o * o);
    for (let k = 0; k < c; k++) for (let i = 0; i < o; i++) for (let j = 0; j < o; j++) {
      const at = (r: number, q: number) => x[(k * s + 2 * i + r) * s + 2 * j + q]!;
      y[(k * o + i) * o + j] = Math.max(at(0, 0), at(0, 1), at(1, 0), at(1, 1));
    }
    return y;
  };
  let total = 0;
  for (let n = 0; n < B; n++) {
    let h = pool(conv(Float64Array.from(X.subarray(n * 784, (n + 1) * 784)), 1, 28, wt.w[0]!, wt.b[0]!, 6, 2), 6, 28);
    h = pool(conv(h, 6, 14, wt.w[1]!, wt.b[1]!, 16, 0), 16, 10);
    for (let l = 0; l < 3; l++) {
      const next = new Float64Array(FC[l + 1]!), w = wt.w[l + 2]!;
      for (let o = 0; o < FC[l + 1]!; o++) {
        let s = wt.b[l + 2]![o]!;
        for (let k = 0; k < FC[l]!; k++) s += h[k]! * w[o * FC[l]! + k]!;
        next[o] = l < 2 ? Math.max(s, 0) : s;
      }
      h = next;
    }
    const m = Math.max(...h);
    total += Math.log(h.reduce((z, v) => z + Math.exp(v - m), 0)) + m - h[Y[n]!]!;
  }
  return total / B;
}

export function simdgradTrainer(): Trainer {
  const model = lenet(), opt = new Adam(model.parameters(), { lr: LR });
  const x = sg.tensor(X, [B, 1, 28, 28]);
  return {
    name: `simdgrad ${sg.backend()} (nn.Sequential)`,
    step: () => sg.scope(() => {
      opt.zeroGrad();
      const loss = sg.nn.functional.crossEntropy(model.forward(x) as sg.Tensor, Y);
      loss.backward();
      opt.step();
      return loss.item();
    }),
    live: () => { const m = sg.memory(); return m.tensors * 2 ** 32 + m.bytes; },
    dispose: () => { opt.dispose(); model.dispose(); x.dispose(); },
  };
}


/** [out, in, kh, kw] → [kh, kw, in, out]. */
function hwio(w: Float32Array, out: number, inp: number): Float32Array {
  const t = new Float32Array(w.length);
  for (let o = 0; o < out; o++) for (let i = 0; i < inp; i++) for (let k = 0; k < 25; k++) t[(k * inp + i) * out + o] = w[(o * inp + i) * 25 + k]!;
  return t;
}

/** tf.sequential LeNet-5 (NHWC), softmax output, sparseCategoricalCrossentropy, tf.train.adam. */
export async function tfTrainer(tf: Tf, tfl: TfLayers, backend: string, wt: LenetWeights): Promise<Trainer> {
  await tf.setBackend(backend);
  const L = tfl.layers;
  const model = tfl.sequential({ layers: [
    L.conv2d({ inputShape: [28, 28, 1], filters: 6, kernelSize: 5, padding: 'same', activation: 'relu' }), L.maxPooling2d({ poolSize: 2 }),
    L.conv2d({ filters: 16, kernelSize: 5, activation: 'relu' }), L.maxPooling2d({ poolSize: 2 }), L.flatten(),
    L.dense({ units: 120, activation: 'relu' }), L.dense({ units: 84, activation: 'relu' }), L.dense({ units: 10, activation: 'softmax' }),
  ] });
  // dense 1 reads NHWC-flattened (h, w, c) features where simdgrad's rows are (c, h, w)
  const d1 = new Float32Array(400 * 120);
  for (let o = 0; o < 120; o++) for (let c = 0; c < 16; c++) for (let p = 0; p < 25; p++) d1[(p * 16 + c) * 120 + o] = wt.w[2]![o * 400 + c * 25 + p]!;
  const dense = (w: Float32Array, out: number, inp: number) => {
    const t = new Float32Array(w.length);
    for (let o = 0; o < out; o++) for (let i = 0; i < inp; i++) t[i * out + o] = w[o * inp + i]!;
    return t;
  };
  const kernels = [tf.tensor4d(hwio(wt.w[0]!, 6, 1), [5, 5, 1, 6]), tf.tensor4d(hwio(wt.w[1]!, 16, 6), [5, 5, 6, 16]),
    tf.tensor2d(d1, [400, 120]), tf.tensor2d(dense(wt.w[3]!, 84, 120), [120, 84]), tf.tensor2d(dense(wt.w[4]!, 10, 84), [84, 10])];
  model.layers.filter((l) => l.getWeights().length > 0).forEach((layer, i) => {
    const b = tf.tensor1d(wt.b[i]!);
    layer.setWeights([kernels[i]!, b]);
    b.dispose();
  });
  for (const k of kernels) k.dispose();
  return kerasTrainer(tf, model, backend, `tfjs-${backend} (layers, trainOnBatch)`, tf.tensor4d(X, [B, 28, 28, 1]), Y);
}

type Jax = typeof import('@jax-js/jax');
type JArray = import('@jax-js/jax').Array;
type Params = Record<string, JArray>;

/** jax-js: the whole step (valueAndGrad of the loss, Adam on every leaf) in one jit. */
export function jaxTrainer(jax: Jax, wt: LenetWeights): Trainer {
  const { numpy: np, nn, lax, jit, valueAndGrad, tree } = jax;
  const keys = ['w1', 'b1', 'w2', 'b2', 'w3', 'b3', 'w4', 'b4', 'w5', 'b5'];
  const dense = (w: Float32Array, out: number, inp: number) => {
    const t = new Float32Array(w.length);
    for (let o = 0; o < out; o++) for (let i = 0; i < inp; i++) t[i * out + o] = w[o * inp + i]!;
    return np.array(t).reshape([inp, out]);
  };
  let params: Params = {
    w1: np.array(wt.w[0]!).reshape([6, 1, 5, 5]), b1: np.array(wt.b[0]!).reshape([1, 6, 1, 1]),
    w2: np.array(wt.w[1]!).reshape([16, 6, 5, 5]), b2: np.array(wt.b[1]!).reshape([1, 16, 1, 1]),
    w3: dense(wt.w[2]!, 120, 400), b3: np.array(wt.b[2]!), w4: dense(wt.w[3]!, 84, 120), b4: np.array(wt.b[3]!),
    w5: dense(wt.w[4]!, 10, 84), b5: np.array(wt.b[4]!),
  };
  const zeros = (p: Params): Params => Object.fromEntries(keys.map((k) => [k, np.zeros(p[k]!.shape)]));
  let m = zeros(params), v = zeros(params);
  const x = np.array(X).reshape([B, 1, 28, 28]);
  const oneHot = new Float32Array(B * 10);
  Y.forEach((c, i) => { oneHot[i * 10 + c] = 1; });
  const y = np.array(oneHot).reshape([B, 10]);
  const pool = (a: JArray) => lax.reduceWindow(a, (w: JArray) => np.max(w), [1, 1, 2, 2], [1, 1, 2, 2]);
  const loss = (p: Params, xb: JArray, yb: JArray): JArray => {
    let h = pool(nn.relu(lax.convGeneralDilated(xb, p.w1!, [1, 1], [[2, 2], [2, 2]]).add(p.b1!)));
    h = pool(nn.relu(lax.convGeneralDilated(h, p.w2!, [1, 1], 'VALID').add(p.b2!))).reshape([B, 400]);
    h = nn.relu(np.dot(h, p.w3!).add(p.b3!));
    h = nn.relu(np.dot(h, p.w4!).add(p.b4!));
    return nn.logSoftmax(np.dot(h, p.w5!).add(p.b5!)).mul(yb).sum().mul(-1 / B);
  };
  const step = jit((p: Params, mo: Params, ve: Params, xb: JArray, yb: JArray, c1: JArray, c2: JArray) => {
    const [l, g] = valueAndGrad(loss)(tree.ref(p), xb, yb);
    const np_: Params = {}, nm: Params = {}, nv: Params = {};
    for (const k of keys) {
      const gk = g[k]!;
      nm[k] = mo[k]!.mul(BETA1).add(gk.ref.mul(1 - BETA1));
      nv[k] = ve[k]!.mul(BETA2).add(gk.ref.mul(gk).mul(1 - BETA2));
      np_[k] = p[k]!.sub(nm[k]!.ref.mul(c1.ref).div(np.sqrt(nv[k]!.ref).mul(c2.ref).add(EPS)));
    }
    c1.dispose(); c2.dispose();
    return [l, np_, nm, nv] as [JArray, Params, Params, Params];
  });
  let t = 0;
  return {
    name: 'jax-js wasm (jit step)',
    step: () => {
      t++;
      const c1 = np.array(LR / (1 - BETA1 ** t)), c2 = np.array(1 / Math.sqrt(1 - BETA2 ** t));
      let l: JArray;
      [l, params, m, v] = step(params, m, v, x.ref, y.ref, c1, c2);
      return l.item();
    },
    live: () => [...tree.leaves([params, m, v]), x, y].reduce((n, a) => n + a.refCount, 0),
    dispose: () => { tree.dispose([params, m, v]); x.dispose(); y.dispose(); step.dispose(); },
  };
}

/** Takes VALIDATE_STEPS steps; checks the first loss against ref0 and a decrease. */
export async function validate(tr: Trainer, ref0: number): Promise<{ first: number; last: number }> {
  await tr.activate?.();
  const losses: number[] = [];
  for (let i = 0; i < VALIDATE_STEPS; i++) losses.push(await tr.step());
  const first = losses[0]!, last = losses.at(-1)!;
  if (!losses.every(Number.isFinite)) throw new Error(`lenet bench: ${tr.name}: non-finite loss (${losses.join(', ')})`);
  if (!(Math.abs(first - ref0) <= 1e-3 * Math.max(1, ref0))) throw new Error(`lenet bench: ${tr.name}: first loss ${first}, f64 reference ${ref0}`);
  if (!(last < first)) throw new Error(`lenet bench: ${tr.name}: loss did not decrease (${losses.join(', ')})`);
  return { first, last };
}

/** Median ms per step (tinybench p50). */
export async function medianMs(tr: Trainer, time: number): Promise<number> {
  await tr.activate?.();
  const bench = new Bench({ time, iterations: 3, warmupTime: 0, warmupIterations: 1 });
  bench.add(tr.name, tr.step);
  await bench.run();
  const r = bench.tasks[0]!.result;
  if (r.state !== 'completed') throw new Error(`lenet bench: ${tr.name} did not complete (${r.state})`);
  return r.latency.p50;
}
