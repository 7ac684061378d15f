import * as sg from './src/index.js';
import { runOpBattery } from './tests/adversarial/battery.js';
await sg.init();
const t0 = Date.now();
const r = runOpBattery({ numRuns: 60 });
for (const [k, t] of Object.entries(r)) console.log(k, t.probes, t.typed, t.correct, t.silent, t.untyped, t.rejected);
console.log(Date.now() - t0, 'ms');
