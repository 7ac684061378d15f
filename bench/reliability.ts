// Reliability: the adversarial battery (tests/adversarial/), counted per family — constructors and
// ops with hostile arguments, the safetensors parser under random corruption, readCsv on hostile
// tables and sources (the core half, with more probes than the test suite draws), and the journal
// half (corrupted journals, writer processes killed with SIGKILL). A probe either ends as an
// independent oracle says ("correct": the right result, or the journal's intact prefix) or with a
// typed error; silent wrong results, untyped errors, refused valid inputs and lost trials must all
// be 0. Fixed seeds: the core counts are the same on every run and machine (the kill battery's
// timing is not). `--only=reliability` runs it alone; `node --import tsx bench/reliability.ts` too.
import { pathToFileURL } from 'node:url';
import * as sg from '../src/index.js';
import { Tally } from '../tests/adversarial/outcome.js';
import { runCsvBattery, runOpBattery, runSafetensorsBattery } from '../tests/adversarial/battery.js';
import { journalReliability, type BatteryCounts } from '../tests/adversarial/journal-battery.js';

interface Row { name: string; probes: number; typed: number; correct: number; silent: number; untyped: number; refused?: number; lost?: number }

const fromTally = (name: string, t: Tally): Row => ({ name, probes: t.probes, typed: t.typed, correct: t.correct,
  silent: t.silent, untyped: t.untyped, refused: t.rejected });
/** Journal counts: a disagreement of `journal check` or a writer appending past damage counts as silent. */
const fromJournal = (name: string, c: BatteryCounts): Row => ({ name, probes: c.probes, typed: c.typedErrors, correct: c.intact,
  silent: c.silentWrong + c.inconsistent, untyped: c.untypedErrors, lost: c.lostTrials });

export async function runReliabilityBench(): Promise<string> {
  await sg.init();
  const rows: Row[] = [], failures: string[] = [];
  for (const tallies of [runOpBattery({ numRuns: 300 }), runSafetensorsBattery({ numRuns: 1000 }), await runCsvBattery({ numRuns: 1000 })]) {
    for (const [name, t] of Object.entries(tallies)) {
      rows.push(fromTally(name, t));
      failures.push(...t.failures.map((f) => `- ${name}: ${f.slice(0, 300)}`));
    }
  }
  const journal = await journalReliability();
  rows.push(fromJournal('journal corruption', journal.corruption), fromJournal('journal writers killed (SIGKILL)', journal.kill));
  const sum = (k: keyof Row): number => rows.reduce((s, r) => s + ((r[k] as number | undefined) ?? 0), 0);
  const cell = (v: number | undefined): string => (v === undefined ? '—' : String(v));
  const line = (r: Row): string => `| ${r.name} | ${r.probes} | ${r.typed} | ${r.correct} | ${r.silent} | ${r.untyped} | ${cell(r.refused)} | ${cell(r.lost)} |`;
  return [
    `Fixed seeds; backend ${sg.backend()}. "Correct": the result an independent oracle computes (for journals: exactly the intact prefix, or every finished trial intact after the kills).`,
    '',
    '| family | probes tried | typed errors | correct results | silent wrong results (must be 0) | untyped errors (must be 0) | valid inputs refused (must be 0) | lost trials (must be 0) |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map(line),
    line({ name: '**total**', probes: sum('probes'), typed: sum('typed'), correct: sum('correct'), silent: sum('silent'),
      untyped: sum('untyped'), refused: sum('refused'), lost: sum('lost') }),
    ...(failures.length ? ['', 'Failures (first of each family):', '', ...failures] : []),
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await runReliabilityBench());
}
