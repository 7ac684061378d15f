// `simdgrad lr-find` run from source in child processes (help, --json, the terminal plot, --html,
// one-line errors), and its two renderers on their own: the terminal plot's axis and marker, and
// the HTML page's escaping.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { terminalPlot } from '../../src/cli/lr-find.js';
import { lrFindPage } from '../../src/cli/lr-find-page.js';
import type { train } from '../../src/index.js';
import { cliRunner } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'simdgrad-lr-find-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = cliRunner(30_000);

const result = (n: number, suggestedLr: number): train.LrFinderResult => {
  const lrs = Array.from({ length: n }, (_, i) => 1e-6 * 10 ** (7 * i / (n - 1)));
  const smoothed = lrs.map((lr) => 1 + (Math.log10(lr) + 2) ** 2 / 10);
  return { lrs, losses: smoothed, smoothed, suggestedLr, suggestion: 'valley', suggestions: { valley: suggestedLr, steepest: NaN, minimum: 1e-3 } };
};

describe('simdgrad lr-find', () => {
  it('prints JSON, a terminal plot and an HTML page with the same curve; one-line errors', async () => {
    const html = join(dir, 'lr.html');
    const [help, json, text, endLr, steps, suggest] = await Promise.all([
      cli('lr-find', '--help'),
      cli('lr-find', '--data', 'iris', '--steps', '40', '--start-lr', '1e-5', '--end-lr', '10', '--seed', '1', '--json'),
      cli('lr-find', '--data', 'iris', '--steps', '40', '--start-lr', '1e-5', '--end-lr', '10', '--seed', '1', '--html', html),
      cli('lr-find', '--data', 'iris', '--start-lr', '1e-3', '--end-lr', '1e-4'),
      cli('lr-find', '--steps', '1'),
      cli('lr-find', '--suggest', 'best'),
    ]);
    expect(help.stdout).toMatch(/--start-lr[\s\S]*--end-lr[\s\S]*--steps[\s\S]*--suggest[\s\S]*--html/);
    expect(json.code).toBe(0);
    const r = JSON.parse(json.stdout) as train.LrFinderResult & { html: null };
    expect(r.lrs[0]).toBe(1e-5);
    expect(r.lrs.length).toBeGreaterThan(10);
    expect(r.lrs.length).toBeLessThanOrEqual(40);
    expect(r.smoothed).toHaveLength(r.lrs.length);
    expect(r.suggestedLr).toBe(r.suggestions.valley);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^simdgrad lr-find on \w+: iris: MLP 4-128-3 \(\d+ parameters\), adam, batch 32; \d+ of 40 rates from 1\.0e-5 to 1\.0e1/);
    expect(text.stdout).toContain('┤');
    expect(text.stdout).toMatch(/\n {11}1\.0e-5 .*\(learning rate, log scale\)\n/);
    expect(text.stdout).toContain(`suggested lr ${r.suggestedLr.toExponential(1).replace('e+', 'e')} (valley)`);
    expect(text.stdout).toContain(`plot written to ${html}`);
    const page = readFileSync(html, 'utf8');
    const data = JSON.parse(/<script type="application\/json" id="lr-data">([\s\S]*?)<\/script>/.exec(page)![1]!) as train.LrFinderResult;
    expect(data.lrs).toEqual(r.lrs);
    expect(data.smoothed).toEqual(r.smoothed);
    expect(page).toContain('uPlot');
    for (const [res, pattern] of [[endLr, /--end-lr 0\.0001 must be greater than --start-lr 0\.001/], [steps, /--steps.*expected an integer ≥ 2/], [suggest, /--suggest.*best/]] as const) {
      expect(res.code).toBe(2);
      expect(res.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(res.stderr).toMatch(pattern);
    }
  }, 60_000);

  it('terminal plot: one column per point up to 64, the rate axis and the suggestion marked', () => {
    const plot = terminalPlot(result(100, 1e-2), 64, 8).split('\n');
    expect(plot).toHaveLength(9 + 2); // rows of the chart (height + 1), the marker row, the axis row
    const marker = plot.at(-2)!, axis = plot.at(-1)!;
    // 100 points picked into 64 columns; 1e-2 is 4/7 of the way along the log axis: column ≈ 36
    expect(marker.indexOf('^') - 11).toBe(36);
    expect(axis.startsWith(`${' '.repeat(11)}1.0e-6`)).toBe(true);
    expect(axis).toMatch(/1\.0e1 {3}\(learning rate, log scale\)$/);
    expect(terminalPlot(result(2, NaN), 64, 4)).not.toContain('^');
    expect(terminalPlot({ ...result(2, NaN), smoothed: [1] })).toBe('(too few points to plot)');
  });

  it('HTML page: text escaped, the data block cannot end its script, non-finite numbers become null', () => {
    const r = { ...result(5, 1e-3), stopReason: '<b>diverged</b>' };
    const page = lrFindPage(r, { title: 'data </script><script>alert(1)</script>' });
    expect(page).not.toContain('</script><script>alert(1)');
    expect(page).toContain('data &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('stopped early: &lt;b&gt;diverged&lt;/b&gt;');
    const block = /<script type="application\/json" id="lr-data">([\s\S]*?)<\/script>/.exec(page)![1]!;
    expect(block).not.toMatch(/[<>]/);
    expect((JSON.parse(block) as { suggestions: { steepest: null } }).suggestions.steepest).toBeNull();
    expect(page).toContain('<li><b>valley: 1.00e-3</b> (suggested)</li>');
  });
});
