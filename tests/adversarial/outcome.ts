// Outcome counting for the adversarial battery (tests/adversarial/*.test.ts and
// bench/reliability.ts run the same probes). A probe is a call with possibly hostile arguments and
// what it must do: either return a result an independent oracle accepts, or throw a typed error (a
// class from src/errors.ts, or SafetensorsError). Anything else is a failure: a result returned for
// garbage or a wrong result (silent), a raw TypeError/RangeError/Error (untyped), or a typed error
// for an input that is valid (rejected).
import * as errors from '../../src/errors.js';
import { SafetensorsError } from '../../src/io/index.js';

export type Outcome = 'typed' | 'correct' | 'silent' | 'untyped' | 'rejected';

/** What a probe expects: a typed error (garbage in), or a result the check accepts (valid input). */
export type Expect<R> = 'error' | ((result: R) => boolean | string);

export interface Probe<R = unknown> {
  /** Short description for failure reports. */
  label: string;
  run(): R;
  expect: Expect<R>;
  /** A typed error is acceptable too (a refusal is always safe, e.g. a corrupted file). */
  mayRefuse?: boolean;
}

type ErrorClass = abstract new (...a: never[]) => Error;
/** Every error class src/errors.ts exports, and the safetensors parser's. */
const TYPED: readonly ErrorClass[] = [
  ...(Object.values(errors) as unknown[]).filter((v): v is ErrorClass =>
    typeof v === 'function' && (v as { prototype?: unknown }).prototype instanceof Error),
  SafetensorsError,
];

/** Whether e is one of the library's typed errors. */
export function isTyped(e: unknown): boolean {
  return TYPED.some((C) => e instanceof C);
}

/** Probes tried and their outcomes; `failures` keeps the first few bad ones, described. */
export class Tally {
  probes = 0;
  typed = 0;
  correct = 0;
  silent = 0;
  untyped = 0;
  rejected = 0;
  readonly failures: string[] = [];

  record(outcome: Outcome, label: string, detail = ''): Outcome {
    this.probes++;
    this[outcome]++;
    if ((outcome === 'silent' || outcome === 'untyped' || outcome === 'rejected') && this.failures.length < 20) {
      this.failures.push(`${outcome}: ${label}${detail ? ` — ${detail}` : ''}`);
    }
    return outcome;
  }

  /** Adds another tally's counts (and failures) into this one. */
  merge(o: Tally): this {
    for (const k of ['probes', 'typed', 'correct', 'silent', 'untyped', 'rejected'] as const) this[k] += o[k];
    this.failures.push(...o.failures.slice(0, Math.max(0, 20 - this.failures.length)));
    return this;
  }

  /** Whether no probe failed. */
  get ok(): boolean { return this.silent === 0 && this.untyped === 0 && this.rejected === 0; }
}

/** Runs one probe and records what happened; returns the outcome. */
export function runProbe<R>(tally: Tally, p: Probe<R>): Outcome {
  let result: R;
  try {
    result = p.run();
  } catch (e) {
    if (!isTyped(e)) return tally.record('untyped', p.label, String((e as Error)?.stack ?? e).split('\n').slice(0, 3).join(' | '));
    const refusable = p.expect === 'error' || p.mayRefuse;
    return tally.record(refusable ? 'typed' : 'rejected', p.label, refusable ? '' : String(e));
  }
  if (p.expect === 'error') return tally.record('silent', p.label, 'returned a result for an invalid input');
  let verdict: boolean | string;
  try {
    verdict = p.expect(result);
  } catch (e) {
    verdict = `the check threw ${String(e)}`;
  }
  return verdict === true ? tally.record('correct', p.label) : tally.record('silent', p.label, verdict || 'wrong result');
}

/** Same as runProbe for probes whose run() returns a promise. */
export async function runProbeAsync<R>(tally: Tally, p: Probe<Promise<R>> | (Omit<Probe<R>, 'run'> & { run(): Promise<R> })): Promise<Outcome> {
  let result: R;
  try {
    result = await p.run();
  } catch (e) {
    const expectError = p.expect === 'error';
    if (!isTyped(e)) return tally.record('untyped', p.label, String((e as Error)?.stack ?? e).split('\n').slice(0, 3).join(' | '));
    return tally.record(expectError ? 'typed' : 'rejected', p.label, expectError ? '' : String(e));
  }
  return runProbe(tally, { label: p.label, run: () => result, expect: p.expect as Expect<R> });
}

/** One line for a report: the counts in the bench's order. */
export function summary(name: string, t: Tally): string {
  return `| ${name} | ${t.probes} | ${t.typed} | ${t.correct} | ${t.silent} | ${t.untyped} | ${t.rejected} |`;
}
