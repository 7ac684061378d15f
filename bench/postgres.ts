// PostgresStorage benchmark (issue 9), against a private server this script starts (tests/helpers/
// postgres-server.ts; or SIMDGRAD_PG_URL=postgresql://… for an existing one, each run in a fresh
// database):
//  1. Trials/minute with 1, 2 and 4 `simdgrad worker` processes on a CPU-bound objective (this
//     file's `work`: a fixed amount of floating-point work, calibrated here to ≈ 200 ms on one core,
//     so processes compete for the cores). Each process runs TRIALS trials; the rate counts the
//     trials completed in the window where all processes were running (from the last process's
//     second trial start to the first process's last trial end), so process start-up (tsx, init,
//     and the first trial's worker start and JIT warm-up) is excluded.
//  2. Storage overhead per trial at 10 and at 5,000 trials in the study: the storage calls one
//     trial makes as Study.ask/tell does them — claimWaitingTrial, createTrial, getAllTrials (the
//     sampler's read), 3 params and 3 intermediate values (concurrently, as Trial writes them),
//     finishTrial, getAllTrials — median over 60 trials, with the reading client already caught up
//     (its first read of a 5,000-trial study is reported apart). The study is filled in bulk SQL.
//     Also the whole study.optimize loop per trial (RandomSampler, trivial objective). Both sizes
//     run in alternating rounds so that a shared machine's load affects them alike.
//
//   node --import tsx bench/postgres.ts      (or npm run bench -- --only=postgres)
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import * as sg from '../src/index.js';
import { startPostgres, type PgServer } from '../tests/helpers/postgres-server.js';

const TRIALS = Number(process.env.PG_BENCH_TRIALS ?? 24);
const root = fileURLToPath(new URL('..', import.meta.url));

/** n dependent floating-point steps (the objective's fixed work). */
function compute(n: number, seed: number): number {
  let x = seed, y = 1;
  for (let i = 0; i < n; i++) { x = Math.sin(x) * 1.0001 + 0.5; y += x * x; }
  return y;
}

/** The benchmark objective (runs in a `simdgrad worker` thread): SG_WORK steps of compute. */
export function work(trial: sg.tune.RemoteTrial): number {
  const a = trial.suggestFloat('a', 0, 1);
  trial.setUserAttr('pid', process.pid);
  return compute(Number(process.env.SG_WORK ?? 1e6), a);
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]!; };

async function throughput(url: string, processes: number, steps: number): Promise<{ perMinute: number; trials: number; windowS: number }> {
  const study = `tpm-${processes}`;
  const storage = new sg.tune.PostgresStorage(url);
  await storage.createStudy(study, ['minimize']);
  const exits = Array.from({ length: processes }, () => new Promise<number | null>((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'worker', '--storage', url, '--study', study,
      '--objective', `${fileURLToPath(import.meta.url)}#work`, '--sampler', 'random', '--trials', String(TRIALS)],
    { cwd: root, env: { ...process.env, SG_WORK: String(steps) }, stdio: ['ignore', 'ignore', 'inherit'] });
    p.on('exit', resolve);
  }));
  const codes = await Promise.all(exits);
  if (codes.some((c) => c !== 0)) throw new Error(`a worker exited with ${codes.join(', ')}`);
  const trials = (await storage.getAllTrials((await storage.loadStudy(study))!.studyId)).filter((t) => t.state === 'COMPLETE');
  await storage.close();
  const byPid = new Map<unknown, sg.tune.FrozenTrial[]>();
  for (const t of trials) byPid.set(t.userAttrs.pid, [...(byPid.get(t.userAttrs.pid) ?? []), t]);
  if (byPid.size !== processes) throw new Error(`only ${byPid.size} of ${processes} processes completed trials`);
  // Each process's first trial carries its start-up (worker thread, wasm instance, the objective's
  // JIT warm-up: 0.8–1.5 s against ≈ 0.2 s later): the window opens at the last second-trial start.
  const from = Math.max(...[...byPid.values()].map((ts) => ts.map((t) => t.datetimeStart!).sort((a, b) => a - b)[1]!));
  const to = Math.min(...[...byPid.values()].map((ts) => Math.max(...ts.map((t) => t.datetimeComplete!))));
  const inWindow = trials.filter((t) => t.datetimeComplete! > from && t.datetimeComplete! <= to).length;
  return { perMinute: (inWindow / (to - from)) * 60_000, trials: trials.length, windowS: (to - from) / 1000 };
}

/** Fills a study with n COMPLETE trials (3 params, 3 intermediate values, a value) in bulk SQL. */
function fill(server: PgServer | undefined, url: string, studyId: number, n: number): void {
  if (!server || n === 0) return;
  const db = url.split('/').pop()!;
  const dist = '{"name": "FloatDistribution", "attributes": {"step": null, "low": 0, "high": 1, "log": false}}';
  server.psql(`
    INSERT INTO trials (study_id, state, datetime_start, datetime_complete) SELECT ${studyId}, 'COMPLETE', LOCALTIMESTAMP, LOCALTIMESTAMP FROM generate_series(1, ${n});
    INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) SELECT t.trial_id, p, random(), '${dist}' FROM trials t, unnest(array['x', 'y', 'z']) p WHERE t.study_id = ${studyId};
    INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, intermediate_value_type) SELECT t.trial_id, s, random(), 'FINITE' FROM trials t, generate_series(0, 2) s WHERE t.study_id = ${studyId};
    INSERT INTO trial_values (trial_id, objective, value, value_type) SELECT t.trial_id, 0, random(), 'FINITE' FROM trials t WHERE t.study_id = ${studyId};
    ANALYZE;`, db); // as autovacuum would have, for a study grown to this size
}

