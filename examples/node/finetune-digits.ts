// examples/node/finetune-digits.ts: many images, few labels — pretrain, freeze, fine-tune, with the
// parameters in view. An MLP encoder (64-128-32) is pretrained as an autoencoder on half of the
// built-in digits without their labels; a classifier (the encoder and a new linear head) then
// learns from only `--per-class` labelled images per class: first with the encoder frozen
// (requiresGrad(false): only the head's 330 parameters train, as model.summary() shows), then
// everything, the encoder at a tenth of the head's learning rate (two parameter groups). Prints
// the held-out accuracy after each stage beside the same MLP trained from scratch on the same
// labelled images. (Over --seed 0–5 with the defaults, fine-tuning beat scratch by 2.6 points on
// average, by 0.0 to 3.7; the frozen stage alone was 1.9 points below scratch.) Exits non-zero if
// the frozen encoder changed or memory leaked.
//   node --import tsx examples/node/finetune-digits.ts [--per-class 5] [--epochs 60] [--seed 0]
import * as sg from 'simdgrad';
import { digits } from 'simdgrad/datasets';

const arg = (name: string, def: number) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : def; };
const perClass = arg('per-class', 5), epochs = arg('epochs', 60), seed = arg('seed', 0);
const backendName = await sg.init();
const { nn, optim } = sg;
const data = digits();
const x = sg.scope(() => sg.tensor(data.x, data.shape).div(16));   // pixels in [0, 1]
const { train, test } = sg.data.trainTestSplit(data.y, { testSize: 0.5, stratify: true, seed });
const few = Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((c) => [...train.filter((i) => data.y[i] === c).subarray(0, perClass)]));
const take = (idx: Int32Array) => ({ x: sg.data.gatherRows(x, idx), y: idx.map((i) => data.y[i]!) });
const unlabelled = sg.data.gatherRows(x, train), labelled = take(few), heldOut = take(test);
console.log(`simdgrad on ${backendName}: digits, ${train.length} unlabelled images to pretrain on, ` +
  `${few.length} labelled (${perClass} per class) to learn from, ${test.length} held out`);

/** Trains with fit() and frees the optimizer's state. */
function trainWith(model: sg.nn.Sequential, optimizer: sg.optim.Optimizer, d: { x: sg.Tensor; y: sg.Tensor | Int32Array }, more: Partial<sg.FitOptions> = {}) {
  sg.fit(model, { ...d, optimizer, epochs, batchSize: 16, seed, ...more });
  optimizer.dispose();
}

sg.manualSeed(seed);
const encoder = new nn.Sequential(new nn.Linear(64, 128), new nn.ReLU(), new nn.Linear(128, 32), new nn.ReLU());
const autoencoder = new nn.Sequential(encoder, new nn.Linear(32, 128), new nn.ReLU(), new nn.Linear(128, 64));
trainWith(autoencoder, new optim.Adam(autoencoder.parameters(), { lr: 3e-3 }), { x: unlabelled, y: unlabelled }, { loss: 'mse', epochs: 20, batchSize: 32 });

const head = new nn.Linear(32, 10), model = new nn.Sequential(encoder, head);
encoder.requiresGrad(false);                               // stage 1: only the new head learns
console.log(String(model.summary([1, 64])));
const before = encoder.parameters().map((p) => p.toArray());
trainWith(model, new optim.Adam(head.parameters(), { lr: 1e-2 }), labelled);
const unchanged = encoder.parameters().every((p, i) => p.toArray().every((v, j) => v === before[i]![j]));
const frozenAccuracy = sg.evaluate(model, heldOut.x, heldOut.y).accuracy;

encoder.requiresGrad(true);                                // stage 2: everything, the encoder 10× slower
trainWith(model, new optim.Adam([{ params: encoder.parameters(), lr: 1e-3 }, { params: head.parameters() }], { lr: 1e-2 }), labelled);
const fineTunedAccuracy = sg.evaluate(model, heldOut.x, heldOut.y).accuracy;

const scratch = new nn.Sequential(new nn.Linear(64, 128), new nn.ReLU(), new nn.Linear(128, 32), new nn.ReLU(), new nn.Linear(32, 10));
trainWith(scratch, new optim.Adam(scratch.parameters(), { lr: 1e-2 }), labelled);
const scratchAccuracy = sg.evaluate(scratch, heldOut.x, heldOut.y).accuracy;

const pct = (a: number) => `${(100 * a).toFixed(1)}%`;
console.log(`held-out accuracy: from scratch ${pct(scratchAccuracy)}, frozen encoder + new head ${pct(frozenAccuracy)}, ` +
  `fine-tuned ${pct(fineTunedAccuracy)}; the frozen encoder was ${unchanged ? 'unchanged' : 'CHANGED'} by stage 1`);
for (const t of [x, unlabelled, labelled.x, heldOut.x]) t.dispose();
for (const m of [autoencoder, head, scratch]) m.dispose();
if (!unchanged || sg.memory().tensors !== 0) process.exit(1);
