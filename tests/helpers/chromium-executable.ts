// The headless Chromium that the browser tests drive: $CHROMIUM if set, else the system's
// /usr/bin/chromium, else the one `npm ci` installs — @sparticuz/chromium's headless shell, shipped
// brotli-compressed in its tarball. That one is unpacked once per package version into
// node_modules/.cache/simdgrad-chromium/<version>/ (the binary with its SwiftShader libraries, the
// NSS/NSPR/expat libraries it links against in lib/, and its fonts with a fontconfig file naming
// them), so it needs nothing from the system; test processes starting together wait for one
// unpacking (a lock directory), which lands complete or not at all (unpacked beside, then renamed).
// The package's own executablePath() is not used: it unpacks into the shared /tmp with no lock.
import { execFile } from 'node:child_process';
import { accessSync, constants, createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createBrotliDecompress } from 'node:zlib';
import { withDirLock } from './dir-lock.js';

const exec = promisify(execFile);

export interface ChromiumExecutable {
  executablePath: string;
  /** Variables to add to the browser's environment (the npm build's libraries and fonts). */
  env: Record<string, string>;
  /** 'CHROMIUM', 'system' or '@sparticuz/chromium@<version>'. */
  source: string;
}

const SYSTEM = '/usr/bin/chromium';
const CACHE = fileURLToPath(new URL('../../node_modules/.cache/simdgrad-chromium', import.meta.url));

const executable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/** Decompresses the brotli file `from` into the file `to`, or (a tar archive) into the directory `to`. */
async function unbrotli(from: string, to: string, tar: boolean): Promise<void> {
  if (!tar) {
    await pipeline(createReadStream(from), createBrotliDecompress(), createWriteStream(to, { mode: 0o755 }));
    return;
  }
  // Through a file: tar stops reading at the end-of-archive blocks, which would cut a pipe short.
  const file = join(to, `${basename(from, '.br')}.tmp`);
  await pipeline(createReadStream(from), createBrotliDecompress(), createWriteStream(file));
  try {
    await exec('tar', ['-x', '-f', file, '-C', to]);
  } finally {
    rmSync(file, { force: true });
  }
}

async function unpack(bin: string, dir: string): Promise<void> {
  const part = `${dir}.part-${process.pid}`;
  rmSync(part, { recursive: true, force: true });
  mkdirSync(part, { recursive: true });
  try {
    await Promise.all([
      unbrotli(join(bin, 'chromium.br'), join(part, 'chromium'), false),
      unbrotli(join(bin, 'swiftshader.tar.br'), part, true),  // libEGL/libGLESv2 beside the binary
      unbrotli(join(bin, 'al2023.tar.br'), part, true),       // lib/: libnss3, libnspr4, libexpat…
      unbrotli(join(bin, 'fonts.tar.br'), part, true),        // fonts/ (and a fonts.conf for /tmp)
    ]);
    writeFileSync(join(part, 'fonts.conf'), `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n` +
      `  <dir>${join(dir, 'fonts')}</dir>\n  <cachedir>${join(dir, 'fonts-cache')}</cachedir>\n</fontconfig>\n`);
    renameSync(part, dir);
    // Earlier versions' unpacked builds (this checkout has one version installed).
    for (const old of readdirSync(CACHE)) if (old !== basename(dir) && /^\d+\.\d+\.\d+$/.test(old)) rmSync(join(CACHE, old), { recursive: true, force: true });
  } finally {
    rmSync(part, { recursive: true, force: true });
  }
}

/** Finds (and for the npm build, unpacks once) the Chromium to launch. */
export async function findChromium(): Promise<ChromiumExecutable> {
  const fromEnv = process.env.CHROMIUM;
  if (fromEnv) {
    if (!executable(fromEnv)) throw new Error(`CHROMIUM=${fromEnv} is not an executable file`);
    return { executablePath: fromEnv, env: {}, source: 'CHROMIUM' };
  }
  if (executable(SYSTEM)) return { executablePath: SYSTEM, env: {}, source: 'system' };
  let pkg: string;
  try {
    pkg = join(dirname(createRequire(import.meta.url).resolve('@sparticuz/chromium')), '..');
  } catch (e) {
    throw new Error(`Chromium not found: no CHROMIUM, no ${SYSTEM}, and @sparticuz/chromium is not installed (npm ci installs it): ${(e as Error).message.split('\n')[0]}`);
  }
  const { version } = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { version: string };
  const dir = join(CACHE, version);
  const executablePath = join(dir, 'chromium');
  if (!existsSync(executablePath)) {
    await withDirLock(join(CACHE, 'lock'), async () => {
      if (!existsSync(executablePath)) await unpack(join(pkg, 'bin'), dir);
    }, { staleMs: 120_000 });
  }
  const libs = [join(dir, 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  return { executablePath, env: { LD_LIBRARY_PATH: libs, FONTCONFIG_PATH: dir }, source: `@sparticuz/chromium@${version}` };
}
