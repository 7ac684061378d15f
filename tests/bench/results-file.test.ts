// bench/RESULTS.md is generated: the committed file is exactly what renderResults writes for its
// own sections (no hand-written text outside them, no console banner inside), and a partial run
// (`--only=<suite> --write`) replaces its sections and leaves every other one byte for byte.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { mergeResults, parseResults, renderResults, stampLine, type ResultSection } from '../../bench/results-file.js';

const file = readFileSync(fileURLToPath(new URL('../../bench/RESULTS.md', import.meta.url)), 'utf8');
const section = (key: string, body: string, date = '2026-12-01'): ResultSection =>
  ({ key, title: `Suite ${key}`, stamp: stampLine(date, 'Test CPU, 2 cores, 8 GiB', 'v20.0.0', '11.3'), body });

describe('bench/RESULTS.md', () => {
  it('is exactly the generated rendering of its sections', () => {
    const sections = parseResults(file);
    expect(sections.map((s) => s.key)).toEqual(['kernels', 'gemm', 'autograd', 'optim', 'train', 'tune', 'regret', 'cmaes-spread', 'gp-constraints', 'sweep', 'mo', 'parallel', 'lstm',
      'attention', 'conv', 'threads', 'threads-browser', 'size', 'postgres', 'reliability', 'gemm-node24', 'train-node24', 'threads-node24']);
    expect(renderResults(sections)).toBe(file);
    for (const s of sections) expect(s.stamp, s.key).toMatch(/^_Measured \d{4}-\d\d-\d\d on .+; Node v\d+\.\d+\.\d+ \(V8 .+\)\._$/);
  });

  it('carries no library banner', () => {
    expect(file).not.toMatch(/TensorFlow\.js in Node\.js|={10,}/);
  });
});

describe('mergeResults', () => {
  const before = renderResults([section('a', '| x |\n|---|\n| 1 |'), section('b', 'B 1'), section('c', 'C 1')]);

  it('replaces the sections of a partial run and keeps the others byte for byte', () => {
    const after = mergeResults(before, [section('b', 'B 2', '2026-12-02')], ['a', 'b', 'c']);
    const [a, b, c] = parseResults(after);
    expect(a).toEqual(parseResults(before)[0]);
    expect(c).toEqual(parseResults(before)[2]);
    expect(b).toEqual(section('b', 'B 2', '2026-12-02'));
    expect(after.replace(/_Measured 2026-12-02.*\n\nB 2/, '')).toBe(before.replace(/_Measured 2026-12-01.*\n\nB 1/, ''));
  });

  it('orders new sections by the suite order, unknown ones after, and starts a missing file', () => {
    const after = mergeResults(before, [section('z', 'Z'), section('0', 'first')], ['0', 'a', 'b', 'c']);
    expect(parseResults(after).map((s) => s.key)).toEqual(['0', 'a', 'b', 'c', 'z']);
    expect(mergeResults(undefined, [section('a', 'A')], ['a'])).toBe(renderResults([section('a', 'A')]));
  });
});
