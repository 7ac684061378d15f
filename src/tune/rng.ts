// Rng: the seeded generator of samplers and pruners — the library's one RandomStream
// (../random.ts: Philox4x32-10 over a counter, 53-bit uniforms), under the name the samplers and
// sg.tune have always used, so studies are reproducible from their seed on every runtime. No
// Math.random: freshSeed() draws the seed of an unseeded sampler from the platform's crypto source.
export { RandomStream as Rng } from '../random.js';

/** A seed nobody chose (32 bits from crypto.getRandomValues): unseeded samplers draw one, so two
 *  unseeded studies, in one process or two, sample different points. */
export function freshSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
}
