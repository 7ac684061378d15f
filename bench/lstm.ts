// LSTM training throughput: steps/s of an LSTM(64 → 256) over a batch of 32 sequences of 64 steps,
// its last hidden state through a Linear(256 → 10) head, softmax cross-entropy and Adam (lr 1e-3,
// PyTorch's defaults), on one fixed random batch; simdgrad (nn.LSTM, batchFirst) vs TensorFlow.js
// layers (tf.layers.lstm + dense, model.trainOnBatch) on its wasm backend (XNNPACK, one thread),
// in the same run, and the same LSTM written with simdgrad's elementary ops step by step (what the
// fused recurrent op replaces). One step = forward + loss + backward through time + Adam update +
// reading the loss.
//
// Both start from the same weights (simdgrad's seeded init copied into tfjs: kernel = W_ihᵀ,
// recurrentKernel = W_hhᵀ, bias = b_ih + b_hh, gate order i, f, g(c), o in both, sigmoid
// recurrent activation) and see the same data. Validation before timing: the first losses agree
// (rel. 1e-3), the losses are finite and decrease over VALIDATE_STEPS steps, and the live tensor /
// byte count is unchanged by timing (no leaks). Timing: tinybench medians over interleaved rounds,
// the fastest median per implementation kept (the machine may be shared). GFLOP/s counts GEMM
// work only: forward 2·T·B·4H·(I + H), backward twice that (dX, dh, dW_ih, dW_hh).
//
//   node --experimental-wasm-relaxed-simd --import tsx bench/lstm.ts [--quick] [--no-peers]
import { Bench } from 'tinybench';
import { pathToFileURL } from 'node:url';
import * as sg from '../src/index.js';
import { Adam } from '../src/optim/index.js';
import { xorshift, type Trainer } from './mlp-trainers.js';

export interface LstmBenchOptions {
  /** Time budget per measurement in ms (default 2000). */
  time?: number;
  /** Interleaved timing rounds (default 2). */
  rounds?: number;
  /** Skip TensorFlow.js. */
  noPeers?: boolean;
}

const B = 32, T = 64, I = 64, H = 256, C = 10;
const LR = 1e-3, BETA1 = 0.9, BETA2 = 0.999, EPS = 1e-8;
const VALIDATE_STEPS = 5;
/** GEMM flops of one step (forward ×3 for the backward; the head is negligible). */
const STEP_FLOPS = 3 * 2 * T * B * 4 * H * (I + H);

interface Weights { wih: Float32Array; whh: Float32Array; bih: Float32Array; bhh: Float32Array; wo: Float32Array; bo: Float32Array }

const r = xorshift(4242);
const X = Float32Array.from({ length: B * T * I }, () => 2 * r() - 1);
const Y = Int32Array.from({ length: B }, () => Math.floor(r() * C));

