// The pretrained-embeddings example (examples/node/pretrained-embeddings.ts), run as a program in a
// scratch directory, scaled down (300 words, 2 epochs a stage, every 20th other word for the
// previous run). First without char-embeddings.safetensors: the previous run writes it, and the
// new model's parameter counts follow from its 29 × 16 table (the 26 letters, pad, bos, eos);
// then with a table of another width written here as a user would bring one (a `weight` tensor,
// the vocabulary in the metadata): the program uses it, frozen. Each time the frozen table must be
// unchanged by stage 1, every loss must be finite and below the uniform guess ln(vocabulary size),
// and the program exits 0 (it exits 1 on a changed table or a leak).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sg from '../../src/index.js';
import { words } from '../../src/datasets/index.js';
import { runExample } from '../helpers/run-example.js';

const ARGS = ['--words', '300', '--epochs', '2', '--every', '20'];
const CONTEXT = 5, HIDDEN = 128;
/** The new model's parameters by hand: table, Linear(CONTEXT·dim → HIDDEN), Linear(HIDDEN → vocab). */
const counts = (vocab: number, dim: number) => ({ frozen: vocab * dim, total: vocab * dim + CONTEXT * dim * HIDDEN + HIDDEN + HIDDEN * vocab + vocab });

/** The three losses of the last line, each finite and below the uniform guess. */
function losses(stdout: string, vocab: number): number[] {
  const m = stdout.match(/random embeddings ([\d.]+) after 4 epochs; pretrained: frozen ([\d.]+) after 2, fine-tuned ([\d.]+) after 4; the frozen table was unchanged by stage 1/);
  expect(m, stdout).not.toBeNull();
  const out = m!.slice(1).map(Number);
  for (const l of out) { expect(l).toBeGreaterThan(0); expect(l).toBeLessThan(Math.log(vocab)); }
  return out;
}

let dir = '';
beforeAll(async () => { await sg.init(); dir = mkdtempSync(join(tmpdir(), 'simdgrad-embeddings-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pretrained-embeddings example', () => {
  it('without a table, a previous run writes one; the new model starts from it, frozen, then fine-tunes', async () => {
    const r = await runExample('pretrained-embeddings.ts', ARGS, { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^previous run: \d+ words, validation loss [\d.]+ nats\/char; wrote char-embeddings.safetensors$/m);
    expect(existsSync(join(dir, 'char-embeddings.safetensors'))).toBe(true);
    const { frozen, total } = counts(29, 16);
    expect(r.stdout).toContain(`29 × 16 embeddings from char-embeddings.safetensors; the new model sees 5 characters, has ${total} parameters (${frozen} frozen) and learns from 300 words`);
    losses(r.stdout, 29);
  }, 30_000);

  it('uses a table it is given (any width), with the vocabulary from its metadata', async () => {
    const vocab = sg.data.CharVocab.fit(words().words), dim = 8;
    const weight = sg.randn([vocab.size, dim], { seed: 3 });
    writeFileSync(join(dir, 'char-embeddings.safetensors'), sg.io.save({ weight }, { metadata: { vocab: JSON.stringify(vocab) } }));
    weight.dispose();
    const r = await runExample('pretrained-embeddings.ts', ARGS, { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).not.toContain('previous run');
    const { frozen, total } = counts(vocab.size, dim);
    expect(r.stdout).toContain(`${vocab.size} × ${dim} embeddings from char-embeddings.safetensors; the new model sees 5 characters, has ${total} parameters (${frozen} frozen)`);
    losses(r.stdout, vocab.size);
  }, 30_000);
});
