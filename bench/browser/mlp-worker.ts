// A dedicated Web Worker of the isolated-Chromium benchmark page (bench/threads-browser.ts; the
// recommended place to train, where Atomics.wait may block). Each worker holds one library
// configuration, with a trainer per batch size (bench/mlp-trainers.ts, the code the Node benches run):
//   simdgrad      init({ threads }) — its kernel pool over one shared memory — nn.Sequential and
//                 sg.linear with the ReLU fused;
//   jax-js        the whole step in one jit, reading the loss with item() (every kernel on this
//                 thread) or, 'jax-js pool', with await data() (each kernel dispatched across jax-js's
//                 own pool of navigator.hardwareConcurrency Web Workers);
//   tfjs          TensorFlow.js layers on its wasm backend (XNNPACK), setThreadsCount(threads), the
//                 threaded SIMD binary served from /tfjs-wasm/; tfjs uses at most half of
//                 navigator.hardwareConcurrency threads, so for more this worker reports more cores.
// The page relays requests { id, cmd, args } and gets back { id, result } or { id, error }:
//   setup { lib, threads, batches }  builds the trainers → { names, info }
//   validate { index, ref0 }         validate() of trainer `index` (first loss against the f64
//                                    reference, then a decrease) → Row
//   mark                             notes every trainer's live count (after all have validated:
//                                    an optimizer's state appears at its first step)
//   time { index, ms }               median ms per step of trainer `index`
//   finish                           checks every live count is unchanged since mark, disposes;
//                                    → the kernel pool's counts (jobs, shares, shares run by its
//                                    workers), null without a pool
import * as sg from '../../src/index.js';
import { active } from '../../src/runtime/context.js';
import type { KernelPool } from '../../src/threads/kernel-pool.js';
import {
  jaxTrainer, loadJax, makeData, makeWeights, medianMs, simdgradTrainer, tfTrainer, validate, type Trainer,
} from '../mlp-trainers.js';

export type Lib = 'simdgrad' | 'jax-js' | 'jax-js pool' | 'tfjs';
export interface WorkerConfig { lib: Lib; threads: number; batches: number[] }
/** Per trainer: its name, its family (the name without the threads: the row its speed-up is against) and batch. */
export interface WorkerSetup { names: string[]; families: string[]; batches: number[]; info: Record<string, string | number | boolean> }

const trainers: { batch: number; family: string; tr: Trainer; live?: number }[] = [];
const plural = (n: number) => `${n} thread${n === 1 ? '' : 's'}`;

async function setup({ lib, threads, batches }: WorkerConfig): Promise<WorkerSetup> {
  if (!crossOriginIsolated) throw new Error('the worker is not cross-origin isolated');
  // every configuration starts from simdgrad's seeded weights (the peers' copies are made from them)
  await sg.init({ threads: lib === 'simdgrad' ? threads : 1 });
  if (sg.threads() !== (lib === 'simdgrad' ? threads : 1)) throw new Error(`simdgrad runs ${sg.threads()} threads, asked for ${threads}`);
  const info: WorkerSetup['info'] = { cores: navigator.hardwareConcurrency, simdgradBuild: sg.backend() };
  const wt = makeWeights();
  for (const batch of batches) {
    const d = makeData(batch);
    if (lib === 'simdgrad') {
      for (const fused of [false, true]) {
        const tr = simdgradTrainer(d, fused), family = tr.name.replace(/^simdgrad \w+ /, 'simdgrad ');
        tr.name = `${family}, ${plural(threads)}`;
        trainers.push({ batch, family, tr });
      }
    } else if (lib === 'jax-js' || lib === 'jax-js pool') {
      const jax = await loadJax();
      if (!jax) throw new Error('jax-js did not load (see the console)');
      const tr = jaxTrainer(jax, wt, d, true, lib === 'jax-js' ? 'sync' : 'async');
      const family = 'jax-js (jit step)';
      tr.name = `${family}, ${lib === 'jax-js' ? '1 thread' : `worker pool of ${navigator.hardwareConcurrency}`}`;
      trainers.push({ batch, family, tr });
    } else {
      const tf = await import('@tensorflow/tfjs-core');
      const tfl = await import('@tensorflow/tfjs-layers');
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      if (trainers.length === 0) {
        wasm.setWasmPaths(new URL('/tfjs-wasm/', location.href).href);
        wasm.setThreadsCount(threads);
        // tfjs caps its pool at hardwareConcurrency / 2 (it assumes two hyperthreads per core), so on
        // 2 cores it never runs 2 threads; to allow it every core, it is told twice the cores
        if (threads > navigator.hardwareConcurrency / 2) {
          Object.defineProperty(navigator, 'hardwareConcurrency', { value: 2 * threads, configurable: true });
          info.tfjsToldCores = 2 * threads;
        }
        if (!(await tf.setBackend('wasm'))) throw new Error('TensorFlow.js: the wasm backend did not initialize');
        info.tfjsMultithread = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
        info.tfjsSimd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
        info.tfjsThreads = wasm.getThreadsCount();
        if (info.tfjsThreads !== threads) throw new Error(`TensorFlow.js runs ${info.tfjsThreads} threads, asked for ${threads}`);
      }
      const tr = await tfTrainer(tf, tfl, 'wasm', wt, d);
      const family = 'tfjs-wasm (XNNPACK)';
      tr.name = `${family}, ${plural(threads)}`;
      trainers.push({ batch, family, tr });
    }
  }
  return { names: trainers.map((t) => t.tr.name), families: trainers.map((t) => t.family), batches: trainers.map((t) => t.batch), info };
}

async function handle(cmd: string, args: Record<string, number> & WorkerConfig): Promise<unknown> {
  if (cmd === 'setup') return setup(args);
  const t = trainers[args.index ?? 0];
  if (cmd === 'validate') return validate(t!.tr, args.ref0!, makeData(t!.batch));
  if (cmd === 'mark') {
    for (const m of trainers) { await m.tr.activate?.(); m.live = m.tr.live(); }
    return trainers.length;
  }
  if (cmd === 'time') return medianMs(t!.tr, args.ms!);
  if (cmd === 'finish') {
    for (const { tr, live } of trainers) {
      await tr.activate?.();
      if (tr.live() !== live) throw new Error(`${tr.name} leaks (live count ${live} → ${tr.live()})`);
    }
    for (const { tr } of trainers) { await tr.activate?.(); tr.dispose(); }
    trainers.length = 0;
    return (active() as { pool?: KernelPool }).pool?.stats() ?? null;
  }
  throw new Error(`unknown request ${cmd}`);
}

const reply = (m: unknown) => (self as unknown as { postMessage(m: unknown): void }).postMessage(m);
self.onmessage = (e: MessageEvent<{ id: number; cmd: string; args: Record<string, number> & WorkerConfig }>) => {
  const { id, cmd, args } = e.data;
  handle(cmd, args).then((result) => reply({ id, result }), (err: unknown) => reply({ id, error: String((err as Error)?.stack ?? err) }));
};
