// The Chromium legs: node --import tsx chromium.ts <consumer dir> <scenario.js> [isolated]. Serves
// the consumer directory over http (a tiny node:http server, `.wasm` as application/wasm), opens a
// page whose import map points `simdgrad` at the file the package's `browser` export condition
// names (no bundler: the library finds its .wasm next to itself and streams it), and runs the
// scenario in the browser tests' headless Chromium (tests/browser/chromium.ts: the system's or
// npm's, a new empty profile). With `isolated`, every response carries COOP same-origin and COEP
// require-corp (the page gets SharedArrayBuffer) and the scenario runs on 2 kernel threads, whose
// workers the page's main thread waits for by spinning; without, 'auto' must settle for one thread.
// Prints the page's JSON result.
import { createServer } from 'node:http';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, normalize, extname } from 'node:path';
import { launchChromium } from '../../browser/chromium.js';

declare global { interface Window { __result?: unknown; __error?: string } }

const [consumer, scenarioPath, mode] = process.argv.slice(2) as [string, string, string?];
const isolated = mode === 'isolated';
const html = isolated ? 'chromium-isolated.html' : 'chromium.html';
type Target = string | { browser?: string; import?: string; default?: Target };
const pkg = JSON.parse(readFileSync(join(consumer, 'node_modules', 'simdgrad', 'package.json'), 'utf8')) as { exports: Record<string, Target> };
const target = (entry: string) => {
  const e = pkg.exports[entry]!;
  const t = typeof e === 'string' ? e : e.browser ?? e.import ?? e.default!;
  return `/node_modules/simdgrad/${(typeof t === 'string' ? t : t.import!).replace(/^\.\//, '')}`;
};
writeFileSync(join(consumer, html), `<!doctype html><meta charset="utf-8"><title>simdgrad matrix</title>
<script type="importmap">${JSON.stringify({ imports: { simdgrad: target('.'), 'simdgrad/datasets': target('./datasets') } })}</script>
<script type="module">
import * as sg from 'simdgrad';
import { iris } from 'simdgrad/datasets';
${readFileSync(scenarioPath, 'utf8')}
scenario(sg, iris, ${isolated ? 2 : "'auto'"}).then((r) => { window.__result = { ...r, isolated: crossOriginIsolated }; },
  (e) => { window.__error = String(e && e.stack || e); });
</script>`);

const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.map': 'application/json' };
const server = createServer((req, res) => {
  const file = join(consumer, normalize(decodeURIComponent(new URL(req.url!, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, ''));
  if (!file.startsWith(consumer) || !existsSync(file)) { res.writeHead(404).end(); return; }
  const headers = isolated ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } : {};
  res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', ...headers }).end(readFileSync(file));
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const chrome = await launchChromium();
try {
  const { page } = chrome;
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`http://127.0.0.1:${(server.address() as { port: number }).port}/${html}`);
  await page.waitForFunction(() => window.__result || window.__error, null, { timeout: 90_000 });
  const { result, error } = await page.evaluate(() => ({ result: window.__result, error: window.__error }));
  if (error || errors.length) throw new Error(`page failed: ${error ?? errors.join('; ')}`);
  if ((result as { isolated: boolean }).isolated !== isolated) throw new Error(`the page was${isolated ? ' not' : ''} cross-origin isolated`);
  console.log(JSON.stringify({ ...(result as object), userAgent: await page.evaluate(() => navigator.userAgent) }));
} finally {
  await chrome.close();
  server.close();
}
