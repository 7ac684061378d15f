// sg.nn.init: PyTorch's torch.nn.init, seeded. Every initializer writes IN PLACE into a
// contiguous tensor (a Parameter, usually) without recording a graph and returns it. Random ones
// draw from the Philox stream: `{ seed }` starts that seed's stream, otherwise the global stream
// (manualSeed) continues. Fans follow PyTorch: fanIn = shape[1]·receptive, fanOut =
// shape[0]·receptive, receptive = product of shape[2..].
import { tensorArg, type Tensor } from '../tensor.js';
import { ShapeError, fmtShape, OptionError } from '../errors.js';
import { nextDraw } from '../random.js';
import { checkChoice, checkNumber } from '../check-option.js';

export type Nonlinearity = 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'sigmoid' | 'tanh' | 'relu' |
  'leakyRelu' | 'leaky_relu' | 'selu';
export type FanMode = 'fanIn' | 'fanOut';
export interface SeedOption { seed?: number }

function target(t: Tensor, what: string): Tensor {
  tensorArg(`init.${what}`, 'tensor', t);
  if (!t.isContiguous) throw new ShapeError(`init.${what}: tensor of shape ${fmtShape(t.shape)} must be contiguous`);
  return t;
}

/**
 * The recommended gain for a nonlinearity (PyTorch's calculate_gain); `param` is leakyRelu's
 * negative slope (default 0.01).
 * @example sg.nn.init.calculateGain('relu') // √2
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear': case 'conv1d': case 'conv2d': case 'conv3d': case 'sigmoid': return 1;
    case 'tanh': return 5 / 3;
    case 'relu': return Math.SQRT2;
    case 'leakyRelu': case 'leaky_relu': {
      const slope = param ?? 0.01;
      if (!Number.isFinite(slope)) throw new OptionError(`calculateGain: negative slope ${param} is not a number`);
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu': return 3 / 4;
    default: throw new OptionError(`calculateGain: unsupported nonlinearity '${String(nonlinearity)}'`);
  }
}

/** [fanIn, fanOut] of a weight of rank ≥ 2. */
export function calculateFans(shape: readonly number[]): [number, number] {
  if (shape.length < 2) {
    throw new ShapeError(`fan in and fan out need a tensor of rank ≥ 2, got shape ${fmtShape(shape)}`);
  }
  const receptive = shape.slice(2).reduce((a, b) => a * b, 1);
  return [shape[1]! * receptive, shape[0]! * receptive];
}

/** Fills t with U(a, b). @example sg.nn.init.uniform(w, -0.1, 0.1, { seed: 1 }) */
export function uniform(t: Tensor, a = 0, b = 1, { seed }: SeedOption = {}): Tensor {
  target(t, 'uniform');
  if (!(a <= b)) throw new OptionError(`init.uniform: low ${a} must be ≤ high ${b}`);
  const d = nextDraw(t.size, 4, seed);
  t.backend.kernels.rand_uniform_f32(t.ptr, t.size, d.seedLo, d.seedHi, d.offset, a, b);
  return t;
}

/** Fills t with N(mean, std²). @example sg.nn.init.normal(w, 0, 0.02) */
export function normal(t: Tensor, mean = 0, std = 1, { seed }: SeedOption = {}): Tensor {
  target(t, 'normal');
  checkNumber('init.normal', 'std', std, { min: 0 });
  const d = nextDraw(t.size, 2, seed);
  t.backend.kernels.rand_normal_f32(t.ptr, t.size, d.seedLo, d.seedHi, d.offset, mean, std);
  return t;
}

/** Fills t with `value`. @example sg.nn.init.constant(b, 0.1) */
export function constant(t: Tensor, value: number): Tensor {
  target(t, 'constant');
  t.backend.kernels.fill_f32(t.ptr, t.size, value);
  return t;
}
/** Fills t with zeros. */
export const zeros = (t: Tensor): Tensor => constant(t, 0);
/** Fills t with ones. */
export const ones = (t: Tensor): Tensor => constant(t, 1);

/**
 * Glorot uniform: U(±gain·√(6 / (fanIn + fanOut))).
 * @example sg.nn.init.xavierUniform(linear.weight, { gain: sg.nn.init.calculateGain('tanh') })
 */
export function xavierUniform(t: Tensor, { gain = 1, seed }: { gain?: number } & SeedOption = {}): Tensor {
  const [fanIn, fanOut] = calculateFans(t.shape);
  const bound = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform(t, -bound, bound, { seed });
}

/** Glorot normal: N(0, gain²·2 / (fanIn + fanOut)). */
export function xavierNormal(t: Tensor, { gain = 1, seed }: { gain?: number } & SeedOption = {}): Tensor {
  const [fanIn, fanOut] = calculateFans(t.shape);
  return normal(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)), { seed });
}

export interface KaimingOptions extends SeedOption {
  /** Negative slope of the leaky ReLU that follows (default 0). */
  a?: number;
  /** Preserve the variance of the forward ('fanIn', default) or the backward pass. */
  mode?: FanMode;
  nonlinearity?: Nonlinearity;
}

function kaimingStd(t: Tensor, { a = 0, mode = 'fanIn', nonlinearity = 'leakyRelu' }: KaimingOptions): number {
  checkChoice('kaiming', 'mode', mode, ['fanIn', 'fanOut']);
  const [fanIn, fanOut] = calculateFans(t.shape);
  const fan = mode === 'fanIn' ? fanIn : fanOut;
  return fan === 0 ? 0 : calculateGain(nonlinearity, a) / Math.sqrt(fan);
}

/**
 * He uniform: U(±gain·√(3 / fan)). Linear's default is kaimingUniform(w, { a: √5 }) ⇒ U(±1/√fanIn).
 * @example sg.nn.init.kaimingUniform(w, { nonlinearity: 'relu', seed: 3 })
 */
export function kaimingUniform(t: Tensor, opts: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd(t, opts);
  return uniform(t, -bound, bound, { seed: opts.seed });
}

/** He normal: N(0, gain² / fan). */
export function kaimingNormal(t: Tensor, opts: KaimingOptions = {}): Tensor {
  return normal(t, 0, kaimingStd(t, opts), { seed: opts.seed });
}
