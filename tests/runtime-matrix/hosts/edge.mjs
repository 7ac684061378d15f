// The Vercel Edge leg: node edge.mjs <consumer dir> <scenario.js>. Bundles the entry as a script
// (`edge-light` export condition) the way Vercel's build does: each `x.wasm?module` import becomes
// a WebAssembly.Module that the host compiled and handed in as a global binding. Runs it in
// `edge-runtime` (Vercel's runtime emulation) with wasm code generation disabled, as in
// production (edge-runtime's own default allows it); compiling bytes is tried first and must
// fail. Prints the fetch handler's JSON answer.
import { EdgeRuntime } from 'edge-runtime';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { bundle } from './bundle.mjs';
import { COMPILE_PROBE } from './compile-probe.mjs';

const [consumer, scenarioPath] = process.argv.slice(2);
const dir = join(consumer, 'edge');
mkdirSync(dir, { recursive: true });
const entry = join(dir, 'entry.mjs');
writeFileSync(entry, `import * as sg from 'simdgrad';
import { iris } from 'simdgrad/datasets';
${readFileSync(scenarioPath, 'utf8')}
${COMPILE_PROBE}
addEventListener('fetch', (event) => event.respondWith((async () => {
  const compileForbidden = await compileProbe();
  return new Response(JSON.stringify({ ...(await scenario(sg, iris)), compileForbidden }));
})()));
`);
const bindings = {};
const code = await bundle({
  consumer, entry, conditions: ['edge-light', 'worker', 'browser', 'import', 'default', 'module'], format: 'iife',
  wasm: (file) => {
    const name = `__wasm_${file.replace(/\W/g, '_')}`;
    bindings[name] = new WebAssembly.Module(readFileSync(join(consumer, 'node_modules', 'simdgrad', 'build', file)));
    return `\0wasm:${name}`;
  },
});
const runtime = new EdgeRuntime({
  codeGeneration: { strings: false, wasm: false },
  extend: (context) => Object.assign(context, bindings),
});
runtime.evaluate(code);
const res = await runtime.dispatchFetch('http://localhost/');
const text = await res.text();
if (!res.ok) throw new Error(`edge function answered ${res.status}: ${text}`);
console.log(JSON.stringify({ ...JSON.parse(text), wasmModules: Object.keys(bindings).sort() }));
