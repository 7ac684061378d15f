// The floors of src/ (docs/ARCHITECTURE.md, "Layers", where each placement has its reason): every
// static value import points at the importer's floor or one below it. Type-only imports (`import
// type`, or every name marked `type`: TypeScript erases them) and dynamic import() (the lazy
// edges: the JS reference backend, the CSV parser, storages, report pages…) are free. From the
// bottom (floor 1 is assembly/, outside src/):
//
//    2 base          errors, check-option, shape-arithmetic, philox, number formatting and comparison
//    3 memory        memory (the heap), scope (lifetimes)
//    4 backend       backend/, runtime/
//    5 tensors       tensor, autograd, random, has-grad, tensor-format, memory-stats
//    6 kernel calls  ops/kernel-calls (kernels on tensors of any rank), ops/grad (gradient plumbing)
//    7 ops           the rest of ops/, gradcheck
//    8 library       nn/, optim/, data/, io/
//    9 training      train/
//   10 tuner         tune/
//   11 entries       core.ts, index.ts, tune/workers/worker-entry.ts: the bundles' entries
//   12 command       cli/ (a client of the public entry, as a user's program is)
//   apart            datasets/ (string modules: import nothing of the library; only the entries
//                    and the command import them)
// One upward edge on purpose: tensor.ts → ops/ (Tensor's methods are aliases of the op functions,
// called at call time, never at load).
//
// And nothing below the entries calls what it imports while it loads (a top-level call, or a
// static initializer, of an imported function): with the tensor ↔ ops cycle, such a call would
// make the order in which modules load matter.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SRC = join(ROOT, 'src');

/** [floor, name, does a path (relative to src/, no extension) belong to it?], bottom first. */
const FLOORS: Array<[string, (p: string) => boolean]> = [
  ['base', (p) => ['errors', 'check-option', 'shape-arithmetic', 'philox', 'float-format', 'compare-code-points', 'numeric-view'].includes(p)],
  ['memory', (p) => p === 'memory' || p === 'scope'],
  ['backend', (p) => p.startsWith('backend/') || p.startsWith('runtime/') || p.startsWith('threads/')],
  ['tensors', (p) => ['tensor', 'autograd', 'random', 'has-grad', 'tensor-format', 'memory-stats'].includes(p)],
  ['kernel calls', (p) => p === 'ops/kernel-calls' || p === 'ops/grad'],
  ['ops', (p) => p.startsWith('ops/') || p === 'gradcheck'],
  ['library', (p) => /^(nn|optim|data|io)\//.test(p)],
  ['entries', (p) => ['core', 'index', 'tune/workers/worker-entry'].includes(p)], // before 'tuner': a path in tune/
  ['training', (p) => p.startsWith('train/')],
  ['tuner', (p) => p.startsWith('tune/')],
  ['command', (p) => p.startsWith('cli/')],
];
/** The floors, bottom first (FLOORS is in matching order: an entry inside tune/ matches first). */
const ORDER = ['base', 'memory', 'backend', 'tensors', 'kernel calls', 'ops', 'library', 'training', 'tuner', 'entries', 'command'];
const APART = (p: string) => p.startsWith('datasets/');
/** Upward edges the architecture allows: importer → a path prefix, with the reason in docs/ARCHITECTURE.md. */
const ALLOWED: Array<[from: string, to: string]> = [['tensor', 'ops/']];

/** The floor of a path relative to src/ without extension: its height in ORDER, or 'apart'. */
function floorOf(p: string): number | 'apart' {
  if (APART(p)) return 'apart';
  const f = FLOORS.find(([, has]) => has(p));
  if (!f) throw new Error(`src/${p}.ts is on no floor: place it in tests/architecture/floors.test.ts and docs/ARCHITECTURE.md`);
  return ORDER.indexOf(f[0]);
}

const parsed = new Map<string, ts.SourceFile>();
const parse = (path: string, text: string): ts.SourceFile => {
  const key = `${path}\0${text}`;
  let sf = parsed.get(key);
  if (!sf) parsed.set(key, sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS));
  return sf;
};

