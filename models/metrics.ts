import { invalid } from "../core/index.ts";

/**
 * Scores for quantile predictions held as row-major n×q Float64Arrays (what `predictBatch` returns); every
 * function takes the quantile levels so it can find the column it needs.
 */

/** The column of `tau` in `quantiles`, or -1 when absent. */
export function quantileColumn(quantiles: readonly number[], tau: number): number {
  return quantiles.findIndex((q) => Math.abs(q - tau) < 1e-9);
}

function column(quantiles: readonly number[], tau: number): number {
  const k = quantileColumn(quantiles, tau);
  if (k < 0) throw invalid("quantiles", `do not include ${tau} ([${quantiles.join(", ")}])`);
  return k;
}

function checkShape(y: ArrayLike<number>, pred: Float64Array, quantiles: readonly number[]): void {
  if (y.length === 0) throw invalid("y", "must not be empty");
  if (pred.length !== y.length * quantiles.length) {
    throw invalid("pred", `has ${pred.length} values, expected ${y.length}×${quantiles.length}`);
  }
}

/** Mean pinball (quantile) loss of the `tau` column: τ·e for under-prediction, (τ−1)·e for over-prediction. */
export function pinballLoss(y: ArrayLike<number>, pred: Float64Array, quantiles: readonly number[], tau: number): number {
  checkShape(y, pred, quantiles);
  const q = quantiles.length;
  const k = column(quantiles, tau);
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    const e = (y[i] as number) - (pred[i * q + k] as number);
    sum += e >= 0 ? tau * e : (tau - 1) * e;
  }
  return sum / y.length;
}

/** Mean absolute error of the median (p50) column. */
export function maeP50(y: ArrayLike<number>, pred: Float64Array, quantiles: readonly number[]): number {
  checkShape(y, pred, quantiles);
  const q = quantiles.length;
  const k = column(quantiles, 0.5);
  let sum = 0;
  for (let i = 0; i < y.length; i++) sum += Math.abs((y[i] as number) - (pred[i * q + k] as number));
  return sum / y.length;
}

/** Share of rows whose actual value is at or below the `tau` column (ideally ≈ tau). */
export function coverage(y: ArrayLike<number>, pred: Float64Array, quantiles: readonly number[], tau = 0.9): number {
  checkShape(y, pred, quantiles);
  const q = quantiles.length;
  const k = column(quantiles, tau);
  let hits = 0;
  for (let i = 0; i < y.length; i++) if ((y[i] as number) <= (pred[i * q + k] as number)) hits++;
  return hits / y.length;
}

/** Share of rows whose p50 is within half a pip of the actual slippage (targets in pips). */
export function withinHalfPip(y: ArrayLike<number>, pred: Float64Array, quantiles: readonly number[]): number {
  checkShape(y, pred, quantiles);
  const q = quantiles.length;
  const k = column(quantiles, 0.5);
  let hits = 0;
  for (let i = 0; i < y.length; i++) if (Math.abs((pred[i * q + k] as number) - (y[i] as number)) <= 0.5) hits++;
  return hits / y.length;
}

/** All scores at once; the p50/p90 ones are null when those quantiles are not predicted. */
export interface QuantileScores {
  n: number;
  /** Pinball loss per quantile, in the order of `quantiles`. */
  pinball: number[];
  pinballMean: number;
  maeP50: number | null;
  coverageP90: number | null;
  withinHalfPip: number | null;
}

/** Scores n×q predictions against actual values. */
export function scoreQuantiles(y: ArrayLike<number>, pred: Float64Array, quantiles: readonly number[]): QuantileScores {
  const pinball = quantiles.map((tau) => pinballLoss(y, pred, quantiles, tau));
  const hasMedian = quantileColumn(quantiles, 0.5) >= 0;
  return {
    n: y.length,
    pinball,
    pinballMean: pinball.reduce((a, b) => a + b, 0) / pinball.length,
    maeP50: hasMedian ? maeP50(y, pred, quantiles) : null,
    coverageP90: quantileColumn(quantiles, 0.9) >= 0 ? coverage(y, pred, quantiles, 0.9) : null,
    withinHalfPip: hasMedian ? withinHalfPip(y, pred, quantiles) : null,
  };
}
