// Finding and compiling a wasm variant in every runtime (see ../shared/notes/RUNTIMES.md).
//
// Contract: compileVariant(variant, source?) resolves to a WebAssembly.Module. A Module passed
// in is used as is (Cloudflare Workers and Vercel Edge forbid compiling bytes: they import the
// .wasm file as a Module). Bytes are compiled; a URL or path is read with `fs` in Node (whose
// fetch rejects file: URLs) and fetched elsewhere, streaming when the server sends
// application/wasm. Without a source, the package's own build/ file is located next to this
// module. Nothing here runs at import time.

export type WasmVariant = 'relaxed' | 'simd' | 'scalar';
/** What `init({ module })` accepts. */
export type ModuleSource = WebAssembly.Module | BufferSource | URL | string;

const isNode = typeof process !== 'undefined' && !!process.versions?.node &&
  typeof (globalThis as { Deno?: unknown }).Deno === 'undefined';

async function readNodeFile(url: URL): Promise<Uint8Array<ArrayBuffer>> {
  const fs = await import('node:fs/promises');
  const b = await fs.readFile(url);
  return new Uint8Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
}

async function fetchModule(url: URL): Promise<WebAssembly.Module> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`fetching ${url.href} failed: HTTP ${res.status}`);
  const type = res.headers.get('content-type') ?? '';
  if (typeof WebAssembly.compileStreaming === 'function' && type.startsWith('application/wasm')) {
    return WebAssembly.compileStreaming(res);
  }
  return WebAssembly.compile(await res.arrayBuffer());
}

/** The package's own build of `variant`, located relative to this module (src/ or dist/). */
async function defaultModule(variant: WasmVariant): Promise<WebAssembly.Module> {
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

/** Compiles (or passes through) the module for `variant`. */
export async function compileVariant(
  variant: WasmVariant, source?: ModuleSource,
): Promise<WebAssembly.Module> {
  if (source === undefined) return defaultModule(variant);
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    return WebAssembly.compile(source);
  }
  const url = source instanceof URL ? source : new URL(source, isNode
    ? `file://${process.cwd()}/` : (globalThis as { location?: { href: string } }).location?.href);
  if (url.protocol === 'file:' && isNode) return WebAssembly.compile(await readNodeFile(url));
  return fetchModule(url);
}
