// examples/node/char-lm.ts: a character-level language model on the built-in English word list.
// The words are split 90/10 into training and validation sets; each word is encoded as
// <bos> c₁ … cₙ <eos> with a CharVocab and every position predicts the next character. The model
// (makeModel('attention')) is a small causal Transformer: character embedding + learned
// positional embedding, pre-norm TransformerEncoderLayer blocks with a causal mask, a final
// LayerNorm and a linear head; makeModel('lstm') is an embedding, an LSTM and a linear head. It trains with Adam (cosine schedule) and reports the validation
// loss per character in nats and bits against the unigram baseline (the entropy of the training
// characters' distribution, <eos> included), then samples new words with a temperature.
// makeModel() is the switch where model kinds plug in: a model maps [B, T] ids to [B·T, vocab]
// logits.
//
//   node --import tsx examples/node/char-lm.ts [--model attention|lstm] [--epochs 2] [--temperature 0.8]
import { pathToFileURL } from 'node:url';
import * as sg from 'simdgrad';
import { words } from 'simdgrad/datasets';

const { nn } = sg;

/** A language model over token ids: input [B, T] (row-major) → logits [B·T, vocabSize]. */
export interface CharModel extends sg.nn.Module {
  forward(input: Int32Array, shape: readonly [number, number]): sg.Tensor;
}

export interface ModelOptions { dModel?: number; heads?: number; layers?: number; dimFeedforward?: number; maxLen?: number; seed?: number }

/** Embedding + learned positions → causal pre-norm Transformer blocks → LayerNorm → linear head. */
export class AttentionLM extends nn.Module implements CharModel {
  embed: sg.nn.Embedding;
  pos: sg.nn.LearnedPositionalEmbedding;
  layers: sg.nn.TransformerEncoderLayer[];
  norm: sg.nn.LayerNorm;
  head: sg.nn.Linear;
  constructor(vocabSize: number, { dModel = 64, heads = 4, layers = 2, dimFeedforward = 4 * dModel, maxLen = 16, seed = 1 }: ModelOptions = {}) {
    super();
    this.embed = new nn.Embedding(vocabSize, dModel, { seed });
    sg.noGrad(() => sg.nn.init.normal(this.embed.weight, 0, 0.3, { seed }));
    this.pos = new nn.LearnedPositionalEmbedding(maxLen, dModel, { batchFirst: true, seed: seed + 1, std: 0.3 });
    this.layers = Array.from({ length: layers }, (_, i) => new nn.TransformerEncoderLayer(dModel, heads,
      { dimFeedforward, dropout: 0, batchFirst: true, normFirst: true, activation: 'relu', seed: seed + 100 * (i + 1) }));
    this.norm = new nn.LayerNorm(dModel);
    this.head = new nn.Linear(dModel, vocabSize, { seed: seed + 2 });
  }
  override forward(input: Int32Array, [B, T]: readonly [number, number]): sg.Tensor {
    return sg.scope(() => {
      let h = this.pos.forward(this.embed.forward(input).reshape([B, T, -1]));
      for (const layer of this.layers) h = layer.forward(h, { isCausal: true });
      return this.head.forward(this.norm.forward(h)).reshape([B * T, -1]);
    });
  }
}

/** Embedding → stacked LSTM (batch first) → linear head; one fused autograd node per layer. */
export class LstmLM extends nn.Module implements CharModel {
  embed: sg.nn.Embedding;
  lstm: sg.nn.LSTM;
  head: sg.nn.Linear;
  constructor(vocabSize: number, { dModel = 64, layers = 1, seed = 1 }: ModelOptions = {}) {
    super();
    const hidden = 2 * dModel;
    this.embed = new nn.Embedding(vocabSize, dModel, { seed });
    this.lstm = new nn.LSTM(dModel, hidden, { numLayers: layers, batchFirst: true, seed: seed + 1 });
    this.head = new nn.Linear(hidden, vocabSize, { seed: seed + 2 });
  }
  override forward(input: Int32Array, [B, T]: readonly [number, number]): sg.Tensor {
    return sg.scope(() => {
      const [out] = this.lstm.forward(this.embed.forward(input).reshape([B, T, -1])); // [B, T, hidden]
      return this.head.forward(out).reshape([B * T, -1]);
    });
  }
}

