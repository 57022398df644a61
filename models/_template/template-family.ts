import { Matrix, solve } from "ml-matrix";
import { empiricalQuantiles } from "../baselines.ts";
import { fittedDenseModel } from "../dense-artefact.ts";
import type { DenseSpec } from "../dense-predictor.ts";
import { resolveQuantiles, validateDataset, validateSameSchema } from "../dataset.ts";
import type { FitSummary, ModelFamily } from "../model-family.ts";
import { fitStandardiser, fitTargetScale, scaleRows } from "../standardiser.ts";

const FAMILY_ID = "template-shift";

/** Mean pinball loss of residuals e against a constant offset per quantile. */
function residualPinball(residuals: Float64Array, quantiles: number[], offsets: Float64Array): number {
  let total = 0;
  quantiles.forEach((tau, k) => {
    let sum = 0;
    for (const r of residuals) {
      const e = r - (offsets[k] as number);
      sum += e >= 0 ? tau * e : (tau - 1) * e;
    }
    total += sum / residuals.length;
  });
  return total / quantiles.length;
}

/**
 * The family to copy when adding one: least-squares mean plus the training residuals' quantiles (a location
 * shift model). Copy the folder, rename the id, replace step 3, keep the one-line conformance test, and export
 * to a `DenseSpec` (or add a predictor and artefact reader of your own) so serving stays free of tfjs.
 */
export const templateFamily: ModelFamily = {
  id: FAMILY_ID,
  description: "Least-squares mean plus constant residual quantiles (the template new families copy)",
  async fit(train, opts, onProgress) {
    const started = performance.now();
    // 1. Validate inputs the same way every family does, and honour cancellation.
    opts.signal?.throwIfAborted();
    validateDataset(train, "train");
    if (opts.validation) validateSameSchema(train, opts.validation, "validation");
    const quantiles = resolveQuantiles(opts.quantiles);
    const { n, d } = train;
    // 2. Scale inputs and target; the spec stores both so the predictor undoes them.
    const standardiser = fitStandardiser(train.X, n, d);
    const target = fitTargetScale(train.y);
    const rows = scaleRows(train, standardiser, target);
    // 3. Fit: least squares with an intercept, then the residuals' quantiles as per-quantile offsets.
    const design = new Matrix(n, d + 1);
    for (let r = 0; r < n; r++) {
      design.set(r, 0, 1);
      for (let c = 0; c < d; c++) design.set(r, c + 1, rows.X[r * d + c] as number);
    }
    const y = Matrix.columnVector(Array.from(rows.y));
    const beta = solve(design.transpose().mmul(design), design.transpose().mmul(y)).getColumn(0);
    const fitted = design.mmul(Matrix.columnVector(beta)).getColumn(0);
    const residuals = Float64Array.from(rows.y, (v, r) => v - (fitted[r] as number));
    const offsets = empiricalQuantiles(residuals, quantiles);
    // 4. Export to a dense spec: one linear layer with a column per quantile.
    const q = quantiles.length;
    const kernel = new Float32Array(d * q);
    for (let c = 0; c < d; c++) for (let k = 0; k < q; k++) kernel[c * q + k] = beta[c + 1] as number;
    const bias = Float32Array.from(offsets, (o) => (beta[0] as number) + o);
    const spec: DenseSpec = {
      familyId: FAMILY_ID,
      quantiles,
      featureNames: [...train.featureNames],
      standardiser,
      layers: [{ kernel, bias, inputs: d, units: q, activation: "linear" }],
      head: "sorted",
      target,
    };
    // 5. Report progress (once here; per epoch in iterative families) and summarise in target units.
    const trainLoss = residualPinball(residuals, quantiles, offsets) * target.scale;
    onProgress?.({ familyId: FAMILY_ID, epoch: 1, epochs: 1, trainLoss, elapsedMs: performance.now() - started });
    const summary: FitSummary = { familyId: FAMILY_ID, trainedRows: n, epochsRun: 1, trainLoss, fitMs: performance.now() - started, details: {} };
    return fittedDenseModel(spec, summary);
  },
};
