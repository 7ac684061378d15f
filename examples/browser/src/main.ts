// The demo page: (1) trains an MLP on digits in a Web Worker (train-worker.js) with a live uPlot
// loss chart, (2) classifies what a person draws on the pad with that model, (3) runs a TPE sweep
// whose trials run in Web Workers and shows the leaderboard. Query parameters (for quick runs and
// the browser test): epochs (training, default 30), trials (sweep, 10), sweepEpochs (per trial, 6),
// concurrency (sweep workers, default min(4, hardwareConcurrency)), seed (0), autostart (1: train on load).
// The page's progress is also mirrored in `window.demo` for scripts and tests.
import uPlot from 'uplot';
import { drawPad, showPixels } from './draw-pad.js';
import { renderLeaderboard, runSweep, type SweepRow } from './sweep.js';

const q = new URLSearchParams(location.search);
const num = (k: string, d: number) => (q.has(k) ? Number(q.get(k)) : d);
const cfg = {
  epochs: num('epochs', 30), trials: num('trials', 10), sweepEpochs: num('sweepEpochs', 6), seed: num('seed', 0),
  concurrency: num('concurrency', Math.max(1, Math.min(4, navigator.hardwareConcurrency || 2))), autostart: q.get('autostart') !== '0',
};
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const demo = {
  backend: '', losses: [] as number[], liveFrames: 0, epochs: [] as { epoch: number; loss: number; testAccuracy: number }[],
  trained: false, prediction: null as null | { digit: number; probs: number[]; pixels: number[] },
  sweep: { state: 'idle', rows: [] as SweepRow[], seconds: 0 }, errors: [] as string[],
};
(window as unknown as { demo: typeof demo }).demo = demo;
const fail = (msg: string) => { demo.errors.push(msg); $('errors').textContent = demo.errors.join('\n'); };
window.addEventListener('unhandledrejection', (e) => fail(String(e.reason?.stack ?? e.reason)));

$('env').textContent = `cross-origin isolated: ${crossOriginIsolated ? 'yes' : 'NO (trials in Web Workers need COOP/COEP headers)'}; ` +
  `${navigator.hardwareConcurrency} logical cores; sweep concurrency ${cfg.concurrency}`;

// 1. Training with a live loss chart.
const chart = new uPlot({
  width: Math.min(940, document.body.clientWidth), height: 260, title: 'training loss (per mini-batch)',
  scales: { x: { time: false } }, axes: [{ label: 'step' }, { label: 'cross-entropy' }],
  series: [{ label: 'step' }, { label: 'loss', stroke: '#3572b0', width: 1.5 }],
}, [[], []], $('loss-chart'));
let redraw = 0;
const draw = () => {
  redraw = 0;
  if (!demo.trained) demo.liveFrames++; // chart updates while training runs
  chart.setData([demo.losses.map((_, i) => i), demo.losses]);
};

let trainer: Worker | undefined;
const pending = new Map<number, (probs: number[]) => void>();
function train(): void {
  trainer?.terminate();
  demo.losses = []; demo.epochs = []; demo.trained = false;
  const status = $('train-status');
  status.dataset.state = 'running'; status.textContent = 'starting the worker…';
  trainer = new Worker(new URL('./train-worker.js', import.meta.url), { type: 'module', name: 'trainer' });
  trainer.addEventListener('error', (e) => fail(`training worker: ${e.message}`));
  trainer.addEventListener('message', (e: MessageEvent) => {
    const m = e.data;
    if (m.type === 'ready') { demo.backend = m.backend; status.textContent = `training on ${m.backend}…`; }
    else if (m.type === 'batch') { demo.losses.push(m.loss); redraw ||= requestAnimationFrame(draw); }
    else if (m.type === 'epoch') {
      demo.epochs.push(m);
      status.textContent = `epoch ${m.epoch + 1}/${cfg.epochs}: loss ${m.loss.toFixed(4)}, test accuracy ${(100 * m.testAccuracy).toFixed(1)}% (${demo.backend})`;
    } else if (m.type === 'done') {
      demo.trained = true; draw();
      status.dataset.state = 'done';
      status.textContent = `done: test accuracy ${(100 * m.testAccuracy).toFixed(2)}% after ${cfg.epochs} epochs in ${m.seconds.toFixed(1)} s on ${demo.backend}. Draw a digit below.`;
      void predict();
    } else if (m.type === 'probs') { pending.get(m.id)?.(m.probs); pending.delete(m.id); }
    else if (m.type === 'error') fail(`training worker: ${m.message}`);
  });
  trainer.postMessage({ type: 'train', epochs: cfg.epochs, seed: cfg.seed });
}
$('train-run').addEventListener('click', train);

