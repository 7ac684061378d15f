// Philox4x32-10 (Salmon et al. 2011, "Parallel random numbers: as easy as 1, 2, 3"), in plain JS:
// the four 32-bit output words for counter (block, 0, 0, 0) under key (seedLo, seedHi). The one
// JS implementation of the generator: the library's random streams (./random.ts) and the JS
// reference kernels (./backend/js/random.ts, the specification of assembly/random.ts) both call it.
// Pinned to Random123's known-answer vectors in tests/backend/random.test.ts.

const M0 = 0xd2511f53, M1 = 0xcd9e8d57, W0 = 0x9e3779b9, W1 = 0xbb67ae85;

/** High 32 bits of the 64-bit product of two u32 (exact, via 16-bit halves). */
function mulhi(a: number, b: number): number {
  const aH = a >>> 16, aL = a & 0xffff, bH = b >>> 16, bL = b & 0xffff;
  const m1 = aH * bL, m2 = aL * bH;
  const carry = (((aL * bL) >>> 16) + (m1 & 0xffff) + (m2 & 0xffff)) >>> 16;
  return (aH * bH + (m1 >>> 16) + (m2 >>> 16) + carry) >>> 0;
}

export type PhiloxWords = [number, number, number, number];

/**
 * The four 32-bit output words of Philox4x32-10 for counter (block, 0, 0, 0), written into `out`
 * (a fresh array by default; loops drawing many blocks pass one to reuse).
 * @example philox4x32(0, 0, 0) // [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]
 */
export function philox4x32(block: number, seedLo: number, seedHi: number, out: PhiloxWords = [0, 0, 0, 0]): PhiloxWords {
  let c0 = block >>> 0, c1 = 0, c2 = 0, c3 = 0, k0 = seedLo >>> 0, k1 = seedHi >>> 0;
  for (let round = 0; round < 10; round++) {
    const hi0 = mulhi(M0, c0), lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi(M1, c2), lo1 = Math.imul(M1, c2) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0; c1 = lo1; c2 = (hi0 ^ c3 ^ k1) >>> 0; c3 = lo0;
    k0 = (k0 + W0) >>> 0; k1 = (k1 + W1) >>> 0;
  }
  out[0] = c0; out[1] = c1; out[2] = c2; out[3] = c3;
  return out;
}
