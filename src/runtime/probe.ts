// Feature probes: which wasm variants this runtime can run, decided by WebAssembly.validate on
// tiny modules that use the exact instructions the builds depend on (f32x4 arithmetic for
// `simd`, f32x4.relaxed_madd for `relaxed`). Validation compiles nothing, so it also works on
// edge runtimes that forbid code generation.

/** (module (func (result v128) <body>)) with `body` the instruction bytes. */
function probeModule(body: number[]): Uint8Array<ArrayBuffer> {
  const code = [0x00, ...body, 0x0b];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type: () -> v128
    0x03, 0x02, 0x01, 0x00, // function 0 has type 0
    0x0a, code.length + 2, 0x01, code.length, ...code, // code
  ]);
}

const V128_ZERO = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
/** v128.const 0; v128.const 0; f32x4.mul */
const SIMD = probeModule([...V128_ZERO, ...V128_ZERO, 0xfd, 0xe6, 0x01]);
/** v128.const 0 (×3); f32x4.relaxed_madd */
const RELAXED = probeModule([...V128_ZERO, ...V128_ZERO, ...V128_ZERO, 0xfd, 0x85, 0x02]);

function validates(bytes: Uint8Array<ArrayBuffer>): boolean {
  try {
    return typeof WebAssembly !== 'undefined' && WebAssembly.validate(bytes);
  } catch {
    return false;
  }
}

export interface Features {
  wasm: boolean;
  simd: boolean;
  relaxedSimd: boolean;
}

let cached: Features | undefined;

/** What this runtime supports (computed once). */
export function features(): Features {
  if (!cached) {
    const wasm = typeof WebAssembly === 'object' && typeof WebAssembly.validate === 'function';
    cached = { wasm, simd: wasm && validates(SIMD), relaxedSimd: wasm && validates(RELAXED) };
  }
  return cached;
}
