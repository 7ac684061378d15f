// init(): probing, forcing a backend, precompiled modules / bytes / URLs, idempotence.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import * as sg from '../../src/index.js';
import { features } from '../../src/runtime/probe.js';
import { BACKENDS } from '../helpers/backends.js';

const wasmUrl = (v: string) => new URL(`../../build/simdgrad.${v}.wasm`, import.meta.url);

describe('init', () => {
  it('picks the best backend this runtime validates', async () => {
    const name = await sg.init();
    expect(name).toBe(BACKENDS[0]);
    expect(sg.backend()).toBe(name);
    expect(features().simd).toBe(true);
    expect(await sg.init()).toBe(name); // idempotent
  });

  it.each(BACKENDS)('forces backend %s and computes on it', async (b) => {
    expect(await sg.init({ backend: b })).toBe(b);
    sg.scope(() => expect([...sg.tensor([1, 2, 3]).mul(2).toArray()]).toEqual([2, 4, 6]));
  });

  it('accepts a precompiled WebAssembly.Module (edge runtimes), bytes and a URL', async () => {
    const bytes = readFileSync(wasmUrl('scalar'));
    const mod = new WebAssembly.Module(bytes);
    expect(await sg.init({ module: mod })).toBe('scalar');
    expect(await sg.init({ module: readFileSync(wasmUrl('simd')) })).toBe('simd');
    expect(await sg.init({ module: wasmUrl('scalar') })).toBe('scalar');
    expect(await sg.init({ backend: 'simd', module: wasmUrl('simd') })).toBe('simd');
  });

  it('rejects a module of another variant than asked for, and unknown modules', async () => {
    await expect(sg.init({ backend: 'simd', module: wasmUrl('scalar') })).rejects.toThrow(/scalar build/);
    const empty = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
    await expect(sg.init({ module: empty })).rejects.toThrow(sg.BackendError);
    await expect(sg.init(null as never)).rejects.toThrow('init: expected options { backend, module, threads }, got null');
    await sg.init();
  });
});
