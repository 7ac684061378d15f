// init({ module }) with a module compiled in another realm — what an edge host hands in (Vercel's
// edge-runtime compiles `?module` imports outside its vm context, where `instanceof` fails) —
// is used as is, and a module missing kernels is refused with the names of what is missing.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import * as sg from '../../src/index.js';
import { compileVariant, isModule } from '../../src/runtime/load.js';

const bytes = readFileSync(new URL('../../build/simdgrad.simd.wasm', import.meta.url));

describe('wasm modules from another realm', () => {
  it('are recognised by their tag and passed through without compiling', async () => {
    const foreign = runInNewContext('new WebAssembly.Module(bytes)', { bytes }) as WebAssembly.Module;
    expect(foreign instanceof WebAssembly.Module).toBe(false);
    expect(isModule(foreign)).toBe(true);
    expect(isModule(bytes)).toBe(false);
    expect(await compileVariant('simd', foreign)).toBe(foreign);
  });

  it('run as the backend', async () => {
    const foreign = runInNewContext('new WebAssembly.Module(bytes)', { bytes }) as WebAssembly.Module;
    expect(await sg.init({ module: foreign })).toBe('simd');
    const y = sg.scope(() => Array.from(sg.matmul(sg.ones([2, 3]), sg.ones([3, 2])).toArray()));
    expect(y).toEqual([3, 3, 3, 3]);
  });

  it('missing kernels are named (a module passed in is checked against the JS reference)', async () => {
    // (module (func (export "variant_id") (result i32) i32.const 1))
    const fake = new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 127, 3, 2, 1, 0,
      7, 14, 1, 10, 118, 97, 114, 105, 97, 110, 116, 95, 105, 100, 0, 0, 10, 6, 1, 4, 0, 65, 1, 11]));
    await expect(sg.init({ module: fake })).rejects.toThrow(/lacks kernels: .*gemm/);
  });
});
