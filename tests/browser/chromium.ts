// Headless Chromium for the browser tests (tests/helpers/chromium-executable.ts finds it: $CHROMIUM,
// the system's, or the one npm ci installs) driven by playwright-core, with a fresh empty profile
// directory that is removed on close. Also builds the demo (examples/browser/dist) when it is
// missing or older than its sources — once, under a lock directory, since test files run in
// parallel processes.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { findChromium } from '../helpers/chromium-executable.js';
import { withDirLock } from '../helpers/dir-lock.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const DEMO = join(REPO, 'examples/browser');

// Headless, as root, on a closed network: no background connections (they are refused here).
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Chromium { context: BrowserContext; page: Page; close(): Promise<void> }

/** Starts Chromium with a new empty --user-data-dir and opens one page. */
export async function launchChromium(): Promise<Chromium> {
  const { executablePath, env } = await findChromium();
  const profile = mkdtempSync(join(tmpdir(), 'simdgrad-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath, env: { ...process.env, ...env }, headless: true, args: ARGS, viewport: { width: 1100, height: 1400 },
    locale: 'en-US', // not the environment's: the npm build takes LANG=C as en-US@posix, which Intl rejects
  }).catch((e: unknown) => {
    rmSync(profile, { recursive: true, force: true });
    throw e;
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
  if (fresh()) return;
  await withDirLock(join(DEMO, '.build-lock'), () => {
    if (!fresh()) {
      execFileSync(process.execPath, [join(REPO, 'node_modules/rollup/dist/bin/rollup'), '-c', join(DEMO, 'rollup.config.mjs')],
        { cwd: REPO, stdio: 'pipe' });
    }
  });
}
