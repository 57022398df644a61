export { chiSquareSurvival, erfc, logGamma, normalSurvival, regularizedBeta, regularizedGammaQ, studentTTwoSided } from "./distributions.ts";
export { mean, median, quantileOfSorted, sampleVariance } from "./sample-moments.ts";
export { welchTTest, type WelchResult } from "./welch-t-test.ts";
export { mannWhitneyU, type MannWhitneyResult } from "./mann-whitney-u.ts";
export { bootstrapMeanDifference, clustersOf, type BootstrapInterval, type BootstrapOptions, type Cluster } from "./bootstrap.ts";
export { SRM_DEFAULTS, chiSquareGoodnessOfFit, sampleRatioMismatch, type ChiSquareResult, type SampleRatioCheck } from "./sample-ratio-mismatch.ts";
