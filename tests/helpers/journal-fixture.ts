// Journals written by hand for the journal damage tests and the adversarial battery: Optuna's
// operations for one study whose trials run two at a time (so updates interleave and refer to
// trials by id), and a naive replay of such lines written here (independent of JournalReplay) that
// says which trials, states, params and values an intact prefix holds.
import type { Storage } from '../../src/tune/index.js';

const FLOAT = JSON.stringify({ name: 'FloatDistribution', attributes: { step: null, low: 0, high: 1, log: false } });

/** A deterministic stream in [0, 1) (an LCG; seeds differ per journal). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 32; };
}

/**
 * The lines (without "\n") of a journal: study 's' (minimize), then `trials` trials, two in flight
 * at once; each sets param 'x', reports step 0, sets user attr 'k', and completes with value x²
 * (every fifth FAILs instead). Trial ids follow creation order.
 */
export function journalLines(trials: number, seed = 1): string[] {
  const rnd = lcg(seed), w = (k: number) => `worker-${k}`;
  const lines = [JSON.stringify({ op_code: 0, worker_id: w(0), study_name: 's', directions: [1] })];
  const todo: Array<Array<Record<string, unknown>>> = [];
  let created = 0;
  const start = () => {
    const id = created++, x = Math.round(rnd() * 1e6) / 1e6, worker = w(id % 2);
    lines.push(JSON.stringify({ op_code: 4, worker_id: worker, study_id: 0, datetime_start: '2026-01-02T03:04:05.678000' }));
    const fail = id % 5 === 4;
    todo.push([
      { op_code: 5, worker_id: worker, trial_id: id, param_name: 'x', param_value_internal: x, distribution: FLOAT },
      { op_code: 7, worker_id: worker, trial_id: id, step: 0, intermediate_value: x / 2 },
      { op_code: 8, worker_id: worker, trial_id: id, user_attr: { k: `t${id}` } },
      { op_code: 6, worker_id: worker, trial_id: id, state: fail ? 3 : 1, values: fail ? null : [x * x], datetime_complete: '2026-01-02T03:04:06.000000' },
    ]);
  };
  while (created < Math.min(2, trials)) start();
  while (todo.length) {
    const i = Math.floor(rnd() * todo.length), ops = todo[i]!;
    lines.push(JSON.stringify(ops.shift()));
    if (ops.length === 0) { todo.splice(i, 1); if (created < trials) start(); }
  }
  return lines;
}

/** A trial as the naive replay sees it. */
export interface NaiveTrial { number: number; state: string; x?: number; value: number | null; step0?: number; k?: string }

const STATES = ['RUNNING', 'COMPLETE', 'PRUNED', 'FAIL', 'WAITING'];

/** Replays lines of journalLines (ops 0, 4–8 of one study) naively: the trials they describe. */
export function naiveReplay(lines: readonly string[]): NaiveTrial[] {
  const trials: NaiveTrial[] = [];
  for (const l of lines) {
    const op = JSON.parse(l) as Record<string, any>;
    const t = trials[op.trial_id as number];
    if (op.op_code === 4) trials.push({ number: trials.length, state: 'RUNNING', value: null });
    else if (!t || t.state !== 'RUNNING') continue;
    else if (op.op_code === 5) t.x = op.param_value_internal;
    else if (op.op_code === 7) t.step0 = op.intermediate_value;
    else if (op.op_code === 8) t.k = op.user_attr.k;
    else if (op.op_code === 6) { t.state = STATES[op.state]!; t.value = op.values?.[0] ?? null; }
  }
  return trials;
}

/** The trials of study 's' loaded from a journal, in naiveReplay's terms. */
export async function loadedTrials(storage: Storage): Promise<NaiveTrial[] | null> {
  const study = await storage.loadStudy('s');
  if (!study) return null;
  return (await storage.getAllTrials(study.studyId)).map((t) => {
    const out: NaiveTrial = { number: t.number, state: t.state, value: t.value };
    if (Object.hasOwn(t.params, 'x')) out.x = t.params.x as number;
    if (Object.hasOwn(t.intermediateValues, 0)) out.step0 = t.intermediateValues[0];
    if (Object.hasOwn(t.userAttrs, 'k')) out.k = t.userAttrs.k as string;
    return out;
  });
}
