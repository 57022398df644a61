import { invalid } from "../../core/index.ts";

/** Throws `CORE_ERR_INVALID` unless `value` is an integer in [min, 100000] (TA-Lib's accepted range). */
export function requirePeriod(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min || value > 100_000) {
    throw invalid(name, `must be an integer from ${min} to 100000, got ${value}`);
  }
  return value;
}

/** Throws `CORE_ERR_INVALID` unless `value` is a finite number (band widths, multipliers). */
export function requireFinite(name: string, value: number): number {
  if (!Number.isFinite(value)) throw invalid(name, `must be a finite number, got ${value}`);
  return value;
}

/** Throws `CORE_ERR_INVALID` unless high, low and close have the same length; returns that length. */
export function requireSameLength(high: Float64Array, low: Float64Array, close: Float64Array): number {
  const n = close.length;
  if (high.length !== n || low.length !== n) {
    throw invalid("high/low/close", `lengths differ (${high.length}, ${low.length}, ${n})`);
  }
  return n;
}

/**
 * An output of length `n` with NaN in its first `lookback` cells, where TA-Lib has no value; the caller
 * writes every later cell, so only the warm-up is filled.
 */
export function nanArray(n: number, lookback: number): Float64Array {
  return new Float64Array(n).fill(Number.NaN, 0, Math.min(lookback, n));
}

/** Throws when `replaceLast` is called before any bar: there is nothing to replace. */
export function requireLastBar(count: number): void {
  if (count === 0) throw invalid("bar", "replaceLast called before any update");
}

/** TA-Lib 0.6's TA_IS_ZERO: |v| below 1e-14 counts as zero in its divide-by-zero guards. */
export function isTaZero(v: number): boolean {
  return v > -1e-14 && v < 1e-14;
}