function makeModel(): { lstm: sg.nn.LSTM; head: sg.nn.Linear } {
  return { lstm: new sg.nn.LSTM(I, H, { batchFirst: true, seed: 5 }), head: new sg.nn.Linear(H, C, { seed: 50 }) };
}
function makeWeights(): Weights {
  const { lstm, head } = makeModel();
  const sd = lstm.stateDict();
  const w = {
    wih: sd.weight_ih_l0!.toArray(), whh: sd.weight_hh_l0!.toArray(), bih: sd.bias_ih_l0!.toArray(),
    bhh: sd.bias_hh_l0!.toArray(), wo: head.weight.toArray(), bo: head.bias!.toArray(),
  };
  lstm.dispose(); head.dispose();
  return w;
}
function transposed(w: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(w.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = w[i * cols + j]!;
  return t;
}

function simdgradTrainer(): Trainer {
  const { lstm, head } = makeModel();
  const opt = new Adam([...lstm.parameters(), ...head.parameters()], { lr: LR });
  const x = sg.tensor(X, [B, T, I]);
  return {
    name: `simdgrad ${sg.backend()} (nn.LSTM)`,
    step: () => sg.scope(() => {
      opt.zeroGrad();
      const [, [hN]] = lstm.forward(x);
      const loss = sg.nn.functional.crossEntropy(head.forward(hN.reshape([B, H])), Y);
      loss.backward();
      opt.step();
      return loss.item();
    }),
    live: () => { const m = sg.memory(); return m.tensors * 2 ** 32 + m.bytes; },
    dispose: () => { opt.dispose(); lstm.dispose(); head.dispose(); x.dispose(); },
  };
}

/**
 * The same model written with simdgrad's elementary ops, one step at a time (two sg.linear GEMMs
 * per step, gate slices, sigmoid / tanh / mul / add as separate autograd nodes): what the fused
 * recurrent op replaces. Same weights and data, so its losses must equal nn.LSTM's.
 */
function compositeTrainer(): Trainer {
  const { lstm, head } = makeModel();
  const opt = new Adam([...lstm.parameters(), ...head.parameters()], { lr: LR });
  const sd = lstm.stateDict();
  const [wih, whh, bih, bhh] = ['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0'].map((k) => sd[k]!);
  const x = sg.tensor(X, [B, T, I]);
  const gate = (g: sg.Tensor, q: number): sg.Tensor => sg.slice(g, [0, q * H], [B, (q + 1) * H]);
  return {
    name: `simdgrad ${sg.backend()} (composite ops, no fused cell)`,
    step: () => sg.scope(() => {
      opt.zeroGrad();
      let h = sg.zeros([B, H]), c = sg.zeros([B, H]);
      for (let t = 0; t < T; t++) {
        const xt = sg.slice(x, [0, t], [B, t + 1]).reshape([B, I]);
        const g = sg.linear(xt, wih!, bih).add(sg.linear(h, whh!, bhh));
        c = gate(g, 1).sigmoid().mul(c).add(gate(g, 0).sigmoid().mul(gate(g, 2).tanh()));
        h = gate(g, 3).sigmoid().mul(c.tanh());
      }
      const loss = sg.nn.functional.crossEntropy(head.forward(h), Y);
      loss.backward();
      opt.step();
      return loss.item();
    }),
    live: () => { const m = sg.memory(); return m.tensors * 2 ** 32 + m.bytes; },
    dispose: () => { opt.dispose(); lstm.dispose(); head.dispose(); x.dispose(); },
  };
}

type Tf = typeof import('@tensorflow/tfjs-core');
type TfLayers = typeof import('@tensorflow/tfjs-layers');

async function tfTrainer(wt: Weights): Promise<Trainer | null> {
  let tf: Tf, tfl: TfLayers;
  try {
    tf = await import('@tensorflow/tfjs-core');
    tfl = await import('@tensorflow/tfjs-layers');
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    wasm.setThreadsCount(1);
    if (!(await tf.setBackend('wasm'))) throw new Error('no wasm backend');
  } catch (e) {
    console.warn(`lstm bench: TensorFlow.js unavailable (${(e as Error).message})`);
    return null;
  }
  const model = tfl.sequential({
    layers: [
      tfl.layers.lstm({ inputShape: [T, I], units: H, recurrentActivation: 'sigmoid', returnSequences: false,
        // replaced by setWeights below (the default orthogonal init fails in this tfjs build)
        kernelInitializer: 'zeros', recurrentInitializer: 'zeros' }),
      tfl.layers.dense({ units: C, activation: 'softmax' }),
    ],
  });
  const bias = wt.bih.map((v, i) => v + wt.bhh[i]!);
  const vals = [tf.tensor2d(transposed(wt.wih, 4 * H, I), [I, 4 * H]), tf.tensor2d(transposed(wt.whh, 4 * H, H), [H, 4 * H]),
    tf.tensor1d(bias)];
  model.layers[0]!.setWeights(vals);
  const hv = [tf.tensor2d(transposed(wt.wo, C, H), [H, C]), tf.tensor1d(wt.bo)];
  model.layers[1]!.setWeights(hv);
  for (const v of [...vals, ...hv]) v.dispose();
  model.compile({ optimizer: tf.train.adam(LR, BETA1, BETA2, EPS), loss: 'sparseCategoricalCrossentropy' });
  const x = tf.tensor3d(X, [B, T, I]), y = tf.tensor2d(Float32Array.from(Y), [B, 1]);
  return {
    name: 'tfjs-wasm (layers.lstm)',
    activate: async () => { await tf.setBackend('wasm'); },
    step: async () => (await model.trainOnBatch(x, y)) as number,
    live: () => tf.memory().numTensors,
    dispose: () => { model.optimizer.dispose(); model.dispose(); x.dispose(); y.dispose(); },
  };
}

interface Row { name: string; losses: number[]; ms?: number }

async function validate(tr: Trainer): Promise<Row> {
  await tr.activate?.();
  const losses: number[] = [];
  for (let i = 0; i < VALIDATE_STEPS; i++) losses.push(await tr.step());
  if (!losses.every(Number.isFinite)) throw new Error(`lstm bench: ${tr.name}: non-finite loss (${losses.join(', ')})`);
  if (!(losses.at(-1)! < losses[0]!)) throw new Error(`lstm bench: ${tr.name}: loss did not decrease (${losses.join(', ')})`);
  return { name: tr.name, losses };
}

async function medianMs(tr: Trainer, time: number): Promise<number> {
  await tr.activate?.();
  const bench = new Bench({ time, iterations: 3, warmupTime: 0, warmupIterations: 1 });
  bench.add(tr.name, tr.step);
  await bench.run();
  const res = bench.tasks[0]!.result;
  if (res.state !== 'completed') throw new Error(`lstm bench: ${tr.name} did not complete (${res.state})`);
  return res.latency.p50;
}

export async function runLstmBench(opts: LstmBenchOptions = {}): Promise<string> {
  const time = opts.time ?? 2000, rounds = opts.rounds ?? 2;
  await sg.init({ threads: 1 }); // one thread: the peers run one (bench/threads.ts measures more)
  const tensors0 = sg.memory().tensors;
  const wt = makeWeights();
  const trainers: Trainer[] = [simdgradTrainer(), compositeTrainer()];
  const tfTr = opts.noPeers ? null : await tfTrainer(wt);
  if (tfTr) trainers.push(tfTr);
  const rows: Row[] = [];
  for (const tr of trainers) rows.push(await validate(tr));
  for (const row of rows.slice(1)) { // same weights and data: the first losses must agree
    const a = rows[0]!.losses[0]!, b = row.losses[0]!;
    if (!(Math.abs(a - b) <= 1e-3 * Math.abs(a))) throw new Error(`lstm bench: first losses differ: ${rows[0]!.name} ${a}, ${row.name} ${b}`);
  }
  const live0: number[] = [];
  for (const tr of trainers) { await tr.activate?.(); live0.push(tr.live()); }
  for (let round = 0; round < rounds; round++) {
    for (const [i, tr] of trainers.entries()) rows[i]!.ms = Math.min(rows[i]!.ms ?? Infinity, await medianMs(tr, time));
  }
  for (const [i, tr] of trainers.entries()) {
    await tr.activate?.();
    if (tr.live() !== live0[i]) throw new Error(`lstm bench: ${tr.name} leaks (live count ${live0[i]} → ${tr.live()})`);
  }
  for (const tr of trainers) { await tr.activate?.(); tr.dispose(); }
  if (sg.memory().tensors !== tensors0) throw new Error('lstm bench: simdgrad tensors outlived their trainer');
  const lines = ['| implementation | steps/s | ms/step | GFLOP/s | loss 1 → ' + VALIDATE_STEPS + ' |', '|---|---:|---:|---:|---|'];
  for (const row of rows) {
    const sps = 1000 / row.ms!;
    lines.push(`| ${row.name} | ${sps.toFixed(2)} | ${row.ms!.toFixed(1)} | ${(sps * STEP_FLOPS / 1e9).toFixed(1)} | ` +
      `${row.losses[0]!.toFixed(4)} → ${row.losses.at(-1)!.toFixed(4)} |`);
  }
  const ratio = rows.slice(1).map((row) => `simdgrad nn.LSTM / ${row.name}: **${(row.ms! / rows[0]!.ms!).toFixed(2)}×** steps/s.`);
  return `LSTM ${I} → ${H}, batch ${B}, ${T} steps, last hidden state → Linear(${H}, ${C}), softmax cross-entropy, ` +
    `Adam (lr 1e-3) on one fixed random batch; one step = forward + loss + backward through time + Adam + reading ` +
    `the loss. Node ${process.version}, single thread; same initial weights and data (first losses validated ` +
    `equal, losses decrease, no leaks). Steps/s: fastest tinybench median of ${rounds} interleaved rounds of ${time} ms. ` +
    `GFLOP/s: GEMM work only, 3·2·T·B·4H·(I+H) = ${(STEP_FLOPS / 1e9).toFixed(2)} GFLOP per step.\n\n` +
    lines.join('\n') + (ratio.length ? `\n\n${ratio.join('\n')}` : '');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const quick = process.argv.includes('--quick');
  try {
    const noPeers = process.argv.includes('--no-peers');
    console.log(await runLstmBench(quick ? { time: 500, rounds: 1, noPeers } : { noPeers }));
  } catch (e) {
    console.error((e as Error).stack ?? e);
    process.exit(1);
  }
}
