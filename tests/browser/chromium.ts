// Headless Chromium for the browser tests: Debian's /usr/bin/chromium (or $CHROMIUM) driven by
// playwright-core, with a fresh empty profile directory that is removed on close. Also builds the
// demo (examples/browser/dist) when it is missing or older than its sources — once, under a lock
// directory, since test files run in parallel processes.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const DEMO = join(REPO, 'examples/browser');

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Chromium { context: BrowserContext; page: Page; close(): Promise<void> }

/** Starts Chromium with a new empty --user-data-dir and opens one page. */
export async function launchChromium(): Promise<Chromium> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM to its path`);
  const profile = mkdtempSync(join(tmpdir(), 'simdgrad-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1100, height: 1400 },
  });
  const page = context.pages()[0] ?? await context.newPage();
  return {
    context, page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const newest = (dir: string): number => readdirSync(dir, { withFileTypes: true, recursive: true })
  .filter((e) => e.isFile()).reduce((m, e) => Math.max(m, statSync(join(e.parentPath, e.name)).mtimeMs), 0);

const fresh = (): boolean => {
  const out = join(DEMO, 'dist/main.js');
  const inputs = Math.max(newest(join(REPO, 'src')), newest(join(DEMO, 'src')), newest(join(REPO, 'build')),
    statSync(join(DEMO, 'rollup.config.mjs')).mtimeMs);
  return existsSync(out) && statSync(out).mtimeMs > inputs;
};

/** Runs `npm run build:demo`'s rollup step unless examples/browser/dist is newer than its inputs. */
export async function ensureDemoBuilt(): Promise<void> {
  const lock = join(DEMO, '.build-lock');
  for (const t0 = Date.now(); ;) {
    if (fresh()) return;
    try {
      mkdirSync(lock);
    } catch {
      // Another test process is building: wait for it (a lock older than 3 minutes is stale).
      try { if (Date.now() - statSync(lock).mtimeMs > 180_000) rmSync(lock, { recursive: true, force: true }); } catch { /* gone */ }
      if (Date.now() - t0 > 240_000) throw new Error(`timed out waiting for the demo build (lock ${lock})`);
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    try {
      if (!fresh()) {
        execFileSync(process.execPath, [join(REPO, 'node_modules/rollup/dist/bin/rollup'), '-c', join(DEMO, 'rollup.config.mjs')],
          { cwd: REPO, stdio: 'pipe' });
      }
      return;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}
