import * as sg from '../src/index.js';
await sg.init();
const B = 32, T = 64, E = 128;
const layers = [0, 1].map((i) => new sg.nn.TransformerEncoderLayer(E, 4, { dimFeedforward: 512, dropout: 0, batchFirst: true, seed: 100 + i }));
const opt = new sg.optim.Adam(layers.flatMap((l) => l.parameters()), { lr: 1e-3 });
const x = sg.randn([B, T, E], { seed: 1 }), y = sg.randn([B, T, E], { seed: 2 });
const step = () => sg.scope(() => {
  opt.zeroGrad();
  let h = x;
  for (const l of layers) h = l.forward(h, { isCausal: true });
  const d = h.sub(y); const loss = d.mul(d).mean(); loss.backward(); opt.step(); return loss.item();
});
step();
const t0 = performance.now(); const c0 = process.cpuUsage();
for (let i = 0; i < 6; i++) step();
console.log('ms/step wall', (performance.now() - t0) / 6, 'cpu', (process.cpuUsage(c0).user / 1000) / 6);
