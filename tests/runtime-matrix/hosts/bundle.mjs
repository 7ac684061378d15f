// Bundling a leg's entry the way an edge platform's tool does (wrangler, Vercel's build): rollup
// with node resolution under the platform's export conditions, over the consumer directory's
// installed `simdgrad`. `.wasm` imports stay module imports: `wasm(id)` decides what each becomes.
// Contract: bundle({ consumer, entry, conditions, format, wasm }) → the bundle's code.
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { basename } from 'node:path';

export async function bundle({ consumer, entry, conditions, format, wasm }) {
  const b = await rollup({
    input: entry,
    plugins: [
      {
        name: 'wasm-imports',
        resolveId(source) { return /\.wasm(\?module)?$/.test(source) ? wasm(basename(source).replace(/\?module$/, '')) : null; },
        load(id) { return id.startsWith('\0wasm:') ? `export default globalThis[${JSON.stringify(id.slice(6))}];` : null; },
      },
      nodeResolve({ rootDir: consumer, exportConditions: conditions, browser: false, preferBuiltins: false }),
    ],
    external: [/^node:/],
    onwarn: (w, warn) => { if (w.code !== 'CIRCULAR_DEPENDENCY') warn(w); },
  });
  const { output } = await b.generate({ format, inlineDynamicImports: true });
  await b.close();
  return output[0].code;
}
