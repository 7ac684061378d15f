import * as sg from '../src/index.js';
import { trainCharLm } from '../examples/node/char-lm.js';
await sg.init();
const t0 = performance.now();
const r = trainCharLm({ maxSteps: 30, onLog: (s, l) => console.log(s, l, ((performance.now() - t0) / s).toFixed(1), 'ms/step'), logEvery: 10 });
console.log(r.validLoss, r.unigram, (performance.now() - t0) / 1000);
