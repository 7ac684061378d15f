// The core half of the adversarial battery as one call: every probe family (constructors, math,
// shapes, losses and autograd, the safetensors parser, readCsv), each drawn `numRuns` times from a
// fixed seed, tallied per family. tests/adversarial/*.test.ts assert on these tallies;
// bench/reliability.ts prints them. Needs `await sg.init()` first.
import { Tally } from './outcome.js';
import { runProbes } from './probe-kit.js';
import { createProbes } from './probes-create.js';
import { mathProbes } from './probes-math.js';
import { shapeProbes } from './probes-shape.js';
import { lossProbes } from './probes-loss.js';
import { runSafetensorsProbes } from './probes-safetensors.js';
import { runCsvProbes } from './probes-csv.js';

export interface BatteryOptions {
  /** Probes drawn per arbitrary (each family has several). */
  numRuns?: number;
  seed?: number;
}

/** Tensor constructors and every public op with hostile arguments. */
export function runOpBattery({ numRuns = 100, seed = 15 }: BatteryOptions = {}): Record<string, Tally> {
  return {
    constructors: runProbes(new Tally(), createProbes(), numRuns, seed),
    math: runProbes(new Tally(), mathProbes(), numRuns, seed),
    shapes: runProbes(new Tally(), shapeProbes(), numRuns, seed),
    'losses and autograd': runProbes(new Tally(), lossProbes(), numRuns, seed),
  };
}

/** The safetensors parser (load, loadInto, metadata) under random corruption. */
export function runSafetensorsBattery({ numRuns = 300, seed = 15 }: BatteryOptions = {}): { safetensors: Tally } {
  return { safetensors: runSafetensorsProbes(new Tally(), numRuns, seed) };
}

/** readCsv on generated tables with hostile cells and options, and on sources that cannot be read. */
export async function runCsvBattery({ numRuns = 400, seed = 15 }: BatteryOptions = {}): Promise<{ readCsv: Tally }> {
  return { readCsv: await runCsvProbes(new Tally(), numRuns, seed) };
}
