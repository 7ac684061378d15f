// `simdgrad journal check|repair` run from source in child processes: check exits 0 for a sound
// journal (a torn last line included) and 1 for a damaged one, listing the damaged lines; repair
// writes the intact prefix byte for byte to FILE.repaired (or --output), leaves FILE unchanged and
// never overwrites; input mistakes are one line and exit code 2.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JournalFileStorage } from '../../src/tune/index.js';
import { journalLines, loadedTrials, naiveReplay } from '../helpers/journal-fixture.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'simdgrad-journal-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = runCli;

const text = (lines: readonly string[]) => lines.map((l) => `${l}\n`).join('');

describe('simdgrad journal', () => {
  const lines = journalLines(40);
  const k = lines.findIndex((l, i) => i > 60 && l.includes('"op_code":4'));
  const damaged = [...lines];
  damaged[k] = 'null';
  damaged[k + 5] = lines[k + 5]!.slice(0, 30);

  it('checks: sound (with a torn last line) exits 0, damaged exits 1 and names the lines', async () => {
    const sound = join(dir, 'sound.jsonl'), bad = join(dir, 'bad.jsonl');
    writeFileSync(sound, text(lines) + '{"op_code":4,"wor');
    writeFileSync(bad, text(damaged));
    const [ok, ko, json] = await Promise.all([cli('journal', 'check', sound), cli('journal', 'check', bad), cli('journal', 'check', '--json', bad)]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`study 's' (minimize): 40 trials — 32 COMPLETE, 8 FAIL`);
    expect(ok.stdout).toContain(`torn last line ${lines.length + 1} (17 B, a write cut by a crash)`);
    expect(ok.stdout).toMatch(/^sound: every complete line is a valid operation$/m);
    expect(ko.code).toBe(1);
    expect(ko.stdout).toContain(`damaged line ${k + 1}: not a journal operation (a JSON object), got null`);
    expect(ko.stdout).toContain(`damaged line ${k + 6}: not valid JSON`);
    expect(ko.stdout).toContain(`DAMAGED: loading stops at line ${k + 1}. A repair keeps lines 1–${k}`);
    expect(ko.stderr).toBe('');
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ path: bad, lines: lines.length, intactLines: k, damagedCount: 2, tornTail: null });
    expect(report.dropped.lines).toBe(lines.length - k);
    expect(report.dropped.ops.damaged).toBe(2);
    const want = naiveReplay(lines.slice(0, k));
    expect(report.studies[0].trials).toBe(want.length);
    expect(report.studies[0].states.COMPLETE).toBe(want.filter((t) => t.state === 'COMPLETE').length);
  });

  it('repairs into a new file with the intact lines, leaves the journal unchanged and never overwrites', async () => {
    const bad = join(dir, 'repair.jsonl'), out = join(dir, 'out.jsonl');
    writeFileSync(bad, text(damaged));
    const r = await cli('journal', 'repair', bad);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Wrote ${bad}.repaired: lines 1–${k} of ${bad}`);
    expect(r.stdout).toContain(`mv ${bad}.repaired ${bad}`);
    expect(readFileSync(bad, 'utf8')).toBe(text(damaged));
    expect(readFileSync(`${bad}.repaired`, 'utf8')).toBe(text(lines.slice(0, k)));
    expect(await loadedTrials(new JournalFileStorage(`${bad}.repaired`))).toEqual(naiveReplay(lines.slice(0, k)));

    const [again, other] = await Promise.all([cli('journal', 'repair', bad), cli('journal', 'repair', bad, '--output', out)]);
    expect(again.code).toBe(2);
    expect(again.stdout).toBe('');
    expect(again.stderr).toBe(`simdgrad: journal ${bad}.repaired: the repaired copy already exists (repair never overwrites a file)\n`);
    expect(other.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(text(lines.slice(0, k)));

    const sound = join(dir, 'nothing.jsonl');
    writeFileSync(sound, text(lines));
    const nothing = await cli('journal', 'repair', sound);
    expect(nothing.code).toBe(0);
    expect(nothing.stdout).toContain('Nothing to repair');
  });

  it('gives one-line errors and exit code 2 for a missing file or a directory', async () => {
    mkdirSync(join(dir, 'd'));
    const [missing, isDir, noArg] = await Promise.all([
      cli('journal', 'check', join(dir, 'nope.jsonl')), cli('journal', 'repair', join(dir, 'd')), cli('journal', 'check'),
    ]);
    expect(missing).toEqual({ code: 2, stdout: '', stderr: `simdgrad: journal ${join(dir, 'nope.jsonl')}: the path does not exist\n` });
    expect(isDir).toEqual({ code: 2, stdout: '', stderr: `simdgrad: journal ${join(dir, 'd')}: the path is a directory, not a journal file\n` });
    expect(noArg.code).toBe(2);
    expect(noArg.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
