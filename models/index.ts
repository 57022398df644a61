export {
  DEFAULT_QUANTILES,
  type ArtefactManifest,
  type Dataset,
  type FitOptions,
  type FitProgress,
  type FitSummary,
  type FittedModel,
  type ModelFamily,
  type QuantilePredictor,
  type SaveMeta,
} from "./model-family.ts";
export { ModelErrors } from "./models.errors.ts";
export { createDataset, resolveQuantiles, selectRows, sliceDataset, validateDataset, validateRow } from "./dataset.ts";
export { ARTEFACT_FORMAT_VERSION, loadPredictor, readManifest } from "./dense-artefact.ts";
export { coverage, maeP50, pinballLoss, quantileColumn, scoreQuantiles, withinHalfPip, type QuantileScores } from "./metrics.ts";
export { columnsKey, empiricalQuantiles, globalQuantileBaseline, groupQuantileBaseline, type GroupBaselineOptions } from "./baselines.ts";
export { compareOnHoldout, formatHoldoutTable, quantileLabel, type HoldoutComparison, type HoldoutRow } from "./compare-on-holdout.ts";
export { seededRandom, type SeededRandom } from "./seeded-random.ts";
export { MODEL_FAMILIES, getModelFamily } from "./model-families.ts";
export { linearQuantileFamily } from "./linear-quantile/index.ts";
export {
  createMlpQuantileFamily,
  loadTfRunner,
  mlpQuantileFamily,
  tfRunnerFor,
  type MlpFamilyConfig,
  type MlpFittedModel,
  type MlpQuantileFamily,
  type TfQuantileRunner,
} from "./mlp-quantile/index.ts";
