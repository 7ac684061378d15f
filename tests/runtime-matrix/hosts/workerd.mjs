// The Cloudflare Workers leg: node workerd.mjs <consumer dir> <scenario.js>. Bundles a Worker
// (`workerd` export condition, the .wasm builds kept as module imports as wrangler does) and runs
// it in workerd through miniflare, without nodejs_compat. In the Worker, compiling bytes is tried
// first and must fail (workerd forbids it), so the scenario that follows ran on imported modules.
// Prints the Worker's JSON answer.
import { Miniflare } from 'miniflare';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { bundle } from './bundle.mjs';
import { COMPILE_PROBE } from './compile-probe.mjs';

const [consumer, scenarioPath] = process.argv.slice(2);
const dir = join(consumer, 'workerd');
mkdirSync(dir, { recursive: true });
const entry = join(dir, 'entry.mjs');
writeFileSync(entry, `import * as sg from 'simdgrad';
import { iris } from 'simdgrad/datasets';
${readFileSync(scenarioPath, 'utf8')}
${COMPILE_PROBE}
export default {
  async fetch() {
    const compileForbidden = await compileProbe();
    return Response.json({ ...(await scenario(sg, iris)), compileForbidden });
  },
};
`);
const wasmFiles = new Set();
const code = await bundle({
  consumer, entry, conditions: ['workerd', 'worker', 'import', 'default', 'module'], format: 'es',
  wasm: (file) => { wasmFiles.add(file); return { id: `./${file}`, external: true }; },
});
const mf = new Miniflare({
  compatibilityDate: '2025-01-01',
  modules: [
    { type: 'ESModule', path: join(dir, 'worker.mjs'), contents: code },
    ...[...wasmFiles].map((f) => ({ type: 'CompiledWasm', path: join(dir, f),
      contents: readFileSync(join(consumer, 'node_modules', 'simdgrad', 'build', f)) })),
  ],
  modulesRoot: dir,
});
try {
  const res = await mf.dispatchFetch('http://localhost/');
  const text = await res.text();
  if (!res.ok) throw new Error(`worker answered ${res.status}: ${text}`);
  console.log(JSON.stringify({ ...JSON.parse(text), wasmModules: [...wasmFiles].sort() }));
} finally {
  await mf.dispose();
}