// 2. Drawing and predicting.
let nextId = 0;
const pad = drawPad($<HTMLCanvasElement>('pad'), () => void predict());
async function predict(): Promise<void> {
  const pixels = pad.pixels();
  if (!pixels) return;
  showPixels($<HTMLCanvasElement>('preview'), pixels);
  if (!trainer || !demo.trained) { $('prediction').textContent = '…'; return; }
  const id = nextId++;
  const probs = await new Promise<number[]>((resolve) => { pending.set(id, resolve); trainer!.postMessage({ type: 'predict', id, pixels }); });
  const digit = probs.indexOf(Math.max(...probs));
  demo.prediction = { digit, probs, pixels };
  const out = $('prediction');
  out.textContent = `it's a ${digit}`; out.dataset.digit = String(digit);
  $('probs').replaceChildren(...probs.map((p, d) => {
    const row = document.createElement('div');
    row.className = d === digit ? 'bar top' : 'bar';
    const fill = Object.assign(document.createElement('span'), { className: 'fill' });
    fill.style.width = `${Math.max(1, p * 160)}px`;
    const track = document.createElement('span');
    track.append(fill);
    row.append(Object.assign(document.createElement('b'), { textContent: String(d) }), track,
      Object.assign(document.createElement('span'), { textContent: `${(100 * p).toFixed(1)}%` }));
    return row;
  }));
}
$('pad-clear').addEventListener('click', () => {
  pad.clear(); demo.prediction = null;
  $('prediction').textContent = ''; $('prediction').dataset.digit = ''; $('probs').replaceChildren();
});

// 3. The sweep.
$('sweep-run').addEventListener('click', () => {
  const status = $('sweep-status'), button = $<HTMLButtonElement>('sweep-run'), body = $('leaderboard').querySelector('tbody')!;
  button.disabled = true;
  demo.sweep = { state: 'running', rows: [], seconds: 0 };
  status.dataset.state = 'running';
  status.textContent = `0/${cfg.trials} trials in ${cfg.concurrency} Web Workers…`;
  runSweep({ trials: cfg.trials, concurrency: cfg.concurrency, epochs: cfg.sweepEpochs, seed: cfg.seed }, (rows) => {
    demo.sweep.rows = rows;
    renderLeaderboard(body, rows);
    const best = rows.filter((r) => r.state === 'COMPLETE').reduce((b, r) => Math.max(b, r.value!), 0);
    status.textContent = `${rows.length}/${cfg.trials} trials in ${cfg.concurrency} Web Workers, best ${(100 * best).toFixed(2)}%…`;
  }).then(({ rows, seconds }) => {
    demo.sweep = { state: 'done', rows, seconds };
    renderLeaderboard(body, rows);
    const c = (s: string) => rows.filter((r) => r.state === s).length;
    status.dataset.state = 'done';
    status.textContent = `done: ${rows.length} trials (${c('COMPLETE')} complete, ${c('PRUNED')} pruned, ${c('FAIL')} failed) in ${seconds.toFixed(1)} s`;
  }, (e: Error) => {
    demo.sweep.state = 'failed'; status.dataset.state = 'failed';
    status.textContent = 'failed'; fail(`sweep: ${e.message}`);
  }).finally(() => { button.disabled = false; });
});

if (cfg.autostart) train();
