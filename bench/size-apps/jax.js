// The size bench's application written with jax-js, as bench/size-apps/simdgrad.js is with
// simdgrad: an MLP trained with Adam on data it receives at run time, then its predictions for new
// rows. jax-js has no fit() nor optimizers (optax is a separate package), so the epoch loop over
// shuffled mini-batches and Adam (optax's update, PyTorch's bias corrections) are written here,
// the loss and gradients jit-compiled (the optax pattern). jax-js builds its wasm kernels at run
// time: it ships no .wasm file.
import { defaultDevice, init, jit, nn, numpy as np, random, tree, valueAndGrad } from '@jax-js/jax';

/** Same contract as simdgrad.js's train(). */
export async function train({ x, y, features, classes, test, epochs = 20, hidden = 64, seed = 0 }) {
  await init('wasm');
  defaultDevice('wasm');
  const n = y.length, batch = 32, lr = 1e-2, b1 = 0.9, b2 = 0.999, eps = 1e-8;
  const glorot = (s, fanIn, fanOut) => {
    const a = Math.sqrt(6 / (fanIn + fanOut));
    return random.uniform(random.key(s), [fanIn, fanOut], { minval: -a, maxval: a });
  };
  let params = { w1: glorot(seed, features, hidden), b1: np.zeros([hidden]), w2: glorot(seed + 1, hidden, classes), b2: np.zeros([classes]) };
  const keys = Object.keys(params);
  let m = tree.map((p) => np.zeros(p.shape), tree.ref(params)), v = tree.map((p) => np.zeros(p.shape), tree.ref(params));
  const logitsOf = (p, xb) => np.dot(nn.relu(np.dot(xb, p.w1).add(p.b1)), p.w2).add(p.b2);
  const lossFn = (p, xb, yb) => nn.logSoftmax(logitsOf(p, xb)).mul(yb).sum().mul(-1).div(xb.shape[0]);
  const gradFn = jit(valueAndGrad(lossFn));

  let order = Int32Array.from({ length: n }, (_, i) => i), rng = seed + 1, t = 0, loss = NaN, correct = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = n - 1; i > 0; i--) {          // Fisher–Yates with an LCG
      rng = (Math.imul(rng, 1664525) + 1013904223) >>> 0;
      const j = rng % (i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    let sum = 0;
    correct = 0;
    for (let start = 0; start < n; start += batch) {
      const idx = order.subarray(start, Math.min(n, start + batch)), B = idx.length;
      const xb = new Float32Array(B * features), yb = new Float32Array(B * classes);
      idx.forEach((r, k) => { xb.set(x.subarray(r * features, (r + 1) * features), k * features); yb[k * classes + y[r]] = 1; });
      const xa = np.array(xb).reshape([B, features]), ya = np.array(yb).reshape([B, classes]);
      const pred = np.argmax(logitsOf(tree.ref(params), xa.ref), 1).dataSync();
      pred.forEach((c, k) => { if (c === y[idx[k]]) correct++; });
      const [l, g] = gradFn(tree.ref(params), xa, ya);
      sum += l.item() * B;
      t++;
      const c1 = lr / (1 - b1 ** t), c2 = 1 / Math.sqrt(1 - b2 ** t);
      const np_ = {}, nm = {}, nv = {};
      for (const k of keys) {
        const gk = g[k];
        nm[k] = m[k].mul(b1).add(gk.ref.mul(1 - b1));
        nv[k] = v[k].mul(b2).add(gk.ref.mul(gk).mul(1 - b2));
        np_[k] = params[k].sub(nm[k].ref.mul(c1).div(np.sqrt(nv[k].ref).mul(c2).add(eps)));
      }
      [params, m, v] = [np_, nm, nv];
    }
    loss = sum / n;
  }
  const rows = np.array(test).reshape([test.length / features, features]);
  const predicted = Int32Array.from(np.argmax(logitsOf(params, rows), 1).dataSync());
  tree.dispose([m, v]);
  gradFn.dispose();
  return { loss, accuracy: correct / n, predicted };
}
