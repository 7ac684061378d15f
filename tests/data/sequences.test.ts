// Sequence data: CharVocab (fit order, specials, encode/decode, unknowns, JSON round trip),
// padSequences (sides, truncation), next-token batches (shift, padding with ignoreIndex, maxLen,
// seeded epochs that cover every sequence once).
import { describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';

const { CharVocab, padSequences, nextTokenBatch, nextTokenBatches } = sg.data;

describe('CharVocab', () => {
  it('fits specials first, then characters by code point; encodes and decodes', () => {
    const v = CharVocab.fit(['dog', 'cat', 'é😀']);
    expect(v.tokens).toEqual(['<pad>', '<bos>', '<eos>', 'a', 'c', 'd', 'g', 'o', 't', 'é', '😀']);
    expect([v.padId, v.bosId, v.eosId, v.unkId, v.size]).toEqual([0, 1, 2, -1, 11]);
    expect([...v.encode('dog', { addBos: true, addEos: true })]).toEqual([1, 5, 7, 6, 2]);
    expect([...v.encode('😀a')]).toEqual([10, 3]);
    expect(v.decode([1, 5, 7, 6, 2, 0, 0])).toBe('dog');
    expect(v.decode([1, 5, 7, 6, 2], { skipSpecial: false })).toBe('<bos>dog<eos>');
    expect(v.decode([4, 3, 8, 2, 5], { stopAtEos: true })).toBe('cat');
    expect(() => v.encode('cow')).toThrow(/'w' \(at 2 of 'cow'\)/);
    expect(() => v.decode([11])).toThrow(/out of range/);
    const u = CharVocab.fit(['ab'], { unk: '<unk>', bos: null });
    expect(u.tokens).toEqual(['<pad>', '<eos>', '<unk>', 'a', 'b']);
    expect([...u.encode('abz')]).toEqual([3, 4, 2]);
    expect(() => u.encode('a', { addBos: true })).toThrow(/begin token/);
    const back = CharVocab.fromJSON(JSON.parse(JSON.stringify(v.toJSON())));
    expect(back.tokens).toEqual(v.tokens);
    expect([...back.encode('cat', { addEos: true })]).toEqual([...v.encode('cat', { addEos: true })]);
    expect(() => CharVocab.fit(['a<b'], { pad: '<' })).toThrow(/also a character/);
  });
});

describe('padSequences', () => {
  it('pads right or left, truncates either end, reports lengths', () => {
    const s = [[1, 2, 3], [4], []];
    const p = padSequences(s);
    expect([...p.data]).toEqual([1, 2, 3, 4, 0, 0, 0, 0, 0]);
    expect(p.shape).toEqual([3, 3]);
    expect([...p.lengths]).toEqual([3, 1, 0]);
    expect([...padSequences(s, { paddingSide: 'left', paddingValue: 9 }).data]).toEqual([1, 2, 3, 9, 9, 4, 9, 9, 9]);
    expect([...padSequences(s, { maxLen: 2 }).data]).toEqual([1, 2, 4, 0, 0, 0]);
    expect([...padSequences(s, { maxLen: 2, truncationSide: 'left' }).data]).toEqual([2, 3, 4, 0, 0, 0]);
    expect(() => padSequences([[1.5]])).toThrow(/not an integer/);
  });
});

describe('next-token batches', () => {
  it('shifts by one, pads inputs with padId and targets with ignoreIndex', () => {
    const b = nextTokenBatch([[5, 6, 7], [8]], { bos: 1, eos: 2 });
    expect(b.shape).toEqual([2, 4]);
    expect([...b.input]).toEqual([1, 5, 6, 7, 1, 8, 0, 0]);
    expect([...b.target]).toEqual([5, 6, 7, 2, 8, 2, -100, -100]);
    expect([...b.lengths]).toEqual([4, 2]);
    expect(b.tokens).toBe(6);
    const t = nextTokenBatch([[5, 6, 7, 8, 9]], { maxLen: 3, padId: 3, ignoreIndex: -1 });
    expect([...t.input]).toEqual([5, 6, 7]);
    expect([...t.target]).toEqual([6, 7, 8]);
  });

  it('an epoch visits every sequence once in a seeded order; epochs differ', () => {
    const seqs = Array.from({ length: 23 }, (_, i) => [i + 3]);
    const epoch = (e: number) => [...nextTokenBatches(seqs, { batchSize: 5, seed: 7, epoch: e, bos: 1 })];
    const a = epoch(0), again = epoch(0), b = epoch(1);
    expect(a.map((x) => x.shape[0])).toEqual([5, 5, 5, 5, 3]);
    const seen = a.flatMap((x) => [...x.indices]).sort((p, q) => p - q);
    expect(seen).toEqual(seqs.map((_, i) => i));
    a.forEach((x) => x.indices.forEach((k, r) => expect(x.target[r * 1]).toBe(k + 3)));
    expect(a.map((x) => [...x.indices])).toEqual(again.map((x) => [...x.indices]));
    expect(a.map((x) => [...x.indices])).not.toEqual(b.map((x) => [...x.indices]));
    expect([...nextTokenBatches(seqs, { batchSize: 5, dropLast: true, shuffle: false })].length).toBe(4);
  });
});
