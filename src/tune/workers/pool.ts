// The worker pool of Study.optimize for an objective module: one Slot per lane of the trial loop
// (optimize-loop.ts), each a TrialRunner with a worker (a Node worker thread, or a Web Worker in
// browsers: node-host.ts / web-host.ts) that has its own simdgrad/wasm instance and has imported
// the objective module. Per trial the main thread keeps the study (sampler, storage), hands the
// trial to a slot, and answers the worker's synchronous trial calls (protocol.ts). The pool refuses
// to start (ObjectiveModuleError) when its first worker cannot load the module or lacks the export.
// A worker that crashes, exits, runs out of memory (resourceLimits) or exceeds `trialTimeout` fails
// its trial with the reason and is replaced for the next trial. SIGINT (and SIGTERM with
// handleSigterm) stops starting trials, fails the running ones ("interrupted") and returns;
// completed trials stay. Workers are reused across trials and terminated by close().
import { TrialPruned, type Trial } from '../trial.js';
import { trialFailure, type Outcome, type TrialRunner } from '../trial-runner.js';
import { ObjectiveModuleError } from '../objective-module-error.js';
import {
  CALL_METHODS, CHANNEL_BYTES, rebuildError, toRemoteError, writeReply,
  type FromWorker, type ObjectiveModule, type WorkerData, type WorkerOptions,
} from './protocol.js';
import { availableBackends } from '../../backend/create-backend.js';
import { compileVariant } from '../../runtime/load.js';
import { isNodeLike, nodeSpawner, type SpawnWorker, type WorkerHandle } from './node-host.js';
import { webSpawner } from './web-host.js';
import { cores } from '../../threads/cores.js';

/** One worker seat: keeps a live worker (spawning a new one after a crash) and runs trials on it. */
class Slot implements TrialRunner {
  private worker: WorkerHandle | undefined;
  private ready: Promise<void> | undefined;
  private settle: ((o: Outcome) => void) | undefined;
  private trial: Trial | undefined;
  private interrupted: string | undefined;
  private readonly channel = new SharedArrayBuffer(CHANNEL_BYTES);

  constructor(private readonly spawn: SpawnWorker, private readonly data: Omit<WorkerData, 'channel'>, private readonly trialTimeout?: number) {}

  private start(): void {
    let resolveReady!: () => void, rejectReady!: (e: Error) => void;
    this.ready = new Promise<void>((res, rej) => { resolveReady = res; rejectReady = rej; });
    this.ready.catch(() => undefined);
    const w = this.spawn({ ...this.data, channel: this.channel });
    this.worker = w;
    const dead = (err: Error) => {
      if (this.worker !== w) return;
      this.worker = undefined;
      rejectReady(err);
      this.finish({ error: err });
    };
    w.listen({
      message: (m: FromWorker) => {
        if (this.worker !== w) return;
        if (m.type === 'ready') resolveReady();
        else if (m.type === 'call') this.answer(m.method, m.args);
        else if (m.type === 'result') this.finish({ value: m.value });
        else if (m.type === 'error') {
          if (m.fatal) { this.kill(); rejectReady(rebuildError(m.error)); }
          this.finish({ error: m.pruned ? new TrialPruned(m.error.message) : rebuildError(m.error) });
        }
      },
      error: (e) => dead(trialFailure('WorkerCrash', `worker crashed: ${(e as { code?: string }).code ? `${(e as { code?: string }).code}: ` : ''}${e.message}`)),
      exit: (code) => dead(trialFailure('WorkerExit', `worker exited with code ${code} during the trial`)),
    });
  }

  /** Answers a synchronous trial call from the worker with the main thread's Trial. */
  private answer(method: string, args: unknown[]): void {
    const t = this.trial;
    try {
      if (!t) throw new Error(`trial call ${method} outside a trial`);
      if (!(CALL_METHODS as readonly string[]).includes(method)) throw new RangeError(`unknown trial method ${method}`);
      const ok = (t[method as keyof Trial] as (...a: unknown[]) => unknown).apply(t, args);
      const name = typeof args[0] === 'string' && method.startsWith('suggest') ? args[0] : undefined;
      writeReply(this.channel, name !== undefined ? { ok: ok ?? null, distribution: t.distributions[name]! } : { ok: ok ?? null });
    } catch (e) {
      writeReply(this.channel, { err: toRemoteError(e) });
    }
  }

  private finish(o: Outcome): void {
    const s = this.settle;
    this.settle = undefined;
    this.trial = undefined;
    s?.(o);
  }

  private kill(): void {
    const w = this.worker;
    this.worker = undefined;
    void w?.terminate();
  }

  /** Starts this slot's worker and waits until it has loaded the objective; rejects if it cannot. */
  async warm(): Promise<void> {
    if (!this.worker) this.start();
    await this.ready;
  }

