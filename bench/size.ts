// Package size: what `import 'simdgrad/core'` loads before any lazy part — the minified
// dist/core.js and every file it imports statically — plus the simd wasm, gzipped (level 9),
// against the 60 KB budget (KiB here); the main entry `simdgrad` (core + sg.tune) the same way;
// and the other files for reference. Measures dist/ as built (runs `rollup -c` first if
// dist/core.js is missing). tests/package.test.ts uses entrySize().
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const BUDGET = 60 * 1024;
const gz = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;

export interface EntrySize { files: string[]; js: number; wasm: number; total: number; chunks: number }

/** A bundle file and every JS file it loads statically (ESM imports or CJS requires of ./ paths). */
function staticClosure(file: string): string[] {
  const seen = new Set<string>();
  const visit = (f: string) => {
    if (seen.has(f)) return;
    seen.add(f);
    const code = readFileSync(f, 'utf8');
    // (`return require(…)` is rollup's CJS form of a lazy import(); .wasm imports are counted apart)
    for (const m of code.matchAll(/\b(?:import|export)\s*(?:[\w$*{}\s,]*?\s*from\s*)?["'](\.{1,2}\/[^"']+)["']|(?<!return\s*)\brequire\(["'](\.{1,2}\/[^"']+)["']\)/g)) {
      const target = (m[1] ?? m[2])!;
      if (/\.c?js$/.test(target)) visit(join(dirname(f), target));
    }
  };
  visit(file);
  return [...seen];
}

/** An entry's gzipped size: dist/<entry>.js + its static imports, and the simd wasm. */
export function entrySize(entry: 'core' | 'index' = 'core'): EntrySize {
  const files = staticClosure(join(root, 'dist', `${entry}.js`));
  const js = files.reduce((s, f) => s + gz(f), 0);
  const wasm = gz(join(root, 'build', 'simdgrad.simd.wasm'));
  const dir = join(root, 'dist');
  // the ESM chunks only (not the .cjs ones, nor the Workers/Edge builds')
  const chunks = readdirSync(dir).filter((f) => /^chunk-.*\.js$/.test(f) && !/\.(edge|workerd)\.js$/.test(f)).reduce((s, f) => s + gz(join(dir, f)), 0);
  return { files: files.map((f) => f.slice(root.length)), js, wasm, total: js + wasm, chunks };
}

export async function runSizeBench(): Promise<string> {
  if (!existsSync(join(root, 'dist', 'core.js'))) execFileSync(process.execPath, ['node_modules/rollup/dist/bin/rollup', '-c', '--silent'], { cwd: root });
  const c = entrySize('core'), m = entrySize('index');
  const row = (what: string, file: string) => `| ${what} | \`${file}\` | ${statSync(join(root, file)).size} | ${gz(join(root, file))} |`;
  /** A file with its static imports, gzipped file by file. */
  const closure = (what: string, file: string) => {
    const files = staticClosure(join(root, file));
    return `| ${what} | \`${file}\` + ${files.length - 1} imported | ${files.reduce((a, f) => a + statSync(f).size, 0)} | ${files.reduce((a, f) => a + gz(f), 0)} |`;
  };
  return [
    `Core entry (\`import 'simdgrad/core'\`: tensors, autograd, nn, optim, data, io, fit; before any lazy part): ` +
    `JS ${c.js} B + simd wasm ${c.wasm} B = **${c.total} B (${(c.total / 1024).toFixed(1)} KiB)**, budget ${BUDGET / 1024} KiB` +
    `${c.total < BUDGET ? ' — met' : ' — not met'}. Main entry (\`import 'simdgrad'\`: the core + \`sg.tune\`): ` +
    `JS ${m.js} B + wasm = ${m.total} B (${(m.total / 1024).toFixed(1)} KiB). Lazily loaded chunks (worker pool, JS ` +
    `reference kernels, journal and PostgreSQL storages): ${c.chunks} B more.`,
    '',
    '| part | file | bytes | gzipped |',
    '|---|---|---:|---:|',
    row('core JS (ESM, minified)', 'dist/core.js'),
    row('tuner part of the main entry (imports core.js)', 'dist/index.js'),
    closure('core, CJS (lazy parts as .cjs chunks)', 'dist/core.cjs'),
    closure('main entry, CJS (requires core.cjs)', 'dist/index.cjs'),
    closure('core, Workers build', 'dist/core.workerd.js'),
    closure('main entry, Workers build', 'dist/index.workerd.js'),
    row('wasm, simd', 'build/simdgrad.simd.wasm'),
    row('wasm, relaxed', 'build/simdgrad.relaxed.wasm'),
    row('wasm, scalar', 'build/simdgrad.scalar.wasm'),
    row('`simdgrad/datasets`', 'dist/datasets.js'),
    row('`simdgrad/report` (uPlot inlined)', 'dist/report.js'),
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(await runSizeBench());
