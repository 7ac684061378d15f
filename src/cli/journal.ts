// `simdgrad journal check FILE` and `simdgrad journal repair FILE [--output OUT]`: a journal file's
// intact lines (and their studies), its damaged lines, the lines a repair drops and a torn last
// line, as text or --json. check exits 0 when the journal loads (a torn last line is normal after
// a crash) and 1 when a damaged line stops it. repair writes the intact prefix to a new file
// (FILE.repaired unless --output; never overwritten) and leaves FILE unchanged: processes that
// have FILE open keep byte offsets into it, so the user stops them and moves the copy into place.
import { inspectJournal, repairJournal, repairedPath, type JournalReport } from '../tune/storages/journal/journal-inspect.js';

const size = (n: number): string => (n < 1024 ? `${n} B` : n < 1 << 20 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / (1 << 20)).toFixed(1)} MiB`);
const range = (a: number, b: number): string => (a === b ? `line ${a}` : `lines ${a}–${b}`);

/** The report as lines of text. */
export function describeJournal(r: JournalReport): string[] {
  const out = [`${r.path}: ${r.lines} complete line${r.lines === 1 ? '' : 's'} (${size(r.bytes)})`];
  const where = r.damagedCount ? ` (in ${r.intactLines ? range(1, r.intactLines) : 'no intact line'})` : '';
  for (const s of r.studies) {
    const states = Object.entries(s.states).map(([k, n]) => `${n} ${k}`).join(', ');
    out.push(`  study '${s.name}' (${s.directions.join(', ')}): ${s.trials} trial${s.trials === 1 ? '' : 's'}${states ? ` — ${states}` : ''}${where}`);
  }
  for (const d of r.damaged) out.push(`  damaged line ${d.line}: ${d.reason}`);
  if (r.damagedCount > r.damaged.length) out.push(`  … and ${r.damagedCount - r.damaged.length} more damaged lines`);
  if (r.tornTail) {
    out.push(`  torn last line ${r.tornTail.line} (${size(r.tornTail.bytes)}, a write cut by a crash): readers ignore it, the next writer cuts it`);
  }
  if (!r.damagedCount) {
    out.push('sound: every complete line is a valid operation');
  } else {
    const ops = Object.entries(r.dropped.ops).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ×${n}`).join(', ');
    out.push(`DAMAGED: loading stops at line ${r.damaged[0]!.line}. A repair keeps ${r.intactLines ? range(1, r.intactLines) : 'no line'} ` +
      `(${size(r.intactBytes)}, the studies above) and drops ${range(r.intactLines + 1, r.lines)} (${ops})` +
      `${r.tornTail ? ' and the torn last line' : ''}.`);
  }
  return out;
}

/** `simdgrad journal check FILE`: 0 if the journal loads, 1 if a damaged line stops it. */
export async function runJournalCheck(file: string, o: { json?: boolean }): Promise<number> {
  const r = await inspectJournal(file);
  const text = o.json ? [JSON.stringify(r, null, 2)] : describeJournal(r);
  if (!o.json && r.damagedCount) text.push(`Run \`simdgrad journal repair ${file}\` to write the intact lines to ${repairedPath(file)} (${file} stays as it is).`);
  process.stdout.write(text.join('\n') + '\n');
  return r.damagedCount ? 1 : 0;
}

/** `simdgrad journal repair FILE`: writes the intact lines to a new file; 0 when written or nothing to repair. */
export async function runJournalRepair(file: string, o: { output?: string; json?: boolean }): Promise<number> {
  const { report, written } = await repairJournal(file, o.output);
  if (o.json) {
    process.stdout.write(JSON.stringify({ report, written }, null, 2) + '\n');
    return 0;
  }
  const text = describeJournal(report);
  if (written === null) {
    text.push(`Nothing to repair: ${file} has no damaged line; no file written.`);
  } else {
    text.push(`Wrote ${written}: ${report.intactLines ? range(1, report.intactLines) : 'no line'} of ${file} (${size(report.intactBytes)}); ${file} is unchanged.`,
      `Stop every process using ${file}, then replace it: mv ${written} ${file}`);
  }
  process.stdout.write(text.join('\n') + '\n');
  return 0;
}
