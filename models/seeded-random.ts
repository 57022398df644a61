/** A small seeded generator (mulberry32) so shuffles, initial weights and synthetic data repeat exactly. */
export interface SeededRandom {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** A 31-bit integer, e.g. to seed a tfjs initialiser. */
  int31(): number;
  /** Fisher–Yates shuffle in place. */
  shuffle(a: Uint32Array): Uint32Array;
}

/** Creates the generator; equal seeds give equal sequences. */
export function seededRandom(seed: number): SeededRandom {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    normal() {
      const u = 1 - next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
    int31: () => Math.floor(next() * 0x7fffffff),
    shuffle(a) {
      for (let i = a.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
      }
      return a;
    },
  };
}