interface OverheadStudy { storage: sg.tune.PostgresStorage; studyId: number; name: string; firstReadMs: number; times: number[] }

async function prepareOverhead(server: PgServer | undefined, url: string, n: number): Promise<OverheadStudy> {
  const storage = new sg.tune.PostgresStorage(url);
  const name = `overhead-${n}`;
  const { studyId } = await storage.createStudy(name, ['minimize']);
  fill(server, url, studyId, n);
  const t = performance.now();
  await storage.getAllTrials(studyId);
  return { storage, studyId, name, firstReadMs: performance.now() - t, times: [] };
}

/** The storage calls of one trial, as Study.ask/tell makes them; returns milliseconds. */
async function oneTrial({ storage, studyId }: OverheadStudy): Promise<number> {
  const d: sg.tune.Distribution = { kind: 'float', low: 0, high: 1, log: false, step: null };
  const t = performance.now();
  const rec = (await storage.claimWaitingTrial(studyId)) ?? (await storage.createTrial(studyId));
  await storage.getAllTrials(studyId);
  await Promise.all([
    ...['x', 'y', 'z'].map((p) => storage.setTrialParam(rec.trialId, p, d, Math.random())),
    ...[0, 1, 2].map((s) => storage.setTrialIntermediateValue(rec.trialId, s, Math.random())),
  ]);
  await storage.finishTrial(rec.trialId, 'COMPLETE', [Math.random()]);
  await storage.getAllTrials(studyId);
  return performance.now() - t;
}

/** Whole study.optimize loop per trial (RandomSampler, trivial objective), in ms. */
async function optimizePerTrial(o: OverheadStudy, nTrials: number): Promise<number> {
  const study = await sg.tune.createStudy({ storage: o.storage, studyName: o.name, loadIfExists: true, sampler: new sg.tune.RandomSampler({ seed: 1 }) });
  const t = performance.now();
  await study.optimize((tr) => { tr.report(tr.suggestFloat('x', 0, 1), 0); return tr.suggestFloat('y', 0, 1); }, { nTrials });
  return (performance.now() - t) / nTrials;
}

export async function runPostgresBench(): Promise<string> {
  const external = process.env.SIMDGRAD_PG_URL;
  const server = external ? undefined : await startPostgres();
  let dbs = 0;
  const database = (): string => {
    const db = `bench_${process.pid}_${++dbs}`;
    if (server) { server.createDatabase(db); return server.urlFor(db); }
    return external!; // an existing server: one database, separate studies
  };
  try {
    let t = performance.now();
    compute(2e6, 0.1);
    const steps = Math.round((2e6 * 200) / (performance.now() - t)); // ≈ 200 ms of work on one core
    const rows: string[] = [];
    const rates: number[] = [];
    for (const p of process.env.PG_BENCH_SKIP_RATE ? [] : [1, 2, 4]) {
      const r = await throughput(database(), p, steps);
      rates.push(r.perMinute);
      rows.push(`| ${p} | ${r.perMinute.toFixed(0)} | ${(r.perMinute / rates[0]!).toFixed(2)}× | ${r.trials} (${TRIALS} per process); window ${r.windowS.toFixed(1)} s |`);
    }
    // Both study sizes measured in alternating rounds, so a shared machine's load hits both alike.
    const studies = [await prepareOverhead(server, database(), 10), await prepareOverhead(server, database(), 5000)];
    const optimizeMs: number[][] = [[], []];
    for (let round = 0; round < 6; round++) {
      for (const [k, o] of studies.entries()) {
        for (let i = 0; i < 10; i++) o.times.push(await oneTrial(o));
        optimizeMs[k]!.push(await optimizePerTrial(o, 5));
      }
    }
    const over = studies.map((o, k) => `| ${(k ? 5000 : 10).toLocaleString('en')} | ${median(o.times).toFixed(2)} ms | ${o.firstReadMs.toFixed(1)} ms | ${median(optimizeMs[k]!).toFixed(2)} ms |`);
    for (const o of studies) await o.storage.close();
    t = performance.now();
    return [
      `Objective: ${steps.toLocaleString('en')} floating-point steps (≈ 200 ms on one core when calibrated); each worker process runs ${TRIALS} trials.`,
      '',
      '| worker processes | trials/minute | vs 1 | trials |', '|---|---|---|---|', ...rows,
      '',
      'Storage overhead per trial (claim/create, sampler read, 3 params + 3 reports, finish, read; median of 60, the two sizes in alternating rounds) with the study already holding N trials:',
      '',
      '| N trials | per-trial storage calls | first full read | study.optimize per trial (Random, trivial objective) |', '|---|---|---|---|', ...over,
      '',
      `Load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(' ')}.`,
    ].join('\n');
  } finally {
    server?.stop();
  }
}

if (isMainThread && process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await runPostgresBench());
}
