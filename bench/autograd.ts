// Autograd overhead: a forward + backward pass of an MLP 784-256-128-10 (ReLU, softmax
// cross-entropy) at batch 128 through the tensor API and the tape, against the same eight GEMMs
// called directly on preallocated buffers (3 forward NT with bias/ReLU epilogues, 3 dW TN,
// 2 dX NN). The GEMM share of the pass is what the engine leaves to the kernels; the rest is
// autograd bookkeeping, allocation, and the small elementwise/loss kernels.
// Run: node --import tsx bench/autograd.ts
import { Bench } from 'tinybench';
import { pathToFileURL } from 'node:url';
import * as sg from '../src/index.js';

const B = 128, SIZES = [784, 256, 128, 10];

export async function runAutogradBench(): Promise<string> {
  const name = await sg.init({ threads: 1 });
  const params = SIZES.slice(1).map((out, i) => {
    const inp = SIZES[i]!;
    return [sg.randn([out, inp], { seed: 1 + i, std: Math.sqrt(2 / inp), requiresGrad: true }),
      sg.zeros([out], { requiresGrad: true })] as const;
  });
  const x = sg.randn([B, 784], { seed: 9 });
  const targets = Int32Array.from({ length: B }, (_, i) => (i * 7) % 10);
  const pass = (): number => sg.scope(() => {
    let h = x;
    params.forEach(([w, b], i) => { h = sg.linear(h, w, b, i < 2 ? { activation: 'relu' } : {}); });
    const loss = sg.nn.functional.crossEntropy(h, targets);
    loss.backward();
    for (const [w, b] of params) for (const p of [w, b]) { p.grad!.dispose(); p.grad = null; }
    return loss.item();
  });

  // the same GEMMs on raw buffers
  const be = x.backend, k = be.kernels, heap = be.heap;
  const buf = (n: number) => heap.alloc(n * 4);
  const h = [x.ptr, buf(B * 256), buf(B * 128), buf(B * 10)];
  const gz = [0, buf(B * 256), buf(B * 128), buf(B * 10)];
  const dW = params.map(([w]) => buf(w.size));
  const ws = heap.alloc(Math.max(...[[B, 256, 784], [B, 128, 256], [B, 10, 128], [10, 128, B], [B, 128, 10]]
    .map(([m, n, kk]) => k.gemm_workspace_f32(m!, n!, kk!, 1, 1))));
  const gemms = (): void => {
    for (let i = 0; i < 3; i++) { // forward: h[i+1] = act(h[i] · W_iᵀ + b_i)
      const [w, b] = params[i]!;
      k.gemm_f32(h[i + 1]!, h[i]!, w.ptr, b.ptr, ws, B, SIZES[i + 1]!, SIZES[i]!, SIZES[i]!, SIZES[i]!, SIZES[i + 1]!, 0, 1, 0, i < 2 ? 1 : 0);
    }
    for (let i = 2; i >= 0; i--) { // backward
      const out = SIZES[i + 1]!, inp = SIZES[i]!;
      k.gemm_f32(dW[i]!, gz[i + 1]!, h[i]!, 0, ws, out, inp, B, out, inp, inp, 1, 0, 0, 0);           // dW = gzᵀ·h (TN)
      if (i > 0) k.gemm_f32(gz[i]!, gz[i + 1]!, params[i]![0].ptr, 0, ws, B, inp, out, out, inp, inp, 0, 0, 0, 0); // dX = gz·W (NN)
    }
  };

  pass(); gemms();
  const bench = new Bench({ time: 1500, warmupTime: 300 });
  bench.add('forward + backward (tensor API, autograd)', pass).add('the 8 GEMMs alone', gemms);
  await bench.run();
  const med = (i: number): number => {
    const r = bench.tasks[i]!.result;
    if (r.state !== 'completed') throw new Error(`autograd bench: task ${i} did not complete (${r.state})`);
    return r.latency.p50;
  };
  const tPass = med(0), tGemm = med(1);
  const flops = 2 * B * (784 * 256 + 256 * 128 + 128 * 10) * 3 - 2 * B * 784 * 256; // no dX for layer 1
  for (const p of [...h.slice(1), ...gz.slice(1), ...dW, ws]) heap.free(p);
  for (const [w, b] of params) { w.dispose(); b.dispose(); }
  x.dispose();
  return [
    `MLP 784-256-128-10, batch ${B}, ${name} backend; medians.`,
    '',
    '| | ms per pass | GFLOP/s (GEMM flops) |',
    '|---|---|---|',
    `| forward + backward through autograd | ${tPass.toFixed(3)} | ${(flops / tPass / 1e6).toFixed(1)} |`,
    `| the same 8 GEMMs on raw buffers | ${tGemm.toFixed(3)} | ${(flops / tGemm / 1e6).toFixed(1)} |`,
    `| **GEMM share of the pass** | **${(100 * tGemm / tPass).toFixed(1)}%** | |`,
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await runAutogradBench());
}
