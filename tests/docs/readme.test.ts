// The README's code blocks run as a user runs them, so they cannot rot. They run against the
// package as a user has it: the tarball from `npm pack`, installed into a consumer directory
// (tests/helpers/packed.ts, built once per run and shared with the package and runtime tests), so
// `import 'simdgrad'` and `npx simdgrad` go through package.json's exports and bin to the built
// dist/ and build/*.wasm — a missing entry, file or export fails here, where resolving 'simdgrad'
// to the sources would not notice. Every block gets one test, in README order, in one scratch
// directory inside the consumer (later blocks use earlier blocks' files):
//   ```js  — saved as the file a `<!-- test: file NAME -->` line before the block names, else as
//            block-L<line>.mjs, and run with `node` (exit code 0 within the timeout). All of them
//            are also type-checked together against the installed .d.ts files (checkJs, strict;
//            noImplicitAny off: plain JavaScript has no parameter annotations).
//   ```sh  — one command a line (`#` comments dropped):
//            `npm install simdgrad` cannot reach a registry in a test: it is satisfied by the
//              tarball already installed in the consumer;
//            `npx simdgrad …` runs the installed bin with the arguments shown. A
//              `<!-- test: scaled --flag value … -->` line before the block replaces those flags'
//              values (each flag must appear in the block) so the test stays fast; nothing else
//              changes;
//            `npx tsx node_modules/simdgrad/examples/node/NAME.ts …` runs that example of the installed
//              package with the repository's tsx (a user's npx fetches tsx), in the scratch
//              directory (inside the consumer, so node_modules/simdgrad is the consumer's);
//            `npm ci`, `npm start`, `npm test`, `npm run <script>` are the repository's contributor
//              commands: checked (package-lock.json and the scripts exist), not run — `npm test`
//              runs this very file;
//            anything else fails the test: a new kind of block needs a rule here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { packed, root } from '../helpers/packed.js';
import { codeBlocks, type CodeBlock } from '../helpers/markdown.js';

const exec = promisify(execFile);
const README = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = codeBlocks(README);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
const BLOCK_MS = 180_000;
const tsx = pathToFileURL(createRequire(join(root, 'package.json')).resolve('tsx')).href;
let consumer = '', dir = '';

/** Runs a program; a failure shows its output. */
async function run(file: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await exec(file, args, { cwd: dir, timeout: BLOCK_MS - 10_000, maxBuffer: 1 << 24, env: { ...process.env, NO_COLOR: '1' } });
    return stdout;
  } catch (e) {
    const err = e as Error & { stdout?: string; stderr?: string };
    throw new Error(`${[file, ...args].join(' ')} failed: ${err.message}\n${err.stdout ?? ''}\n${err.stderr ?? ''}`);
  }
}

/** The tag's directive: `file NAME` or `scaled --flag value …`. */
function parseTag(b: CodeBlock): { file?: string; scaled?: Map<string, string> } {
  if (!b.tag) return {};
  const [kind, ...rest] = b.tag.split(/\s+/);
  if (kind === 'file' && rest.length === 1) return { file: rest[0]! };
  if (kind === 'scaled' && rest.length > 0 && rest.length % 2 === 0) {
    return { scaled: new Map(rest.flatMap((t, i) => (i % 2 ? [] : [[t, rest[i + 1]!] as [string, string]]))) };
  }
  throw new Error(`README line ${b.line}: unknown test tag '${b.tag}'`);
}

/** Shell commands of a block: continuation lines joined, comments and blank lines dropped. */
function commands(code: string): string[][] {
  return code.replace(/\\\n/g, ' ').split('\n').map((l) => l.replace(/(^|\s)#.*$/, '').trim()).filter(Boolean).map((l) => {
    if (/["'`$|;&<>()]/.test(l)) throw new Error(`unsupported shell syntax in: ${l}`);
    return l.split(/\s+/);
  });
}

async function runShell(b: CodeBlock): Promise<void> {
  const { scaled } = parseTag(b);
  const cmds = commands(b.code);
  for (const flag of scaled?.keys() ?? []) {
    expect(cmds.some((c) => c.includes(flag)), `scaled flag ${flag} appears in the block`).toBe(true);
  }
  for (const cmd of cmds) {
    const args = cmd.map((t, i) => (i > 0 && scaled?.has(cmd[i - 1]!) ? scaled.get(cmd[i - 1]!)! : t));
    const line = cmd.join(' ');
    if (line === 'npm install simdgrad') {
      expect(existsSync(join(consumer, 'node_modules', 'simdgrad', 'package.json'))).toBe(true);
    } else if (args[0] === 'npx' && args[1] === 'simdgrad') {
      await run(join(consumer, 'node_modules', '.bin', 'simdgrad'), args.slice(2));
    } else if (args[0] === 'npx' && args[1] === 'tsx' && /^node_modules\/simdgrad\/examples\/node\/[\w-]+\.ts$/.test(args[2] ?? '')) {
      await run(process.execPath, ['--import', tsx, join(consumer, args[2]!), ...args.slice(3)]);
    } else if (line === 'npm ci') {
      expect(existsSync(join(root, 'package-lock.json'))).toBe(true);
    } else if (args[0] === 'npm' && args.length === 2 && (args[1] === 'start' || args[1] === 'test')) {
      expect(pkg.scripts[args[1]], line).toBeTypeOf('string');
    } else if (args[0] === 'npm' && args[1] === 'run' && args.length === 3) {
      expect(pkg.scripts[args[2]!], line).toBeTypeOf('string');
    } else {
      throw new Error(`README line ${b.line}: no rule to test \`${line}\` (tests/docs/readme.test.ts)`);
    }
  }
}

const jsFiles: string[] = [];

describe('README.md', () => {
  beforeAll(async () => {
    consumer = (await packed()).consumer;
    dir = mkdtempSync(join(consumer, 'readme-'));
  }, 900_000);
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('has code blocks, every one of them js or sh', () => {
    expect(blocks.length).toBeGreaterThan(4);
    expect(blocks.filter((b) => b.lang !== 'js' && b.lang !== 'sh').map((b) => `line ${b.line}: ${b.lang}`)).toEqual([]);
  });

  for (const b of blocks) {
    it(`the ${b.lang} block at line ${b.line} runs`, async () => {
      if (b.lang === 'sh') return runShell(b);
      const file = parseTag(b).file ?? `block-L${b.line}.mjs`;
      writeFileSync(join(dir, file), `${b.code}\n`);
      jsFiles.push(file);
      await run(process.execPath, [file]);
    }, BLOCK_MS);
  }

  it('the js blocks type-check against the installed package', async () => {
    expect(jsFiles.length).toBe(blocks.filter((b) => b.lang === 'js').length);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        module: 'nodenext', moduleResolution: 'nodenext', target: 'ES2022', lib: ['ES2022'], types: ['node'],
        strict: true, noImplicitAny: false, allowJs: true, checkJs: true, noEmit: true, skipLibCheck: true,
      },
      files: jsFiles,
    }));
    await run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.']);
  }, BLOCK_MS);
});
