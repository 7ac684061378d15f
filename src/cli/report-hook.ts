// writeReportIfAvailable: `--report` support — writes the study's self-contained HTML report with
// src/tune/report/report.ts's writeReport (pure code on the trials, bundled into dist/cli.js) and logs
// where it went. A failure to write it is a one-line CliError naming the path.
import type { tune } from '../index.js';
import { writeReport, type ReportOptions } from '../tune/report/report.js';
import { CliError } from './cli-error.js';

type Log = (line: string) => void;

/** Writes the study's HTML report to `path`. */
export async function writeReportIfAvailable(study: tune.Study, path: string, opts: ReportOptions, log: Log): Promise<boolean> {
  try {
    await writeReport(study, path, opts);
  } catch (e) {
    throw new CliError(`--report ${path}: ${(e as Error).message}`);
  }
  log(`report written to ${path}`);
  return true;
}
