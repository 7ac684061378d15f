// A tiny static server for the browser demo (and the browser tests): serves a directory with the
// headers that make the page cross-origin isolated (COOP same-origin + COEP require-corp, needed for
// SharedArrayBuffer, which trials in Web Workers use), `application/wasm` for .wasm (streaming
// compilation) and no caching. Only GET/HEAD of files under the root (or a mount) are answered;
// paths escaping the root get 404. Listens on 127.0.0.1 only.
//   node --import tsx examples/browser/serve.ts [port=8080]     (npm run demo builds, then runs this)
import { createServer, type Server } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.wasm': 'application/wasm', '.map': 'application/json',
  '.png': 'image/png', '.svg': 'image/svg+xml', '.ico': 'image/x-icon',
};

export interface DemoServer { url: string; server: Server; close(): Promise<void> }

export interface ServeOptions {
  root: string;
  /** 0 (default): any free port. */
  port?: number;
  /** URL prefix → directory, served before `root`. */
  mounts?: Record<string, string>;
  /** false: leave out the COOP/COEP headers (to test how a page that is not isolated fails). */
  isolate?: boolean;
}

/** Serves `root` (and `mounts`) on 127.0.0.1:`port`. */
export async function serveDemo({ root, port = 0, mounts = {}, isolate = true }: ServeOptions): Promise<DemoServer> {
  const dirs = [...Object.entries(mounts), ['/', root] as const].map(([p, d]): [string, string] => [p.endsWith('/') ? p : `${p}/`, resolve(d)]);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const [prefix, dir] = dirs.find(([p]) => path.startsWith(p))!;
    let file = normalize(join(dir, path.slice(prefix.length)));
    const inside = file === dir || file.startsWith(dir + sep);
    try {
      if (inside && statSync(file).isDirectory()) file = join(file, 'index.html');
    } catch { /* 404 below */ }
    let size = -1;
    try { if (inside) size = statSync(file).size; } catch { /* missing */ }
    const headers: Record<string, string> = isolate ? {
      'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cross-Origin-Resource-Policy': 'same-origin', 'Cache-Control': 'no-store',
    } : { 'Cache-Control': 'no-store' };
    if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405, headers).end(); return; }
    if (size < 0) { res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end(`not found: ${path}\n`); return; }
    res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': size });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok, fail) => { server.once('error', fail); server.listen(port, '127.0.0.1', ok); });
  const addr = server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : port}/`;
  return { url, server, close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const { url } = await serveDemo({ root: here, port: Number(process.argv[2] ?? 8080) });
  console.log(`simdgrad browser demo at ${url} (Ctrl-C to stop)`);
}