/** The relative module specifiers a file imports statically as values (its own directory resolved). */
function valueImports(file: string, text: string): string[] {
  const sf = parse(file, text);
  const out: string[] = [];
  for (const st of sf.statements) {
    let spec: ts.Expression | undefined, typeOnly = false;
    if (ts.isImportDeclaration(st)) {
      spec = st.moduleSpecifier;
      const c = st.importClause;
      // erased: `import type …`, and `import { type a, type b }` with no default or namespace
      typeOnly = !!c && (c.isTypeOnly || (!c.name && !!c.namedBindings && ts.isNamedImports(c.namedBindings) &&
        c.namedBindings.elements.length > 0 && c.namedBindings.elements.every((e) => e.isTypeOnly)));
    } else if (ts.isExportDeclaration(st) && st.moduleSpecifier) {
      spec = st.moduleSpecifier;
      typeOnly = st.isTypeOnly || (!!st.exportClause && ts.isNamedExports(st.exportClause) &&
        st.exportClause.elements.length > 0 && st.exportClause.elements.every((e) => e.isTypeOnly));
    }
    if (!spec || typeOnly || !ts.isStringLiteral(spec) || !spec.text.startsWith('.')) continue;
    out.push(join(dirname(file), spec.text));
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : /\.ts$/.test(e.name) && !/\.d\.ts$/.test(e.name) ? [p] : [];
  });
}

/** src-relative module path without extension ('ops/grad' for src/ops/grad.ts, '…/x.js' imports). */
const modulePath = (abs: string) => relative(SRC, abs).replace(/\.(js|ts|mjs)$/, '').split('\\').join('/');

const name = (f: number | 'apart') => (f === 'apart' ? 'apart' : ORDER[f]!);

/** Every import that goes up a floor (or into or out of datasets/ where not allowed), as text. */
function upwardImports(files: Array<{ path: string; text: string }>): string[] {
  const bad: string[] = [];
  for (const { path, text } of files) {
    const from = modulePath(path), ff = floorOf(from);
    for (const target of valueImports(path, text)) {
      const to = modulePath(target);
      if (to.startsWith('..')) continue; // outside src/: the wasm builds (runtime/default-module*.ts)
      const tf = floorOf(to);
      const ok = ff === 'apart' ? tf === 'apart'
        : tf === 'apart' ? ff >= ORDER.indexOf('entries')
          : tf <= ff || ALLOWED.some(([a, b]) => a === from && to.startsWith(b));
      if (!ok) bad.push(`src/${from}.ts (${name(ff)}) imports src/${to}.ts (${name(tf)})`);
    }
  }
  return bad;
}

/** The imported value bindings a file calls (or constructs) while it loads, below the entries. */
function callsAtLoad(files: Array<{ path: string; text: string }>): string[] {
  const bad: string[] = [];
  for (const { path, text } of files) {
    const from = modulePath(path), ff = floorOf(from);
    if (ff === 'apart' || ff >= ORDER.indexOf('entries')) continue;
    const sf = parse(path, text);
    const imported = new Set<string>();
    for (const st of sf.statements) {
      const c = ts.isImportDeclaration(st) ? st.importClause : undefined;
      if (!c || c.isTypeOnly) continue;
      if (c.name) imported.add(c.name.text);
      const nb = c.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) imported.add(nb.name.text);
      else if (nb) for (const e of nb.elements) if (!e.isTypeOnly) imported.add(e.name.text);
    }
    const visit = (n: ts.Node): void => {
      if (ts.isFunctionLike(n)) return; // runs when called, not at load
      if (ts.isClassLike(n)) { // only static initializers and static blocks run at load
        for (const m of n.members) {
          const isStatic = ts.canHaveModifiers(m) && ts.getModifiers(m)?.some((k) => k.kind === ts.SyntaxKind.StaticKeyword);
          if (ts.isClassStaticBlockDeclaration(m)) ts.forEachChild(m.body, visit);
          else if (isStatic && ts.isPropertyDeclaration(m) && m.initializer) visit(m.initializer);
        }
        return;
      }
      if (ts.isCallExpression(n) || ts.isNewExpression(n) || ts.isTaggedTemplateExpression(n)) {
        let e: ts.Expression = ts.isTaggedTemplateExpression(n) ? n.tag : n.expression;
        while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) e = e.expression;
        if (ts.isIdentifier(e) && imported.has(e.text)) {
          bad.push(`src/${from}.ts:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1} calls ${e.text} at load`);
        }
      }
      ts.forEachChild(n, visit);
    };
    for (const st of sf.statements) if (!ts.isImportDeclaration(st)) visit(st);
  }
  return bad;
}

