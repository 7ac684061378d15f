// The browser demo (examples/browser) in headless Chromium, served by its own COOP/COEP server:
// training in a Web Worker makes progress that the live uPlot chart shows, a digit drawn with mouse
// events on the pad gets a prediction, and the sweep runs all its trials in Web Workers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO, ensureDemoBuilt, launchChromium, type Chromium } from './chromium.js';
import { serveDemo, type DemoServer } from '../../examples/browser/serve.js';

const EPOCHS = 10, TRIALS = 8, SWEEP_EPOCHS = 3;
let chrome: Chromium, server: DemoServer;
const problems: string[] = [];

interface Demo {
  backend: string; losses: number[]; liveFrames: number; trained: boolean;
  epochs: { epoch: number; loss: number; testAccuracy: number }[];
  prediction: null | { digit: number; probs: number[]; pixels: number[] };
  sweep: { state: string; seconds: number; rows: { number: number; state: string; value: number | null; worker: string }[] };
  errors: string[];
}
const demo = () => chrome.page.evaluate(() => (window as unknown as { demo: Demo }).demo);

beforeAll(async () => {
  await ensureDemoBuilt();
  [server, chrome] = await Promise.all([serveDemo({ root: DEMO }), launchChromium()]);
  chrome.page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  chrome.page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  chrome.page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  chrome.page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  await chrome.page.goto(`${server.url}?epochs=${EPOCHS}&trials=${TRIALS}&sweepEpochs=${SWEEP_EPOCHS}&concurrency=2`);
}, 120_000);

afterAll(async () => {
  await chrome?.close();
  await server?.close();
});

/** Mouse strokes on the pad, in pad pixels (224 × 224). */
async function draw(strokes: [number, number][][]): Promise<void> {
  const { page } = chrome, box = (await page.locator('#pad').boundingBox())!;
  await page.click('#pad-clear');
  for (const pts of strokes) {
    await page.mouse.move(box.x + pts[0]![0], box.y + pts[0]![1]);
    await page.mouse.down();
    for (const [x, y] of pts.slice(1)) await page.mouse.move(box.x + x, box.y + y, { steps: 3 });
    await page.mouse.up();
  }
}

describe('browser demo (Chromium)', () => {
  it('bundles no static import of a Node builtin (they are dynamic, behind runtime checks)', () => {
    const dist = join(DEMO, 'dist'), files = readdirSync(dist).filter((f) => f.endsWith('.js'));
    expect(files).toEqual(expect.arrayContaining(['simdgrad.js', 'main.js', 'train-worker.js', 'objective.js', 'tune-worker.js']));
    for (const f of files) {
      const code = readFileSync(join(dist, f), 'utf8');
      expect(code, f).not.toMatch(/^\s*(import|export)\b[^;(]*?['"](node:[^'"]*|fs|fs\/promises|path|url|os|module|worker_threads)['"]/m);
      expect(code, f).not.toMatch(/\brequire\(/);
    }
  });

  it('trains an MLP on digits in a Web Worker and draws the loss live', async () => {
    const { page } = chrome;
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await page.waitForFunction(() => (window as unknown as { demo: Demo }).demo.trained, null, { timeout: 60_000 });
    const d = await demo();
    expect(d.backend).toMatch(/^(relaxed|simd|scalar)$/);
    expect(d.epochs.map((e) => e.epoch)).toEqual([...Array(EPOCHS).keys()]);
    // Loss goes down: the last epoch's mean batch loss is under a fifth of the first's, the last
    // 20 batches average under a third of the first 20, and the test accuracy ends above 93%.
    expect(d.epochs.at(-1)!.loss).toBeLessThan(d.epochs[0]!.loss / 5);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(d.losses.length).toBeGreaterThan(EPOCHS * 40);
    expect(mean(d.losses.slice(-20))).toBeLessThan(mean(d.losses.slice(0, 20)) / 3);
    expect(d.epochs.at(-1)!.testAccuracy).toBeGreaterThan(0.93);
    expect(d.liveFrames).toBeGreaterThan(1);
    expect(await page.textContent('#train-status')).toMatch(/^done: test accuracy/);
    // The chart canvas has the loss line: pixels in the series colour (#3572b0) and several rows.
    const ink = await page.evaluate(() => {
      const c = document.querySelector<HTMLCanvasElement>('#loss-chart canvas')!;
      const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let line = 0; const rows = new Set<number>();
      for (let i = 0; i < px.length; i += 4) {
        if (Math.abs(px[i]! - 0x35) < 40 && Math.abs(px[i + 1]! - 0x72) < 40 && Math.abs(px[i + 2]! - 0xb0) < 40 && px[i + 3]! > 100) {
          line++; rows.add(Math.floor(i / 4 / c.width));
        }
      }
      return { line, rows: rows.size, height: c.height };
    });
    expect(ink.line).toBeGreaterThan(300);
    expect(ink.rows).toBeGreaterThan(ink.height / 4);
  }, 90_000);

  it('predicts digits drawn with the mouse', async () => {
    const { page } = chrome;
    const ring = Array.from({ length: 41 }, (_, i): [number, number] =>
      [112 + 50 * Math.sin((i / 40) * 2 * Math.PI), 112 - 80 * Math.cos((i / 40) * 2 * Math.PI)]);
    for (const [digit, strokes] of [[0, [ring]], [7, [[[60, 40], [170, 40], [100, 190]]]]] as const) {
      await draw(strokes as unknown as [number, number][][]);
      await page.waitForFunction(() => (window as unknown as { demo: Demo }).demo.prediction !== null, null, { timeout: 10_000 });
      const p = (await demo()).prediction!;
      expect(p.pixels).toHaveLength(64);
      expect(p.pixels.every((v) => Number.isInteger(v) && v >= 0 && v <= 16)).toBe(true);
      expect(p.pixels.reduce((a, b) => a + b, 0)).toBeGreaterThan(100);
      expect(p.probs).toHaveLength(10);
      expect(p.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      expect(p.digit).toBe(digit);
      expect(await page.getAttribute('#prediction', 'data-digit')).toBe(String(digit));
      expect(await page.locator('#probs .bar').count()).toBe(10);
    }
  }, 30_000);

  it(`runs a ${TRIALS}-trial TPE sweep in two Web Workers and shows the leaderboard`, async () => {
    const { page } = chrome;
    await page.click('#sweep-run');
    await page.waitForFunction(() => (window as unknown as { demo: Demo }).demo.sweep.state !== 'running', null, { timeout: 90_000 });
    const { sweep } = await demo();
    expect(sweep.state).toBe('done');
    expect(sweep.rows.map((r) => r.number).sort((a, b) => a - b)).toEqual([...Array(TRIALS).keys()]);
    expect(sweep.rows.every((r) => r.state === 'COMPLETE' || r.state === 'PRUNED')).toBe(true);
    expect(new Set(sweep.rows.map((r) => r.worker))).toEqual(new Set(['simdgrad-trial-0', 'simdgrad-trial-1']));
    expect(Math.max(...sweep.rows.map((r) => r.value ?? 0))).toBeGreaterThan(0.9);
    expect(await page.locator('#leaderboard tbody tr').count()).toBe(TRIALS);
    expect(await page.textContent('#sweep-status')).toMatch(new RegExp(`^done: ${TRIALS} trials`));
    expect((await demo()).errors).toEqual([]);
    expect(problems).toEqual([]);
  }, 120_000);
});
