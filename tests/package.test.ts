// The published shape: `npm run build`'s bundle loads as ESM and as CJS, finds its .wasm next to
// itself, and computes.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (args: string[]) => execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' });

describe('package', () => {
  it('builds ESM + CJS + .d.ts that load and run', () => {
    execFileSync(process.execPath, ['node_modules/rollup/dist/bin/rollup', '-c', '--silent'], { cwd: root });
    const esm = run(['--input-type=module', '-e',
      "import * as sg from './dist/index.js'; const b = await sg.init(); " +
      "const y = sg.matmul(sg.ones([2, 3]), sg.ones([3, 2]).mul(2)); console.log(b, y.toArray().join(','));"]);
    expect(esm.trim()).toBe('simd 6,6,6,6');
    const cjs = run(['-e',
      "const sg = require('./dist/index.cjs'); sg.init({ backend: 'scalar' }).then((b) => " +
      "console.log(b, sg.tensor([[1, 2]]).sum().item()));"]);
    expect(cjs.trim()).toBe('scalar 3');
    const dts = run(['-e', "console.log(require('fs').readFileSync('dist/index.d.ts', 'utf8').includes('declare function matmul'))"]);
    expect(dts.trim()).toBe('true');
  }, 60_000);
});
