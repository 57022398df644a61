import { fittedDenseModel } from "../dense-artefact.ts";
import type { DenseSpec } from "../dense-predictor.ts";
import { empiricalQuantiles } from "../baselines.ts";
import { resolveQuantiles, validateDataset, validateSameSchema } from "../dataset.ts";
import type { FitSummary, ModelFamily } from "../model-family.ts";
import { seededRandom } from "../seeded-random.ts";
import { fitStandardiser, fitTargetScale, scaleRows } from "../standardiser.ts";
import { fitLinearQuantiles, meanPinball, type SolverInput } from "./quantile-mm-solver.ts";

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

const TOLERANCE = 1e-6;
const POLISH_TOLERANCE = 1e-5;
const POLISH_MAX_ITERATIONS = 5;
const COARSE_EPSILON = 1e-2;
const FINE_EPSILON = 1e-4;
const SUBSAMPLE_ROWS = 100_000;

/** `size` rows drawn without replacement by a seeded shuffle. */
function subsample(rows: SolverInput, size: number, seed: number): SolverInput {
  const order = seededRandom(seed).shuffle(Uint32Array.from({ length: rows.n }, (_, i) => i)).subarray(0, size);
  const X = new Float32Array(size * rows.d);
  const y = new Float32Array(size);
  order.forEach((r, i) => {
    X.set(rows.X.subarray(r * rows.d, (r + 1) * rows.d), i * rows.d);
    y[i] = rows.y[r] as number;
  });
  return { X, y, n: size, d: rows.d };
}

/**
 * Linear quantile regression, one coefficient vector per quantile (MM iterations over ml-matrix `solve`);
 * crossing quantiles are rearranged (sorted) at serve time so p90 ≥ p50 always holds.
 */
export const linearQuantileFamily: ModelFamily = {
  id: "linear-quantile",
  description: "Linear quantile regression per quantile (Hunter–Lange MM on weighted normal equations), rearranged to be monotone",
  async fit(train, opts, onProgress) {
    const started = performance.now();
    validateDataset(train, "train");
    if (opts.validation) validateSameSchema(train, opts.validation, "validation");
    const quantiles = resolveQuantiles(opts.quantiles);
    const standardiser = fitStandardiser(train.X, train.n, train.d);
    const target = fitTargetScale(train.y);
    const rows = scaleRows(train, standardiser, target);
    const validation = opts.validation ? scaleRows(opts.validation, standardiser, target) : undefined;
    const maxIterations = opts.epochs ?? 100;
    const validationLosses = (beta: Float64Array[]): number[] | undefined =>
      validation && quantiles.map((tau, k) => meanPinball(validation, beta[k] as Float64Array, tau) * target.scale);
    let done = 0;
    const stage = (input: SolverInput, start: Float64Array[], epsilon: number, tolerance: number, cap = maxIterations): Float64Array[] => {
      const result = fitLinearQuantiles(input, quantiles, start, {
        maxIterations: Math.min(cap, maxIterations - done),
        tolerance,
        epsilon,
        ...(opts.signal ? { signal: opts.signal } : {}),
        onIteration: (it, beta) => {
          if (!onProgress) return;
          const v = validationLosses(beta);
          onProgress({
            familyId: "linear-quantile",
            epoch: done + it.iteration,
            epochs: maxIterations,
            trainLoss: mean(it.losses) * target.scale,
            ...(v ? { validationLoss: mean(v) } : {}),
            elapsedMs: performance.now() - started,
          });
        },
      });
      done += result.iterations;
      return result.coefficients;
    };
    // Start from the unconditional quantiles (intercept only). A coarse ε first converges in fewer iterations;
    // on large sets a seeded subsample does most of the work and the full set only polishes (a few iterations,
    // looser tolerance: the remaining gains are far below the sampling error of the coefficients).
    let coefficients: Float64Array[] = Array.from(empiricalQuantiles(rows.y, quantiles), (q0) => {
      const b = new Float64Array(train.d + 1);
      b[0] = q0;
      return b;
    });
    const coarse = rows.n > SUBSAMPLE_ROWS ? subsample(rows, SUBSAMPLE_ROWS, opts.seed) : rows;
    coefficients = stage(coarse, coefficients, COARSE_EPSILON, TOLERANCE);
    coefficients = stage(coarse, coefficients, FINE_EPSILON, TOLERANCE);
    if (coarse !== rows) coefficients = stage(rows, coefficients, FINE_EPSILON, POLISH_TOLERANCE, POLISH_MAX_ITERATIONS);
    const iterations = done;
    const q = quantiles.length;
    const kernel = new Float32Array(train.d * q);
    const bias = new Float32Array(q);
    coefficients.forEach((beta, k) => {
      bias[k] = beta[0] as number;
      for (let c = 0; c < train.d; c++) kernel[c * q + k] = beta[c + 1] as number;
    });
    const spec: DenseSpec = {
      familyId: "linear-quantile",
      quantiles,
      featureNames: [...train.featureNames],
      standardiser,
      layers: [{ kernel, bias, inputs: train.d, units: q, activation: "linear" }],
      head: "sorted",
      target,
    };
    const finalValidation = validationLosses(coefficients);
    const summary: FitSummary = {
      familyId: "linear-quantile",
      trainedRows: train.n,
      epochsRun: iterations,
      trainLoss: mean(quantiles.map((tau, k) => meanPinball(rows, coefficients[k] as Float64Array, tau))) * target.scale,
      ...(finalValidation ? { validationLoss: mean(finalValidation) } : {}),
      fitMs: performance.now() - started,
      details: { solver: "hunter-lange-mm", epsilon: FINE_EPSILON, subsampleRows: Math.min(rows.n, SUBSAMPLE_ROWS) },
    };
    return fittedDenseModel(spec, summary);
  },
};
