export { chiSquareDetector } from "./chi-square.detector.ts";
export { jensenShannonDetector, jensenShannonDistance } from "./jensen-shannon.detector.ts";
export { kolmogorovSurvival, ksDetector, ksStatistic } from "./ks.detector.ts";
export { populationStabilityIndex, psiDetector } from "./psi.detector.ts";
export { wasserstein1, wassersteinDetector } from "./wasserstein.detector.ts";
