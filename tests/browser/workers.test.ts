// Trials in Web Workers (src/tune/workers/web-host.ts) in headless Chromium: study.optimize({ module,
// export }, { concurrency: 2 }) on a cross-origin-isolated page runs each trial in a module Web Worker
// with its own simdgrad; a worker that crashes (uncaught error), closes itself, hangs past
// trialTimeout, or cannot load its module fails only its trial and is replaced; a page that is not
// cross-origin isolated gets a clear error. Uses the demo build (examples/browser/dist) for simdgrad.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { DEMO, ensureDemoBuilt, launchChromium, type Chromium } from './chromium.js';
import { serveDemo, type DemoServer } from '../../examples/browser/serve.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
let chrome: Chromium, isolated: DemoServer, plain: DemoServer;
const errors: string[] = [], wasm: string[] = [];

beforeAll(async () => {
  await ensureDemoBuilt();
  [isolated, plain, chrome] = await Promise.all([
    serveDemo({ root: DEMO, mounts: { '/fixtures/': fixtures } }),
    serveDemo({ root: DEMO, mounts: { '/fixtures/': fixtures }, isolate: false }),
    launchChromium(),
  ]);
  chrome.page.on('pageerror', (e) => errors.push(e.message));
  chrome.context.on('request', (r) => { if (r.url().endsWith('.wasm')) wasm.push(r.url()); }); // page and workers
}, 120_000);

afterAll(async () => {
  await chrome?.close();
  await Promise.all([isolated?.close(), plain?.close()]);
});

interface Row { number: number; state: string; mode: string; value: number | null; failReason: string | null; worker: string; backend: string }

describe('trials in Web Workers (Chromium)', () => {
  it('fails only the trial of a worker that crashes, closes or hangs, and replaces it; refuses a module that cannot load', async () => {
    const { page } = chrome;
    await page.goto(`${isolated.url}fixtures/workers.html`);
    await page.waitForSelector('body[data-ready="1"]', { state: 'attached' });
    const rows = await page.evaluate(async () => {
      const { tune } = (window as unknown as { sg: typeof import('../../src/index.js') }).sg;
      const study = await tune.createStudy();
      const modes = ['ok', 'crash', 'ok', 'close', 'throw', 'hang', 'prune', 'bad-range', 'ok', 'ok'];
      for (const mode of modes) await study.enqueueTrial({ mode });
      await study.optimize({ module: '/fixtures/chaos.js', export: 'chaos' }, { nTrials: modes.length, concurrency: 2, trialTimeout: 2 });
      const missing = await tune.createStudy();
      const refused = await missing.optimize({ module: new URL('/fixtures/missing.js', location.href), export: 'chaos' }, { nTrials: 1 })
        .then(() => 'no error', (e: Error) => `${e.name}: ${e.message} (${missing.trials.length} trials)`);
      return [...study.trials.map((t) => ({
        number: t.number, state: t.state, mode: String(t.params.mode), value: t.value, failReason: t.failReason ?? null,
        worker: String(t.userAttrs.worker ?? ''), backend: String(t.userAttrs.backend ?? ''),
      })), refused];
    }) as [...Row[], string];
    const missing = rows.splice(10)[0] as string;
    const by = (mode: string) => (rows as Row[]).filter((r) => r.mode === mode);
    expect(rows).toHaveLength(10);
    expect(by('ok').every((r) => r.state === 'COMPLETE' && r.value === 6)).toBe(true);
    expect(by('ok').every((r) => /^(relaxed|simd|scalar)$/.test(r.backend))).toBe(true);
    expect(by('crash')[0]!.failReason).toMatch(/^WorkerCrash: worker crashed: .*async boom/);
    expect(by('close')[0]!.failReason).toMatch(/^WorkerExit: worker exited with code 0 during the trial/);
    expect(by('hang')[0]!.failReason).toMatch(/exceeded trialTimeout 2 s/);
    expect(by('throw')[0]!.failReason).toBe('RangeError: bad thing');
    expect(by('bad-range')[0]!.failReason).toMatch(/low 2 > high 1/);
    expect(by('prune')[0]).toMatchObject({ state: 'PRUNED', value: 7 });
    expect((rows as Row[]).filter((r) => r.state === 'FAIL')).toHaveLength(5);
    // Two seats, and a new worker after the crash and after the close (the seat that hangs for 2 s
    // may get no later trial): ≥ 4 distinct workers, named by spawn order.
    const workers = new Set((rows as Row[]).map((r) => r.worker));
    expect([...workers].every((w) => /^simdgrad-trial-\d+$/.test(w))).toBe(true);
    expect(workers.size).toBeGreaterThanOrEqual(4);
    // A module that cannot load is refused before any trial starts.
    expect(missing).toMatch(/^ObjectiveModuleError: objective module .*missing\.js failed to load: .*\(0 trials\)$/);
    expect(errors).toEqual([]); // worker errors are handled, not uncaught in the page
    // The page compiled the wasm once per optimize() and posted the Module to every worker (≥ 4
    // of them, none of which fetched it again).
    expect(wasm).toHaveLength(2);
  }, 60_000);

  it('refuses a page that is not cross-origin isolated, with the reason', async () => {
    const { page } = chrome;
    await page.goto(`${plain.url}fixtures/workers.html`);
    await page.waitForSelector('body[data-ready="1"]', { state: 'attached' });
    const message = await page.evaluate(async () => {
      const { tune } = (window as unknown as { sg: typeof import('../../src/index.js') }).sg;
      const study = await tune.createStudy();
      try {
        await study.optimize({ module: '/fixtures/chaos.js', export: 'chaos' }, { nTrials: 1, concurrency: 2 });
        return `no error; crossOriginIsolated=${crossOriginIsolated}`;
      } catch (e) {
        return (e as Error).message;
      }
    });
    expect(message).toMatch(/cross-origin isolated.*Cross-Origin-Opener-Policy: same-origin.*Cross-Origin-Embedder-Policy: require-corp/);
  }, 30_000);
});
