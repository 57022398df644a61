import { studentTTwoSided } from "./distributions.ts";
import { mean, sampleVariance } from "./sample-moments.ts";

/** Welch's unequal-variance t-test of mean(x) − mean(y), two-sided. */
export interface WelchResult {
  t: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  pValue: number;
  meanDifference: number;
  standardError: number;
}

/**
 * Welch's t-test (scipy's `ttest_ind(x, y, equal_var=False)`); null when either sample has fewer than two
 * values. Two constant samples give t = 0 (equal means) or ±∞ (different means) rather than NaN.
 */
export function welchTTest(x: ArrayLike<number>, y: ArrayLike<number>): WelchResult | null {
  if (x.length < 2 || y.length < 2) return null;
  const vx = sampleVariance(x) / x.length;
  const vy = sampleVariance(y) / y.length;
  const meanDifference = mean(x) - mean(y);
  const standardError = Math.sqrt(vx + vy);
  if (standardError === 0) {
    return { t: meanDifference === 0 ? 0 : Math.sign(meanDifference) * Infinity, df: x.length + y.length - 2, pValue: meanDifference === 0 ? 1 : 0, meanDifference, standardError };
  }
  const t = meanDifference / standardError;
  const df = (vx + vy) ** 2 / (vx ** 2 / (x.length - 1) + vy ** 2 / (y.length - 1));
  return { t, df, pValue: studentTTwoSided(t, df), meanDifference, standardError };
}
