// The Chromium leg: node chromium.mjs <consumer dir> <scenario.js>. Serves the consumer directory
// over http (a tiny node:http server, `.wasm` as application/wasm), opens a page whose import map
// points `simdgrad` at the file the package's `browser` export condition names (no bundler:
// the library finds its .wasm next to itself and streams it), and runs the scenario in headless
// Debian Chromium (playwright-core, a new empty profile). Prints the page's JSON result.
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { readFileSync, writeFileSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { join, normalize, extname } from 'node:path';
import { tmpdir } from 'node:os';

const [consumer, scenarioPath] = process.argv.slice(2);
const pkg = JSON.parse(readFileSync(join(consumer, 'node_modules', 'simdgrad', 'package.json'), 'utf8'));
const target = (entry) => {
  const e = pkg.exports[entry];
  const t = typeof e === 'string' ? e : e.browser ?? e.import ?? e.default;
  return `/node_modules/simdgrad/${(typeof t === 'string' ? t : t.import).replace(/^\.\//, '')}`;
};
writeFileSync(join(consumer, 'chromium.html'), `<!doctype html><meta charset="utf-8"><title>simdgrad matrix</title>
<script type="importmap">${JSON.stringify({ imports: { simdgrad: target('.'), 'simdgrad/datasets': target('./datasets') } })}</script>
<script type="module">
import * as sg from 'simdgrad';
import { iris } from 'simdgrad/datasets';
${readFileSync(scenarioPath, 'utf8')}
scenario(sg, iris).then((r) => { window.__result = r; }, (e) => { window.__error = String(e && e.stack || e); });
</script>`);

const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.map': 'application/json' };
const server = createServer((req, res) => {
  const file = join(consumer, normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, ''));
  if (!file.startsWith(consumer) || !existsSync(file)) { res.writeHead(404).end(); return; }
  res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const profile = mkdtempSync(join(tmpdir(), 'simdgrad-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = context.pages()[0] ?? await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`http://127.0.0.1:${server.address().port}/chromium.html`);
  await page.waitForFunction(() => window.__result || window.__error, null, { timeout: 90_000 });
  const { result, error } = await page.evaluate(() => ({ result: window.__result, error: window.__error }));
  if (error || errors.length) throw new Error(`page failed: ${error ?? errors.join('; ')}`);
  console.log(JSON.stringify({ ...result, userAgent: await page.evaluate(() => navigator.userAgent) }));
} finally {
  await context.close();
  server.close();
  rmSync(profile, { recursive: true, force: true });
}
