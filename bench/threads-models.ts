// The sequence models of bench/threads.ts: one training step (forward, backward, Adam) of an LSTM
// (input 64, hidden 256, batch 32 × 32 steps, a linear head) and of a Transformer encoder layer
// (d_model 256, 8 heads, feed-forward 1024, batch 16 × 64 tokens, causal), on fixed seeded inputs,
// each as a bench/train.ts Trainer named with its thread count.
import * as sg from '../src/index.js';
import { Adam } from '../src/optim/index.js';
import { randomArray } from '../tests/helpers/backends.js';
import type { Trainer } from './train.js';

function trainer(name: string, modules: sg.nn.Module[], x: sg.Tensor, loss: () => sg.Tensor): Trainer {
  const opts = modules.map((m) => new Adam(m.parameters(), { lr: 1e-3 }));
  return {
    name,
    step: () => sg.scope(() => {
      for (const o of opts) o.zeroGrad();
      const l = loss();
      l.backward();
      for (const o of opts) o.step();
      return l.item();
    }),
    live: () => { const m = sg.memory(); return m.tensors * 2 ** 32 + m.bytes; },
    dispose: () => { for (const o of opts) o.dispose(); for (const m of modules) m.dispose(); x.dispose(); },
  };
}

/** An LSTM and a Transformer encoder layer trainer on the active backend. */
export function sequenceTrainers(threads: number): Trainer[] {
  const t = `${threads} thread${threads > 1 ? 's' : ''}`;
  sg.manualSeed(3);
  const lstm = new sg.nn.LSTM(64, 256, { batchFirst: true }), head = new sg.nn.Linear(256, 64);
  const xs = sg.tensor(randomArray(32 * 32 * 64, 1), [32, 32, 64]);
  const enc = new sg.nn.TransformerEncoderLayer(256, 8, { dimFeedforward: 1024, dropout: 0, batchFirst: true });
  const xe = sg.tensor(randomArray(16 * 64 * 256, 2), [16, 64, 256]);
  return [
    trainer(`LSTM 64→256, batch 32 × 32 steps, ${t}`, [lstm, head], xs, () => head.forward(lstm.forward(xs)[0]).pow(2).mean()),
    trainer(`Transformer encoder layer 256/8/1024, batch 16 × 64, ${t}`, [enc], xe, () => enc.forward(xe, { isCausal: true }).pow(2).mean()),
  ];
}