  /** Runs one trial on this slot's worker; never rejects (failures are outcomes). */
  async run(trial: Trial): Promise<Outcome> {
    if (this.interrupted) return { error: trialFailure('Interrupted', this.interrupted) };
    if (!this.worker) this.start();
    const outcome = new Promise<Outcome>((resolve) => { this.settle = resolve; });
    try {
      // An interrupt while the worker starts settles the outcome (and kills the worker, whose
      // exit no longer reaches `ready`): stop waiting then.
      await Promise.race([this.ready, outcome]);
    } catch (e) {
      return { error: trialFailure('WorkerCrash', `worker failed to start: ${(e as Error).message}`) };
    }
    if (!this.settle) return outcome;
    if (this.interrupted) { this.finish({ error: trialFailure('Interrupted', this.interrupted) }); return outcome; }
    this.trial = trial;
    this.worker!.post({
      type: 'run',
      trial: { number: trial.number, params: { ...trial.params }, distributions: { ...trial.distributions }, userAttrs: { ...trial.userAttrs }, intermediateValues: { ...trial.intermediateValues } },
    });
    const limit = this.trialTimeout;
    const timer = limit === undefined ? undefined : setTimeout(() => {
      this.kill();
      this.finish({ error: trialFailure('TrialTimeout', `trial ${trial.number} exceeded trialTimeout ${limit} s; its worker was terminated`) });
    }, limit * 1000);
    try {
      return await outcome;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Fails the running trial now (terminating its worker) and refuses further trials. */
  interrupt(reason: string): void {
    this.interrupted = reason;
    if (this.settle) {
      this.kill();
      this.finish({ error: trialFailure('Interrupted', reason) });
    }
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    await w?.terminate();
  }
}

/** The workers' init options with the wasm compiled once here (the best build unless one is named;
 * its threads build when each worker gets several kernel threads). */
async function sharedInit(init: WorkerOptions['init'] = {}, threads: number): Promise<WorkerData['init']> {
  const name = init.backend ?? availableBackends()[0]!;
  if (name === 'js') return { ...init, backend: name };
  const build = threads > 1 && (name === 'relaxed' || name === 'simd') ? `${name}-threads` as const : name;
  return { ...init, backend: name, threads, module: await compileVariant(build) };
}

/** A file path or URL as a URL string workers can import (relative to the page outside Node). */
async function moduleHref(m: string | URL): Promise<string> {
  if (m instanceof URL) return m.href;
  if (/^[a-z][a-z0-9+.-]+:/i.test(m) && !/^[a-z]:[\\/]/i.test(m)) return m;
  const base = (globalThis as { location?: { href: string } }).location?.href;
  if (!isNodeLike() && base) return new URL(m, base).href;
  const { pathToFileURL } = await import('node:url');
  const { resolve } = await import('node:path');
  return pathToFileURL(resolve(m)).href;
}

/** The running pool of one optimize call. */
export interface WorkerPool {
  /** The runner of a lane of the trial loop (its slot, made on first use). */
  runner(lane: number): TrialRunner;
  /** Whether a signal stopped the pool (the loop then claims no more trials). */
  readonly interrupted: boolean;
  /** Terminates the workers and removes the signal handlers. */
  close(): Promise<void>;
}

/** @internal Starts the pool for a { module, export } objective: its first worker loads the module.
 * `lanes` workers run at once; each gets floor(cores / lanes) kernel threads (at least 1). */
export async function startWorkerPool(spec: ObjectiveModule, opts: WorkerOptions & { trialTimeout?: number; lanes: number }): Promise<WorkerPool> {
  if (!spec || (typeof spec.module !== 'string' && !(spec.module instanceof URL))) {
    throw new TypeError('optimize: the objective must be a function or { module: string | URL, export?: string }');
  }
  const objective = { module: await moduleHref(spec.module), export: spec.export ?? 'default' };
  const spawn = isNodeLike() ? await nodeSpawner(objective.module, opts) : await webSpawner(opts);
  const threads = typeof opts.init?.threads === 'number' ? opts.init.threads : Math.max(1, Math.floor(await cores() / opts.lanes));
  const data = { init: await sharedInit(opts.init, threads), objective, threads };
  const slots: Slot[] = [new Slot(spawn, data, opts.trialTimeout)];
  try {
    await slots[0]!.warm();
  } catch (e) {
    await slots[0]!.close();
    const err = e as Error; // the module's own failure names it; a crash or exit is said as such
    throw new ObjectiveModuleError(/^Worker(Crash|Exit)$/.test(err.name) ? `the first trial worker did not start: ${err.message}` : err.message);
  }
  let interrupted = false;
  const onSignal = (sig: string) => {
    interrupted = true;
    for (const s of slots) s.interrupt(`interrupted by ${sig}`);
  };
  const hasProcess = typeof process === 'object' && typeof process.on === 'function';
  const signals = hasProcess ? [...(opts.handleSigint !== false ? ['SIGINT'] : []), ...(opts.handleSigterm ? ['SIGTERM'] : [])] : [];
  for (const sig of signals) process.on(sig, onSignal);
  return {
    runner: (lane) => (slots[lane] ??= new Slot(spawn, data, opts.trialTimeout)),
    get interrupted() { return interrupted; },
    async close() {
      for (const sig of signals) process.off(sig, onSignal);
      await Promise.all(slots.map((s) => s.close()));
    },
  };
}
