// `npm start`: trains a 64-128-10 MLP on the built-in digits data (1,797 8×8 images) with
// mini-batch SGD through autograd: the forward pass is two GEMMs with fused bias (+ReLU)
// epilogues and the fused softmax cross-entropy, the backward pass the TN and NN GEMMs. Prints
// per-epoch loss and accuracy, and checks that memory stays flat.
import * as sg from '../../src/index.js';
import { digits } from '../../src/datasets/index.js';

const backendName = await sg.init();
const data = digits();
const [N, D] = data.shape, H = 128, C = 10;
const X = data.x.map((v) => v / 16), Y = data.y;

// seeded shuffle, 80/20 split
const order = Array.from({ length: N }, (_, i) => i);
let s = 12345;
for (let i = N - 1; i > 0; i--) {
  s = (Math.imul(s, 1103515245) + 12345) >>> 0;
  const j = s % (i + 1);
  [order[i], order[j]] = [order[j]!, order[i]!];
}
const nTrain = Math.floor(N * 0.8);
const take = (idx: number[]) => {
  const x = new Float32Array(idx.length * D), y = new Int32Array(idx.length);
  idx.forEach((k, i) => { x.set(X.subarray(k * D, k * D + D), i * D); y[i] = Y[k]!; });
  return { x, y };
};
const train = take(order.slice(0, nTrain)), test = take(order.slice(nTrain));

// parameters (Kaiming-normal weights, zero biases), kept outside any scope
const W1 = sg.randn([H, D], { seed: 1, std: Math.sqrt(2 / D) }), b1 = sg.zeros([H]);
const W2 = sg.randn([C, H], { seed: 2, std: Math.sqrt(2 / H) }), b2 = sg.zeros([C]);
const params = [W1, b1, W2, b2];
for (const p of params) p.requiresGrad = true;
const k = W1.backend.kernels;
const { crossEntropy } = sg.nn.functional;

/** Mean cross-entropy and accuracy of the model on (x, y). */
function evaluate(x: Float32Array, y: Int32Array): { loss: number; acc: number } {
  return sg.noGrad(() => sg.scope(() => {
    const logits = forward(sg.tensor(x, [y.length, D]));
    const pred = logits.argmax(1);
    return { loss: crossEntropy(logits, y).item(), acc: pred.filter((p, i) => p === y[i]).length / y.length };
  }));
}

function forward(x: sg.Tensor): sg.Tensor {
  const h = sg.linear(x, W1, b1, { activation: 'relu' });    // [n, H]  one GEMM, fused bias + ReLU
  return sg.linear(h, W2, b2);                                // [n, C]
}

/** One SGD step on a batch; returns the batch loss. */
function step(x: Float32Array, y: Int32Array, lr: number): number {
  return sg.scope(() => {
    const loss = crossEntropy(forward(sg.tensor(x, [y.length, D])), y);
    loss.backward();                                          // dW = dYᵀ·X (TN GEMM), dX = dY·W (NN)
    sg.noGrad(() => {
      for (const p of params) {
        const g = p.grad!;
        k.affine_f32(g.ptr, g.ptr, g.size, -lr, 0);
        k.add_f32(p.ptr, p.ptr, g.ptr, 1, p.size, 0, 1, 0, 1);  // p += −lr·g in place (optimizers come next)
        g.dispose();
        p.grad = null;
      }
    });
    return loss.item();
  });
}

const epochs = 30, batch = 32, lr = 0.1;
console.log(`simdgrad on ${backendName}: digits ${nTrain} train / ${N - nTrain} test, MLP ${D}-${H}-${C}, ` +
  `SGD lr ${lr}, batch ${batch}`);
let mem0: sg.MemoryInfo | undefined;
const t0 = performance.now();
for (let e = 1; e <= epochs; e++) {
  let sum = 0, batches = 0;
  for (let i = 0; i + batch <= nTrain; i += batch) {
    sum += step(train.x.subarray(i * D, (i + batch) * D), train.y.subarray(i, i + batch), lr);
    batches++;
  }
  const te = evaluate(test.x, test.y);
  mem0 ??= sg.memory();
  console.log(`epoch ${String(e).padStart(2)}  train loss ${(sum / batches).toFixed(4)}  ` +
    `test loss ${te.loss.toFixed(4)}  test accuracy ${(te.acc * 100).toFixed(1)}%`);
}
const secs = (performance.now() - t0) / 1000;
const final = evaluate(test.x, test.y);
const mem = sg.memory();
console.log(`${epochs} epochs in ${secs.toFixed(2)} s; test accuracy ${(final.acc * 100).toFixed(1)}%; ` +
  `memory ${mem.bytes} bytes in ${mem.tensors} tensors (${mem.bytes === mem0!.bytes ? 'flat' : 'GREW'})`);
if (final.acc < 0.9 || mem.bytes !== mem0!.bytes) process.exit(1);
