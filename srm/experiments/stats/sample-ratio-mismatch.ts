import { invalid } from "../../../core/index.ts";
import { chiSquareSurvival } from "./distributions.ts";

/** Pearson's chi-square goodness of fit of observed counts against expected shares. */
export interface ChiSquareResult {
  statistic: number;
  df: number;
  pValue: number;
}

/** Pearson's goodness-of-fit test (scipy's `chisquare(observed, f_exp=shares × total)`). */
export function chiSquareGoodnessOfFit(observed: readonly number[], expectedShares: readonly number[]): ChiSquareResult {
  if (observed.length !== expectedShares.length || observed.length < 2) throw invalid("observed", "needs one count per expected share, at least two");
  if (!expectedShares.every((s) => s > 0)) throw invalid("expectedShares", "every share must be positive");
  const total = observed.reduce((a, b) => a + b, 0);
  const shareSum = expectedShares.reduce((a, b) => a + b, 0);
  let statistic = 0;
  // No units yet (an experiment just started): nothing departs from the split.
  for (let i = 0; i < observed.length && total > 0; i++) {
    const expected = (total * expectedShares[i]!) / shareSum;
    statistic += (observed[i]! - expected) ** 2 / expected;
  }
  const df = observed.length - 1;
  return { statistic, df, pValue: total === 0 ? 1 : chiSquareSurvival(statistic, df) };
}

/** Defaults from the field notes (GrowthBook, Statsig): alert at p < 0.001, only with at least 8 units per arm. */
export const SRM_DEFAULTS = { alpha: 0.001, minUnitsPerArm: 8 } as const;

/** Whether the arms' sizes are consistent with the intended split. */
export interface SampleRatioCheck {
  observed: { control: number; treatment: number };
  expected: { control: number; treatment: number };
  statistic: number;
  pValue: number;
  /** False while an arm has fewer than `minUnitsPerArm` units: too few to judge. */
  checked: boolean;
  /** Checked and p < alpha: the assignment or the logging is broken; no metric can be trusted. */
  mismatch: boolean;
}

/** Sample-ratio-mismatch check of assigned units against the treatment share. */
export function sampleRatioMismatch(
  observed: { control: number; treatment: number },
  treatmentShare: number,
  opts: { alpha?: number; minUnitsPerArm?: number } = {},
): SampleRatioCheck {
  if (!(treatmentShare > 0 && treatmentShare < 1)) throw invalid("treatmentShare", `must be in (0, 1), got ${treatmentShare}`);
  const alpha = opts.alpha ?? SRM_DEFAULTS.alpha;
  const minUnits = opts.minUnitsPerArm ?? SRM_DEFAULTS.minUnitsPerArm;
  const fit = chiSquareGoodnessOfFit([observed.control, observed.treatment], [1 - treatmentShare, treatmentShare]);
  const total = observed.control + observed.treatment;
  const checked = observed.control >= minUnits && observed.treatment >= minUnits;
  return {
    observed,
    expected: { control: total * (1 - treatmentShare), treatment: total * treatmentShare },
    statistic: fit.statistic,
    pValue: fit.pValue,
    checked,
    mismatch: checked && fit.pValue < alpha,
  };
}