export type ModelKind = 'attention' | 'lstm';
/** The model of a kind; add a case here for another architecture. */
export function makeModel(kind: ModelKind, vocabSize: number, opts: ModelOptions = {}): CharModel {
  switch (kind) {
    case 'attention': return new AttentionLM(vocabSize, opts);
    case 'lstm': return new LstmLM(vocabSize, opts);
    default: throw new RangeError(`char-lm: unknown model kind '${String(kind)}'`);
  }
}

/** Entropy (nats) of the distribution of target tokens in `batches`' source: the unigram baseline. */
export function unigramEntropy(encoded: readonly Int32Array[], vocabSize: number, eos: number): { entropy: number; probs: Float64Array } {
  const counts = new Float64Array(vocabSize);
  let n = 0;
  for (const s of encoded) { for (const c of s) counts[c]!++; counts[eos]!++; n += s.length + 1; }
  const probs = counts.map((c) => c / n);
  return { entropy: -probs.reduce((h, p) => (p > 0 ? h + p * Math.log(p) : h), 0), probs };
}

/** Mean cross-entropy (nats per predicted character, <eos> included) of `model` over `seqs`. */
export function evaluate(model: CharModel, seqs: readonly Int32Array[], vocab: sg.data.CharVocab, batchSize = 512): number {
  let total = 0, tokens = 0;
  model.eval();
  for (const b of sg.data.nextTokenBatches(seqs, { batchSize, shuffle: false, bos: vocab.bosId, eos: vocab.eosId, padId: vocab.padId })) {
    total += sg.noGrad(() => sg.scope(() => sg.nn.functional.crossEntropy(model.forward(b.input, b.shape), b.target, { reduction: 'sum' }).item()));
    tokens += b.tokens;
  }
  model.train();
  return total / tokens;
}

/** New words: B sequences grown from <bos> one character at a time, sampling softmax(logits / temperature). */
export function sample(model: CharModel, vocab: sg.data.CharVocab, { count = 10, temperature = 0.8, maxLen = 15, seed = 1 } = {}): string[] {
  let s = seed >>> 0 || 1;
  const rand = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
  const seqs = Array.from({ length: count }, () => [vocab.bosId]);
  const done = new Array<boolean>(count).fill(false);
  model.eval();
  for (let t = 1; t <= maxLen && done.includes(false); t++) {
    const input = Int32Array.from(seqs.flat());
    const logits = sg.noGrad(() => sg.scope(() => model.forward(input, [count, t]).toArray()));
    const V = vocab.size;
    for (let i = 0; i < count; i++) {
      if (done[i]) { seqs[i]!.push(vocab.padId); continue; }
      const row = logits.subarray((i * t + t - 1) * V, (i * t + t) * V);
      const z = Array.from(row, (v, k) => (k === vocab.padId || k === vocab.bosId ? -Infinity : v / temperature));
      const m = Math.max(...z), e = z.map((v) => Math.exp(v - m)), sum = e.reduce((a, b) => a + b, 0);
      let u = rand() * sum, k = 0;
      while (k < V - 1 && u >= e[k]!) { u -= e[k]!; k++; }
      seqs[i]!.push(k);
      if (k === vocab.eosId) done[i] = true;
    }
  }
  model.train();
  return seqs.map((q) => vocab.decode(q, { stopAtEos: true }));
}

export interface TrainOptions extends ModelOptions {
  kind?: ModelKind;
  /** Words to use (default: the whole list). */
  words?: readonly string[];
  epochs?: number;
  /** Stop after this many steps (default: no limit). */
  maxSteps?: number;
  batchSize?: number;
  lr?: number;
  /** Called after every `logEvery` steps with the running training loss. */
  onLog?: (step: number, loss: number) => void;
  logEvery?: number;
}

export interface TrainResult {
  vocab: sg.data.CharVocab;
  model: CharModel;
  /** Training loss (nats/char) of each step. */
  losses: number[];
  validLoss: number;
  unigram: number;
  train: Int32Array[];
  valid: Int32Array[];
}

