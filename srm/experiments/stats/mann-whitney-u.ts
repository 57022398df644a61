import { normalSurvival } from "./distributions.ts";

/** Mann–Whitney U test of x against y, two-sided, normal approximation. */
export interface MannWhitneyResult {
  /** U of the first sample: the number of (x, y) pairs with x > y, ties counting one half. */
  u: number;
  z: number;
  pValue: number;
}

/**
 * Mann–Whitney U with mid-ranks for ties, the tie-corrected variance and a continuity correction: the same
 * numbers as scipy's `mannwhitneyu(x, y, method="asymptotic")`. Null when either sample is empty.
 */
export function mannWhitneyU(x: ArrayLike<number>, y: ArrayLike<number>): MannWhitneyResult | null {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) return null;
  const n = n1 + n2;
  const all = new Float64Array(n);
  for (let i = 0; i < n1; i++) all[i] = x[i]!;
  for (let i = 0; i < n2; i++) all[n1 + i] = y[i]!;
  const order = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => all[a]! - all[b]!);
  let rankSumX = 0;
  let tieTerm = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && all[order[j + 1]!] === all[order[i]!]) j++;
    const rank = (i + j) / 2 + 1;
    const t = j - i + 1;
    tieTerm += t ** 3 - t;
    for (let k = i; k <= j; k++) if (order[k]! < n1) rankSumX += rank;
    i = j + 1;
  }
  const u = rankSumX - (n1 * (n1 + 1)) / 2;
  const mu = (n1 * n2) / 2;
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  if (sigma === 0) return { u, z: 0, pValue: 1 };
  const uMax = Math.max(u, n1 * n2 - u);
  const z = (uMax - mu - 0.5) / sigma;
  return { u, z, pValue: Math.min(1, 2 * normalSurvival(z)) };
}
