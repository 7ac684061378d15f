// Reading a .wasm file or URL into a compiled module (Node, Deno, Bun, browsers). Contract:
// readNodeFile(url) reads a file: URL with node:fs (Node's fetch rejects file: URLs);
// fetchModule(url) fetches and compiles, streaming when the server sends application/wasm and
// from the bytes otherwise (Deno's file: fetch has no content type). Both compile bytes, so
// neither is used where that is forbidden (Workers, Vercel Edge).

/** Node or Bun (which has node:fs and whose fetch may reject file: URLs), not Deno. */
export const isNode = typeof process !== 'undefined' && !!process.versions?.node &&
  typeof (globalThis as { Deno?: unknown }).Deno === 'undefined';

export async function readNodeFile(url: URL): Promise<Uint8Array<ArrayBuffer>> {
  const fs = await import('node:fs/promises');
  const b = await fs.readFile(url);
  return new Uint8Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
}

export async function fetchModule(url: URL): Promise<WebAssembly.Module> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`fetching ${url.href} failed: HTTP ${res.status}`);
  const type = res.headers.get('content-type') ?? '';
  if (typeof WebAssembly.compileStreaming === 'function' && type.startsWith('application/wasm')) {
    return WebAssembly.compileStreaming(res);
  }
  return WebAssembly.compile(await res.arrayBuffer());
}
