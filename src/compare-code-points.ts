// compareCodePoints: orders strings by Unicode code point — the order of their UTF-8 bytes, of
// Rust's str and of numpy's np.unique on strings (JS's default sort compares UTF-16 code units,
// which differs above U+FFFF).

/** Negative, zero or positive as a sorts before, with or after b by code point. */
export function compareCodePoints(a: string, b: string): number {
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    const x = a.codePointAt(i)!, y = b.codePointAt(j)!;
    if (x !== y) return x - y;
    i += x > 0xffff ? 2 : 1; j += y > 0xffff ? 2 : 1;
  }
  return a.length - b.length;
}
