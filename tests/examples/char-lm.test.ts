// The character-level language model example (examples/node/char-lm.ts), tiny: 600 words, a
// 1-layer 16-wide attention model and a 16/32-wide LSTM, 40 steps each. The training loss must fall, the validation loss
// must be finite and below the uniform guess, samples are strings over the vocabulary, and
// nothing leaks.
import { beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { words } from '../../src/datasets/index.js';
import { makeModel, sample, trainCharLm, unigramEntropy } from '../../examples/node/char-lm.js';

describe('char-lm example', () => {
  beforeAll(async () => { await sg.init(); });

  it('trains a tiny attention model: loss decreases, samples decode', () => {
    const tensors0 = sg.memory().tensors;
    const list = words().words.filter((_, i) => i % 87 === 0);
    const r = trainCharLm({ words: list, dModel: 16, heads: 2, layers: 1, dimFeedforward: 32, batchSize: 32, epochs: 3, maxSteps: 40, lr: 1e-2 });
    try {
      const first = r.losses.slice(0, 5).reduce((a, b) => a + b, 0) / 5, last = r.losses.slice(-5).reduce((a, b) => a + b, 0) / 5;
      expect(r.losses.length).toBe(40);
      expect(last).toBeLessThan(first - 0.3);
      expect(r.validLoss).toBeLessThan(Math.log(r.vocab.size));
      expect(r.unigram).toBeCloseTo(unigramEntropy(r.train, r.vocab.size, r.vocab.eosId).entropy, 10);
      const s = sample(r.model, r.vocab, { count: 5, temperature: 0.8, maxLen: 12, seed: 3 });
      expect(s).toHaveLength(5);
      for (const w of s) expect([...w].every((c) => r.vocab.idOf(c) > r.vocab.eosId)).toBe(true);
    } finally { r.model.dispose(); }
    expect(sg.memory().tensors).toBe(tensors0);
    expect(() => makeModel('gru' as 'attention', 10)).toThrow(/unknown model kind/);
  });

  it('trains a tiny LSTM model: loss decreases, nothing leaks', () => {
    const tensors0 = sg.memory().tensors;
    const list = words().words.filter((_, i) => i % 87 === 0);
    const r = trainCharLm({ kind: 'lstm', words: list, dModel: 16, batchSize: 32, epochs: 3, maxSteps: 40, lr: 1e-2 });
    try {
      const first = r.losses.slice(0, 5).reduce((a, b) => a + b, 0) / 5, last = r.losses.slice(-5).reduce((a, b) => a + b, 0) / 5;
      expect(last).toBeLessThan(first - 0.3);
      expect(r.validLoss).toBeLessThan(Math.log(r.vocab.size));
      expect(sample(r.model, r.vocab, { count: 3, maxLen: 12, seed: 3 })).toHaveLength(3);
    } finally { r.model.dispose(); }
    expect(sg.memory().tensors).toBe(tensors0);
  });
});
