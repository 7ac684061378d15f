// RemoteTrial: the trial an objective receives inside a worker. Same surface as Trial (number,
// params, suggest*, report, shouldPrune, setUserAttr, uploadArtifact, setConstraint); every method is a synchronous call into the
// main thread's Trial over the worker channel (protocol.ts), so values, validation errors and
// pruning decisions are the main thread's. Getters read a local mirror kept up to date.
import type { Distribution, ParamValue } from '../distributions.js';
import { callSync, rebuildError, type CallMethod, type FromWorker, type TrialSeed } from './protocol.js';

export class RemoteTrial {
  private readonly seed: TrialSeed;

  /** @internal built by the worker entry */
  constructor(seed: TrialSeed, private readonly channel: SharedArrayBuffer, private readonly post: (m: FromWorker) => void) {
    this.seed = structuredClone(seed);
    for (const k of ['params', 'distributions', 'userAttrs', 'intermediateValues'] as const) Object.setPrototypeOf(this.seed[k], null); // any name is a key
  }

  get number(): number { return this.seed.number; }
  get params(): Readonly<Record<string, ParamValue>> { return this.seed.params; }
  get distributions(): Readonly<Record<string, Distribution>> { return this.seed.distributions; }
  get userAttrs(): Readonly<Record<string, unknown>> { return this.seed.userAttrs; }
  get intermediateValues(): Readonly<Record<number, number>> { return this.seed.intermediateValues; }

  private call(method: CallMethod, args: unknown[]): { ok: unknown; distribution?: Distribution } {
    const reply = callSync(this.channel, this.post, method, args);
    if ('err' in reply) throw rebuildError(reply.err);
    return reply;
  }

  private suggest(method: CallMethod, name: string, args: unknown[]): ParamValue {
    const { ok, distribution } = this.call(method, [name, ...args]);
    this.seed.params[name] = ok as ParamValue;
    if (distribution) this.seed.distributions[name] = distribution;
    return ok as ParamValue;
  }

  /** @see Trial.suggestFloat */
  suggestFloat(name: string, low: number, high: number, opts: { log?: boolean; step?: number } = {}): number {
    return this.suggest('suggestFloat', name, [low, high, opts]) as number;
  }
  /** @see Trial.suggestInt */
  suggestInt(name: string, low: number, high: number, opts: { log?: boolean; step?: number } = {}): number {
    return this.suggest('suggestInt', name, [low, high, opts]) as number;
  }
  /** @see Trial.suggestCategorical */
  suggestCategorical<T extends ParamValue>(name: string, choices: readonly T[]): T {
    return this.suggest('suggestCategorical', name, [choices]) as T;
  }
  /** @see Trial.report */
  report(value: number, step: number): void {
    this.call('report', [value, step]);
    if (!(step in this.seed.intermediateValues)) this.seed.intermediateValues[step] = value;
  }
  /** @see Trial.shouldPrune */
  shouldPrune(): boolean {
    return this.call('shouldPrune', []).ok as boolean;
  }
  /** @see Trial.uploadArtifact (the bytes travel to the main thread, which stores them) */
  uploadArtifact(filename: string, bytes: Uint8Array | ArrayBuffer | string, opts: { mimetype?: string; encoding?: string } = {}): string {
    return this.call('uploadArtifact', [filename, bytes, opts]).ok as string;
  }
  /** @see Trial.setUserAttr (the value must survive JSON) */
  setUserAttr(key: string, value: unknown): void {
    this.call('setUserAttr', [key, value]);
    this.seed.userAttrs[key] = value;
  }
  /** @see Trial.setConstraint */
  setConstraint(values: readonly number[]): void {
    this.call('setConstraint', [values]);
  }
}
