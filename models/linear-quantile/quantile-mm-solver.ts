import { Matrix, solve } from "ml-matrix";
import type { ScaledRows } from "../standardiser.ts";

/** Standardised rows; the intercept column is implied (coefficient 0 of each vector). */
export type SolverInput = ScaledRows;

/** One MM iteration's state, reported to the caller (who turns it into progress). */
export interface SolverIteration {
  iteration: number;
  /** Mean pinball loss per quantile on the solver's rows (scaled target units). */
  losses: number[];
}

/** Tuning of the MM iterations. */
export interface SolverOptions {
  maxIterations: number;
  /** Stop a quantile when its loss improves by less than this fraction. */
  tolerance: number;
  /** Perturbation of |r| in the weights: smaller fits the exact quantile more closely but converges slower. */
  epsilon: number;
  signal?: AbortSignal;
  onIteration?: (it: SolverIteration, coefficients: Float64Array[]) => void;
}

/** Mean pinball loss of coefficients (intercept first) on the rows. */
export function meanPinball(rows: SolverInput, beta: Float64Array, tau: number): number {
  const { X, y, n, d } = rows;
  let sum = 0;
  for (let r = 0; r < n; r++) {
    let fit = beta[0] as number;
    for (let c = 0; c < d; c++) fit += (beta[c + 1] as number) * (X[r * d + c] as number);
    const e = (y[r] as number) - fit;
    sum += e >= 0 ? tau * e : (tau - 1) * e;
  }
  return sum / n;
}

/**
 * Linear quantile regression by the MM algorithm of Hunter & Lange (2000): each iteration solves weighted
 * normal equations XᵀWX β = XᵀWy + (2τ−1)Xᵀ1 with w = 1/(ε+|r|), which never increases the (ε-perturbed)
 * pinball loss. All quantiles advance together so one pass over the rows serves every quantile.
 */
export function fitLinearQuantiles(
  rows: SolverInput,
  quantiles: readonly number[],
  start: Float64Array[],
  opts: SolverOptions,
): { coefficients: Float64Array[]; iterations: number } {
  const { X, y, n, d } = rows;
  const p = d + 1;
  const q = quantiles.length;
  const beta: Float64Array[] = start.map((b) => Float64Array.from(b));
  const losses = quantiles.map((tau, k) => meanPinball(rows, beta[k] as Float64Array, tau));
  const active = quantiles.map(() => true);
  // Flat buffers: the row loop below is the whole cost of a fit, so it avoids nested arrays and iterators.
  const betaFlat = new Float64Array(q * p);
  const A = new Float64Array(q * p * p);
  const b = new Float64Array(q * p);
  const offsets = Float64Array.from(quantiles, (tau) => 2 * tau - 1);
  const x = new Float64Array(p);
  let iteration = 0;
  while (iteration < opts.maxIterations && active.some(Boolean)) {
    opts.signal?.throwIfAborted();
    iteration++;
    A.fill(0);
    b.fill(0);
    beta.forEach((bk, k) => betaFlat.set(bk, k * p));
    for (let r = 0; r < n; r++) {
      x[0] = 1;
      for (let c = 0; c < d; c++) x[c + 1] = X[r * d + c] as number;
      const yr = y[r] as number;
      for (let k = 0; k < q; k++) {
        if (!active[k]) continue;
        const bo = k * p;
        let fit = 0;
        for (let c = 0; c < p; c++) fit += (betaFlat[bo + c] as number) * (x[c] as number);
        const w = 1 / (opts.epsilon + Math.abs(yr - fit));
        const rhs = w * yr + (offsets[k] as number);
        const ao = k * p * p;
        // Upper triangle only; mirrored before solving.
        for (let i = 0; i < p; i++) {
          const xi = x[i] as number;
          const wi = w * xi;
          b[bo + i] = (b[bo + i] as number) + rhs * xi;
          const row = ao + i * p;
          for (let j = i; j < p; j++) A[row + j] = (A[row + j] as number) + wi * (x[j] as number);
        }
      }
    }
    for (let k = 0; k < q; k++) {
      if (!active[k]) continue;
      const next = solveSymmetric(A.subarray(k * p * p, (k + 1) * p * p), b.subarray(k * p, (k + 1) * p), p);
      const loss = meanPinball(rows, next, quantiles[k] as number);
      const before = losses[k] as number;
      if (loss <= before) {
        beta[k] = next;
        losses[k] = loss;
      }
      if (!(before - loss > opts.tolerance * Math.max(before, 1e-12))) active[k] = false;
    }
    opts.onIteration?.({ iteration, losses: [...losses] }, beta);
  }
  return { coefficients: beta, iterations: iteration };
}

/** Mirrors the upper triangle, adds a tiny ridge on the slopes (constant columns stay solvable) and solves. */
function solveSymmetric(upper: Float64Array, rhs: Float64Array, p: number): Float64Array {
  const m = new Matrix(p, p);
  let trace = 0;
  for (let i = 0; i < p; i++) trace += upper[i * p + i] as number;
  const ridge = (1e-9 * trace) / p;
  for (let i = 0; i < p; i++) {
    for (let j = i; j < p; j++) {
      const v = (upper[i * p + j] as number) + (i === j && i > 0 ? ridge : 0);
      m.set(i, j, v);
      m.set(j, i, v);
    }
  }
  return Float64Array.from(solve(m, Matrix.columnVector(Array.from(rhs))).getColumn(0));
}
