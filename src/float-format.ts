// Python's float formatting, digit for digit: '{:.Nf}', '{:.Ne}' and repr() — what PyTorch's
// printed tensors and module reprs are made of. Contract: every result is the exact decimal value
// of the double rounded half-to-even (Python's rule; JS's toFixed/toExponential round exact ties
// away from zero), with Python's spellings: 'nan', 'inf', '-inf', a sign kept on negative zero,
// exponents of at least two digits ('1.0000e-05'), repr switching to exponent form below 1e-4 and
// from 1e16 up ('1e-05', '0.0001', '1e+16').

/** x = n / 10^scale exactly, for finite x ≥ 0. */
function exact(x: number): { n: bigint; scale: number } {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, x);
  const hi = v.getUint32(0), bexp = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(v.getUint32(4));
  if (bexp) m |= 1n << 52n;
  const e2 = (bexp || 1) - 1075; // x = m · 2^e2
  return e2 >= 0 ? { n: m << BigInt(e2), scale: 0 } : { n: m * 5n ** BigInt(-e2), scale: -e2 };
}

/** n / 10^k rounded half to even (k ≥ 0). */
function roundDiv(n: bigint, k: number): bigint {
  if (k <= 0) return n * 10n ** BigInt(-k);
  const d = 10n ** BigInt(k), q = n / d, r2 = (n % d) * 2n;
  return r2 > d || (r2 === d && q % 2n === 1n) ? q + 1n : q;
}

/** 'nan' / 'inf' / '-inf', or undefined for a finite x. */
function special(x: number): string | undefined {
  return Number.isNaN(x) ? 'nan' : x === Infinity ? 'inf' : x === -Infinity ? '-inf' : undefined;
}

const sign = (x: number): string => (x < 0 || Object.is(x, -0) ? '-' : '');

/** Python's '{:.{digits}f}'.format(x). @example fixed(0.03125, 4) // '0.0312' */
export function fixed(x: number, digits: number): string {
  const s = special(x);
  if (s) return s;
  const { n, scale } = exact(Math.abs(x));
  const q = roundDiv(n, scale - digits).toString().padStart(digits + 1, '0');
  return sign(x) + (digits ? `${q.slice(0, -digits)}.${q.slice(-digits)}` : q);
}

/** Python's '{:.{digits}e}'.format(x). @example scientific(100005, 4) // '1.0000e+05' */
export function scientific(x: number, digits: number): string {
  const s = special(x);
  if (s) return s;
  let mant = '0'.repeat(digits + 1), e = 0;
  if (x !== 0) {
    const { n, scale } = exact(Math.abs(x));
    const len = n.toString().length;
    mant = roundDiv(n, len - digits - 1).toString();
    e = len - 1 - scale;
    if (mant.length > digits + 1) { mant = mant.slice(0, -1); e++; } // 9.99995 → 10.0000
  }
  const a = Math.abs(e);
  return `${sign(x)}${mant[0]}${digits ? `.${mant.slice(1)}` : ''}e${e < 0 ? '-' : '+'}${a < 10 ? '0' : ''}${a}`;
}

/** Python's repr() of a float (shortest round-trip digits). @example pyFloat(1e-5) // '1e-05' */
export function pyFloat(x: number): string {
  const s = special(x);
  if (s) return s;
  const [m, ex] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = m.replace('.', ''), e = Number(ex);
  let body: string;
  if (e < -4 || e >= 16) body = `${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${e < 0 ? '-' : '+'}${Math.abs(e) < 10 ? '0' : ''}${Math.abs(e)}`;
  else if (e < 0) body = `0.${'0'.repeat(-e - 1)}${digits}`;
  else body = digits.length > e + 1 ? `${digits.slice(0, e + 1)}.${digits.slice(e + 1)}` : `${digits.padEnd(e + 1, '0')}.0`;
  return sign(x) + body;
}
