/** Numeric columns hold numbers; categorical columns hold labels (a numeric code is passed as its string). */
export type ColumnKind = "numeric" | "categorical";

/** A column's values: numbers for numeric detectors, labels for categorical ones. */
export type ColumnValues = readonly number[] | readonly string[];

/** One detector's verdict on one column. */
export interface DriftResult {
  /** The test statistic or distance (KS D, PSI, normalised W1, JS distance, chi-square). */
  statistic: number;
  /** Present for hypothesis tests (KS, chi-square); drifted when below `threshold`. */
  pValue?: number;
  /** The significance level for tests, the distance limit for distances. */
  threshold: number;
  drifted: boolean;
}

/**
 * A drift detector: a pure comparison of a reference sample with a current one. Copy `_template/` to add one
 * and run `runDriftDetectorConformance` on it (test/conformance/drift-detector.ts).
 */
export interface DriftDetector {
  /** Stable id stored in drift reports, e.g. "ks". */
  readonly id: string;
  /** Column kinds `test` accepts. */
  readonly kinds: readonly ColumnKind[];
  /** Whether swapping reference and current gives the same statistic (false when bins or scale come from the reference). */
  readonly symmetric: boolean;
  /** Whether the field defaults pick this detector for a column of `kind` with `nRef` reference values. */
  appliesTo(kind: ColumnKind, nRef: number): boolean;
  /** Compares the samples; throws CORE_ERR_INVALID for an empty sample or values of the wrong kind. */
  test(reference: ColumnValues, current: ColumnValues): DriftResult;
}

/**
 * Field defaults (Evidently, NannyML): hypothesis tests at p < 0.05 up to 1000 reference rows, distances with
 * threshold 0.1 above; PSI threshold 0.1; the dataset drifts when half its columns do.
 */
export const DRIFT_DEFAULTS = { alpha: 0.05, largeSample: 1000, distanceThreshold: 0.1, psiThreshold: 0.1, datasetShare: 0.5 } as const;
