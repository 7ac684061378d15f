// The runtime matrix's scenario (tests/runtime-matrix/matrix.test.ts): the same seeded work in every
// runtime, as ONE plain function declaration without imports or exports, so each leg's entry
// (ESM, CJS, a Worker, an Edge script, a browser page) is this text plus a line that loads
// `simdgrad` its own way and prints or returns the result.
// Contract: scenario(sg, iris, threads = 'auto') → a JSON-safe object of numbers. A tiny training
// (an MLP 4-16-3 with Adam on iris, 30 epochs, every seed fixed), a wider one whose products,
// elementwise kernels and Adam steps are big enough to be split over kernel threads (an MLP
// 128-512-256-10, 3 epochs of batches of 128), and a 5-trial TPE sweep (seeded, in-process
// trials), on the `simd` build with `threads` kernel threads, forced so that every runtime runs
// the same kernels (relaxed SIMD may round differently); results must not depend on the thread
// count. `best` is what init() picks by itself here (not compared); `threads` is sg.threads();
// `said` collects what simdgrad wrote with console.info / console.warn (why it runs on one thread).
async function scenario(sg, iris, threads = 'auto') {
  const said = [];
  const { info, warn } = console;
  console.info = (...a) => { said.push(a.join(' ')); };
  console.warn = (...a) => { said.push(a.join(' ')); };
  try {
    return { ...(await run(sg, iris, threads)), said };
  } finally {
    console.info = info;
    console.warn = warn;
  }

  async function run(sg, iris, threads) {
    const best = await sg.init({ threads });
    const backend = await sg.init({ backend: 'simd', threads });
    const again = await sg.init({ backend: 'simd', threads });       // idempotent
    const data = iris();
    const [n, d] = data.shape;
    const all = sg.tensor(data.x, [n, d]);
    const { train, test } = sg.data.trainTestSplit(data.y, { testSize: 0.3, stratify: true, seed: 0 });
    const take = (idx) => ({ x: sg.data.gatherRows(all, idx), y: idx.map((i) => data.y[i]) });
    const tr = take(train), te = take(test);
    const scaler = new sg.data.StandardScaler();
    const xTrain = scaler.fitTransform(tr.x), xTest = scaler.transform(te.x);

    const trainOne = (hidden, lr, epochs) => {
      sg.manualSeed(0);
      const model = new sg.nn.Sequential(new sg.nn.Linear(d, hidden), new sg.nn.ReLU(), new sg.nn.Linear(hidden, 3));
      const optimizer = new sg.optim.Adam(model.parameters(), { lr });
      const history = sg.fit(model, { x: xTrain, y: tr.y, optimizer, epochs, batchSize: 16, seed: 0 });
      const result = sg.evaluate(model, xTest, te.y);
      model.dispose();
      optimizer.dispose();
      return { loss: history.values.loss[history.values.loss.length - 1], testLoss: result.loss, accuracy: result.accuracy };
    };

    const training = trainOne(16, 0.01, 30);
    sg.manualSeed(1);
    const x = sg.randn([256, 128], { seed: 2 });
    const y = Array.from({ length: 256 }, (_, i) => i % 10);
    const model = new sg.nn.Sequential(new sg.nn.Linear(128, 512), new sg.nn.ReLU(), new sg.nn.Linear(512, 256),
      new sg.nn.ReLU(), new sg.nn.Linear(256, 10));
    const optimizer = new sg.optim.Adam(model.parameters(), { lr: 1e-3 });
    const history = sg.fit(model, { x, y, optimizer, epochs: 3, batchSize: 128, seed: 0 });
    const wide = { losses: history.values.loss, sums: model.parameters().map((p) => p.toArray().reduce((s, v) => s + v, 0)) };
    model.dispose();
    optimizer.dispose();
    x.dispose();

    const study = await sg.tune.createStudy({ direction: 'minimize',
      sampler: new sg.tune.TPESampler({ seed: 1, nStartupTrials: 3 }) });
    await study.optimize((trial) => {
      const lr = trial.suggestFloat('lr', 1e-3, 1e-1, { log: true });
      const hidden = trial.suggestInt('hidden', 4, 32);
      return trainOne(hidden, lr, 10).testLoss;
    }, { nTrials: 5 });
    for (const t of [all, tr.x, te.x, xTrain, xTest]) t.dispose();
    return {
      best, backend, again, threads: sg.threads(), training, wide,
      sweep: { values: study.trials.map((t) => t.value), bestParams: study.bestParams, bestValue: study.bestValue },
      tensorsLeft: sg.memory().tensors,
    };
  }
}
