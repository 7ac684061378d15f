// Reliability: the adversarial battery (tests/adversarial/) run with more probes than the test
// suite draws, counted per family — constructors and ops with hostile arguments, the safetensors
// parser under random corruption, readCsv on hostile tables and sources. A probe either returns
// what an independent oracle computes ("correct") or throws a typed error from src/errors.ts
// ("typed"); silent wrong results, untyped errors and refused valid inputs must all be 0.
// Deterministic (fixed seeds): the counts are the same on every run and machine.
import { pathToFileURL } from 'node:url';
import * as sg from '../src/index.js';
import { Tally } from '../tests/adversarial/outcome.js';
import { runCsvBattery, runOpBattery, runSafetensorsBattery } from '../tests/adversarial/battery.js';

/** Each suite: a name and what it counts, per family. */
const SUITES: Array<() => Promise<Record<string, Tally>>> = [
  async () => runOpBattery({ numRuns: 300 }),
  async () => runSafetensorsBattery({ numRuns: 1000 }),
  () => runCsvBattery({ numRuns: 1000 }),
];

export async function runReliabilityBench(): Promise<string> {
  await sg.init();
  const rows: Array<[string, Tally]> = [];
  for (const suite of SUITES) rows.push(...Object.entries(await suite()));
  const total = rows.reduce((t, [, r]) => t.merge(r), new Tally());
  const line = (name: string, t: Tally): string =>
    `| ${name} | ${t.probes} | ${t.typed} | ${t.correct} | ${t.silent} | ${t.untyped} | ${t.rejected} |`;
  const out = [
    `Core half of the adversarial battery (tests/adversarial/), fixed seeds; backend ${sg.backend()}.`,
    '',
    '| family | probes tried | typed errors | correct results | silent wrong results (must be 0) | untyped errors (must be 0) | valid inputs refused (must be 0) |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(([name, t]) => line(name, t)),
    line('**total**', total),
  ];
  if (total.failures.length) out.push('', 'Failures:', '', ...total.failures.map((f) => `- ${f.slice(0, 300)}`));
  return out.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await runReliabilityBench());
}