/** Splits the words 90/10, fits the vocabulary on the training words and trains a model. */
export function trainCharLm(opts: TrainOptions = {}): TrainResult {
  const { kind = 'attention', epochs = 2, maxSteps = Infinity, batchSize = 128, lr = 3e-3, logEvery = 100, seed = 1 } = opts;
  const list = opts.words ?? words().words;
  const { train: tr, test: va } = sg.data.trainTestSplit(list.length, { testSize: 0.1, seed });
  const trainWords = Array.from(tr, (i) => list[i]!), validWords = Array.from(va, (i) => list[i]!);
  const vocab = sg.data.CharVocab.fit(trainWords);
  const train = trainWords.map((w) => vocab.encode(w));
  const valid = validWords.filter((w) => [...w].every((c) => vocab.idOf(c) >= 0)).map((w) => vocab.encode(w));
  const longest = Math.max(...list.map((w) => w.length)) + 1;
  const model = makeModel(kind, vocab.size, { ...opts, maxLen: Math.max(opts.maxLen ?? 0, longest) });
  const optimizer = new sg.optim.Adam(model.parameters(), { lr });
  const steps = Math.min(maxSteps, epochs * Math.ceil(train.length / batchSize));
  const schedule = new sg.optim.CosineAnnealingLR(optimizer, { tMax: steps, etaMin: lr / 20 });
  const losses: number[] = [];
  outer: for (let epoch = 0; epoch < epochs; epoch++) {
    for (const b of sg.data.nextTokenBatches(train, { batchSize, seed, epoch, bos: vocab.bosId, eos: vocab.eosId, padId: vocab.padId })) {
      if (losses.length >= steps) break outer;
      const loss = sg.scope(() => {
        optimizer.zeroGrad();
        const l = sg.nn.functional.crossEntropy(model.forward(b.input, b.shape), b.target);
        l.backward();
        optimizer.step();
        return l.item();
      });
      schedule.step();
      losses.push(loss);
      if (opts.onLog && losses.length % logEvery === 0) {
        const recent = losses.slice(-logEvery);
        opts.onLog(losses.length, recent.reduce((a, c) => a + c, 0) / recent.length);
      }
    }
  }
  optimizer.dispose();
  return { vocab, model, losses, validLoss: evaluate(model, valid, vocab), unigram: unigramEntropy(train, vocab.size, vocab.eosId).entropy, train, valid };
}

async function main(): Promise<void> {
  const arg = (name: string, def: string) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1]! : def; };
  const kind = arg('model', 'attention') as ModelKind;
  const epochs = Number(arg('epochs', '2')), temperature = Number(arg('temperature', '0.8'));
  const t0 = performance.now();
  const backendName = await sg.init();
  const tensors0 = sg.memory().tensors;
  console.log(`simdgrad on ${backendName}: character-level ${kind} language model on words() (${words().words.length} words)`);
  const r = trainCharLm({ kind, epochs, onLog: (step, loss) => console.log(`  step ${step}: training loss ${loss.toFixed(3)} nats/char`) });
  const ln2 = Math.LN2;
  console.log(`${r.model.numParameters()} parameters, ${r.losses.length} steps of batch 128 in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`validation loss: ${r.validLoss.toFixed(4)} nats/char = ${(r.validLoss / ln2).toFixed(4)} bits/char (${r.valid.length} held-out words)`);
  console.log(`unigram baseline (entropy of the characters): ${r.unigram.toFixed(4)} nats/char = ${(r.unigram / ln2).toFixed(4)} bits/char`);
  for (const t of [0.5, temperature, 1.0]) console.log(`samples at temperature ${t}: ${sample(r.model, r.vocab, { count: 12, temperature: t, seed: 7 }).join(' ')}`);
  r.model.dispose();
  if (sg.memory().tensors !== tensors0) throw new Error(`char-lm: ${sg.memory().tensors - tensors0} tensors leaked`);
  if (!(r.validLoss < 0.8 * r.unigram)) { console.error('validation loss is not clearly below the unigram baseline'); process.exit(1); }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
