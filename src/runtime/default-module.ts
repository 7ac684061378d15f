// The package's own build of a wasm variant, found next to the bundle (Node, Deno, Bun,
// browsers). Contract: defaultModule(variant) resolves to a compiled WebAssembly.Module read from
// build/simdgrad.<variant>.wasm (or a -threads build), located relative to this module (src/runtime/ or dist/): Node
// and Bun read the file with `fs` (Node's fetch rejects file: URLs), everything else fetches it
// (streaming when the server says application/wasm, else from the bytes). The Workers and Vercel
// Edge bundles replace this file with default-module.workerd.ts / default-module.edge.ts, which
// import the .wasm files as modules (those runtimes forbid compiling bytes).
import type { WasmBuild } from './load.js';
import { fetchModule, isNode, readNodeFile } from './read-module.js';

export async function defaultModule(variant: WasmBuild): Promise<WebAssembly.Module> {
  const file = `simdgrad.${variant}.wasm`;
  const candidates = [new URL(`../build/${file}`, import.meta.url),
    new URL(`../../build/${file}`, import.meta.url)];
  if (isNode) {
    const fs = await import('node:fs');
    const found = candidates.find((u) => fs.existsSync(u));
    if (!found) {
      throw new Error(`${file} not found next to simdgrad (looked in ${candidates.map((u) =>
        u.pathname).join(', ')}); run \`npm run build:wasm\` or pass init({ module })`);
    }
    return WebAssembly.compile(await readNodeFile(found));
  }
  return fetchModule(candidates[0]!);
}