const SOURCES = sourceFiles(SRC).map((path) => ({ path, text: readFileSync(path, 'utf8') }));

describe('floors', () => {
  it('every file of src/ sits on a floor', () => {
    expect(SOURCES.length).toBeGreaterThan(200);
    for (const { path } of SOURCES) expect(() => floorOf(modulePath(path))).not.toThrow();
  });

  it('no static value import goes up a floor', () => {
    expect(upwardImports(SOURCES)).toEqual([]);
  });

  it('nothing below the entries calls an imported function while it loads', () => {
    expect(callsAtLoad(SOURCES)).toEqual([]);
  });

  it('the check sees value imports and re-exports, and lets type-only and dynamic ones pass', () => {
    const at = (p: string, text: string) => ({ path: join(SRC, p), text });
    expect(upwardImports([
      at('memory.ts', "import { Tensor } from './tensor.js';"),
      at('ops/grad.ts', "import { a, type B } from './elementwise.js';"),
      at('tune/study.ts', "import { init } from '../index.js';"),
      at('nn/linear.ts', "export { fit } from '../train/fit.js';"),
      at('tensor.ts', "import * as sg from './index.js';"),
      at('datasets/iris.ts', "import { Tensor } from '../tensor.js';"),
    ])).toEqual([
      'src/memory.ts (memory) imports src/tensor.ts (tensors)',
      'src/ops/grad.ts (kernel calls) imports src/ops/elementwise.ts (ops)',
      'src/tune/study.ts (tuner) imports src/index.ts (entries)',
      'src/nn/linear.ts (library) imports src/train/fit.ts (training)',
      'src/tensor.ts (tensors) imports src/index.ts (entries)',
      'src/datasets/iris.ts (apart) imports src/tensor.ts (tensors)',
    ]);
    expect(upwardImports([
      at('memory.ts', "import type { Tensor } from './tensor.js';\nimport { type Shape } from './tensor.js';"),
      at('ops/grad.ts', "export type { A } from './elementwise.js';\nconst m = () => import('./elementwise.js');"),
      at('tensor.ts', "import { add } from './ops/elementwise.js';"), // the allowed edge
      at('tune/study.ts', "import { fit } from '../train/fit.js';"), // downward
      at('cli/tabular-data.ts', "import { iris } from '../datasets/index.js';"), // the command may use the data sets
    ])).toEqual([]);
  });

  it('the load-time check sees calls of imports at the top and in static initializers, not in functions', () => {
    const at = (p: string, text: string) => ({ path: join(SRC, p), text });
    expect(callsAtLoad([
      at('ops/activation.ts', "import { unaryOp } from './elementwise.js';\nexport const relu = unaryOp('relu');"),
      at('nn/linear.ts', "import * as init from './init.js';\nclass A { static w = init.zeros([2]); static { new init.Thing(); } }"),
      at('nn/relu.ts', "import { relu } from '../ops/activation.js';\nexport const f = (x) => relu(x);\n" +
        'export function g(x) { return relu(x); }\nclass B { m() { return relu(1); } }\nconst local = () => 1;\nconst y = local();'),
      at('cli/help.ts', "import { NAMES } from './names.js';\nconst text = NAMES.join(', ');"), // the command is free to
    ])).toEqual([
      'src/ops/activation.ts:2 calls unaryOp at load',
      'src/nn/linear.ts:2 calls init at load',
      'src/nn/linear.ts:2 calls init at load',
    ]);
  });
});
