/**
 * The contract every slippage-quantile model family implements. Families train on generic numeric datasets
 * (no SRM feature names are assumed) and serve through a plain typed-array predictor, never through tfjs.
 */

/** A numeric dataset: `X` is row-major n×d, `y` holds one target per row. */
export interface Dataset {
  X: Float32Array;
  y: Float32Array;
  n: number;
  d: number;
  featureNames: string[];
}

/** Options every family accepts; families ignore those that do not apply to them (e.g. `epochs` for a linear fit). */
export interface FitOptions {
  /** Seed for initialisation and shuffling: the same seed and data give bit-identical weights. */
  seed: number;
  /** Quantile levels, strictly increasing in (0, 1). @defaultValue [0.5, 0.9] */
  quantiles?: number[];
  /** Passes over the training rows (iterations for iterative solvers). */
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  /** Held-out rows for early stopping; the best epoch's weights are kept. */
  validation?: Dataset;
  /** Epochs without validation improvement before stopping. */
  patience?: number;
  /** Stops the fit between epochs; the fit rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** One progress report, sent once per epoch (or solver iteration). */
export interface FitProgress {
  familyId: string;
  epoch: number;
  epochs: number;
  trainLoss: number;
  validationLoss?: number;
  elapsedMs: number;
}

/** Serves quantile predictions with plain typed-array code: no tfjs, no allocation per `predictInto` call. */
export interface QuantilePredictor {
  /** The quantile levels, increasing; outputs come in this order and are non-decreasing. */
  readonly quantiles: readonly number[];
  /** Number of input features a row must have. */
  readonly d: number;
  /** Writes one row's quantiles into `out` (length ≥ quantiles.length); throws on wrong length or non-finite input. */
  predictInto(row: ArrayLike<number>, out: Float64Array): void;
  /** Predicts n rows of row-major `X` (length n×d); returns n×q values, row-major. */
  predictBatch(X: ArrayLike<number>, n: number): Float64Array;
}

/** What the caller may add to an artefact when saving it (e.g. hold-out metrics, the configuration hash). */
export interface SaveMeta {
  metrics?: Record<string, number>;
  configHash?: string;
}

/** How a fit went, for logs, reports and the registry row. */
export interface FitSummary {
  familyId: string;
  trainedRows: number;
  /** Epochs (or solver iterations) actually run. */
  epochsRun: number;
  /** Mean pinball loss over all quantiles on the training rows, in target units. */
  trainLoss: number;
  /** Mean pinball loss on the validation rows, when given. */
  validationLoss?: number;
  fitMs: number;
  /** Family-specific figures (best epoch, layer sizes, …). */
  details: Record<string, number | string>;
}

/** The `manifest.json` of a saved model; numbers in it round-trip exactly. */
export interface ArtefactManifest {
  format: "riskloop-quantile-dense";
  formatVersion: number;
  familyId: string;
  quantiles: number[];
  d: number;
  featureNames: string[];
  /** Outputs are turned into ordered quantiles either by cumulative softplus gaps or by sorting. */
  head: "softplus-gaps" | "sorted";
  /** Predictions in target units are `shift + scale × head(outputs)`. */
  target: { shift: number; scale: number };
  layers: Array<{ kernel: string; bias: string; inputs: number; units: number; activation: "relu" | "linear" }>;
  /** Tensors stored back to back in `weightsFile` (little-endian). */
  tensors: Array<{ name: string; dtype: "float32" | "float64"; length: number; byteOffset: number }>;
  weightsFile: string;
  weightsSha256: string;
  /** Other files the family wrote (e.g. a tfjs `model.json`), relative to the folder. */
  extraFiles: string[];
  summary: FitSummary;
  metrics: Record<string, number>;
  configHash?: string;
}

/** A trained model: its serving predictor, a way to save it and how the fit went. */
export interface FittedModel {
  readonly predictor: QuantilePredictor;
  /** Writes the artefact into `dir` (created if missing) and returns its manifest. */
  save(dir: string, meta?: SaveMeta): Promise<ArtefactManifest>;
  readonly summary: FitSummary;
}

/** A model family: a named way of turning a dataset into a fitted quantile model. */
export interface ModelFamily {
  readonly id: string;
  readonly description: string;
  fit(train: Dataset, opts: FitOptions, onProgress?: (p: FitProgress) => void): Promise<FittedModel>;
}

/** The quantiles SRM needs: the median and the tail the stop-loss buffer must cover. */
export const DEFAULT_QUANTILES: readonly number[] = [0.5, 0.9];
