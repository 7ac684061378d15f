// Every pointer names something in the repository. In the documents (README.md, CREDITS.md,
// docs/*.md, bench/NOTES.md, bench/RESULTS.md): every relative link resolves (and its #anchor is a
// heading of the target), and every inline code span that is a repository path — its first segment
// is a top-level entry of the repository — exists (globs match, `{a,b}` expands, the part before a
// `<placeholder>` exists). In the code (src/, assembly/, tests/, bench/, examples/, scripts/ and the
// root configs): every path of a repository folder and every `.md` pointer resolves, from the root
// or from the file's own folder, with its #anchor. Build outputs — dist/, build/ (the wasm) and
// the folders named so under examples/ — are not in the repository and are not checked. Nothing
// may point outside the repository (a parent checkout's shared folder, the founding design file):
// a clone has neither.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeSpans, headingAnchors, links } from '../helpers/markdown.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const TOP = new Set(readdirSync(root).filter((f) => !['node_modules', '.git'].includes(f)));
const DOCS = ['README.md', 'CREDITS.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`),
  'bench/NOTES.md', 'bench/RESULTS.md'];
const CODE_DIRS = ['src', 'assembly', 'tests', 'bench', 'examples', 'scripts'];
const ROOT_CODE = ['rollup.config.mjs', 'vitest.config.ts', 'package.json', 'tsconfig.json', 'tsconfig.build.json'];
// Built at the command line, so the strings below never appear in the repository themselves.
const OUTSIDE = [['..', 'shared'].join('/'), ['DESIGN', 'md'].join('.')];

/** Build outputs: dist/ and build/ anywhere in the path. */
const isOutput = (p: string) => /(^|\/)(dist|build)(\/|$)/.test(p);

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return p === join(root, 'tests', 'fixtures') || isOutput(relative(root, p)) || f === 'node_modules' ? [] : walk(p);
    return /\.(ts|mjs|js|py|md|html|json)$/.test(f) ? [p] : [];
  });
}

/** `a/{b,c}/d` → `a/b/d`, `a/c/d`. */
function expand(path: string): string[] {
  const m = /\{([^{}]*)\}/.exec(path);
  if (!m) return [path];
  return m[1]!.split(',').flatMap((alt) => expand(path.slice(0, m.index) + alt + path.slice(m.index + m[0].length)));
}

/** Whether `path` (relative to `base`, glob `*` allowed) names an existing file or folder. */
function exists(base: string, path: string): boolean {
  const segs = path.split('/').filter((s) => s !== '' && s !== '.');
  let dirs = [base];
  for (const seg of segs) {
    if (seg.includes('*')) {
      const re = new RegExp(`^${seg.replace(/[.+?^$()[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
      dirs = dirs.flatMap((d) => (existsSync(d) && statSync(d).isDirectory() ? readdirSync(d).filter((f) => re.test(f)).map((f) => join(d, f)) : []));
    } else {
      dirs = dirs.map((d) => join(d, seg)).filter((p) => existsSync(p));
    }
    if (!dirs.length) return false;
  }
  return true;
}

/** The part of a path up to its first segment with a placeholder (`<variant>`, `…`). */
const beforePlaceholder = (path: string) => path.split('/').filter((_, i, all) => !all.slice(0, i + 1).some((s) => /[<>…]/.test(s))).join('/');

/** Problems with one pointer (a path, maybe with #anchor or :line) seen from `fromDir`. */
function check(pointer: string, fromDir: string): string | null {
  const [pathPart, anchor] = pointer.replace(/:\d+(-\d+)?$/, '').split('#') as [string, string | undefined];
  const path = beforePlaceholder(pathPart);
  for (const p of expand(path)) {
    const bases = [fromDir, root];
    const base = bases.find((b) => exists(b, p));
    if (!base) return `${pointer}: no such file`;
    if (anchor && p.endsWith('.md') && !headingAnchors(readFileSync(join(base, p), 'utf8')).has(anchor)) {
      return `${pointer}: no heading #${anchor} in ${p}`;
    }
  }
  return null;
}

const isRepoPath = (s: string) => /^[\w.@-]+\/\S*$/.test(s) && TOP.has(s.split('/')[0]!) && !isOutput(s);

describe('documents', () => {
  it.each(DOCS)('%s: every relative link and repository path resolves', (doc) => {
    const md = readFileSync(join(root, doc), 'utf8'), dir = dirname(join(root, doc)), problems: string[] = [];
    const anchors = headingAnchors(md);
    for (const { target, line } of links(md)) {
      if (/^[a-z]+:/i.test(target)) continue;                 // https:, mailto:
      if (target.startsWith('#')) {
        if (!anchors.has(target.slice(1))) problems.push(`${doc}:${line}: ${target}: no such heading`);
        continue;
      }
      const p = check(target, dir);
      if (p) problems.push(`${doc}:${line}: ${p}`);
    }
    for (const { text, line } of codeSpans(md)) {
      if (!isRepoPath(text)) continue;
      const p = check(text, root);
      if (p) problems.push(`${doc}:${line}: \`${p}\``);
    }
    expect(problems).toEqual([]);
  });
});

describe('code', () => {
  const files = [...CODE_DIRS.flatMap((d) => walk(join(root, d))), ...ROOT_CODE.map((f) => join(root, f))];

  it('names no file outside the repository', () => {
    const found = files.flatMap((f) => OUTSIDE.filter((s) => readFileSync(f, 'utf8').includes(s)).map((s) => `${relative(root, f)}: ${s}`));
    expect(found).toEqual([]);
  });

  it('points only at files that exist (repository paths and .md documents, with their anchors)', () => {
    const problems: string[] = [];
    const PATH = /(?<![\w./@-])((?:(?:src|assembly|tests|bench|examples|scripts|docs)\/[\w./*{},<>…-]*[\w*}/]|[\w./-]*\.md)(?:#[\w-]+)?)(?![\w/])/g;
    for (const f of files) {
      if (f === fileURLToPath(import.meta.url)) continue;     // this file's examples
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(PATH)) {
        const pointer = m[1]!;
        if (isOutput(pointer)) continue;
        const p = check(pointer, dirname(f));
        if (p) problems.push(`${relative(root, f)}: ${p}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
