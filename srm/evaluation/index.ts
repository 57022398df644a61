/** Model evaluation on real data: the slippage champion and baselines on real fills, the provider score on statements. */
export { readFillsFile, type FillRow, type FillsFile } from "./fills-file.ts";
export { fillFeatureRows, type FillFeatureRows } from "./fill-features.ts";
export { evaluateSlippage, type EvaluateSlippageOptions, type QuantileMetrics, type SlippageEvaluation, type SlippageScores } from "./slippage-evaluation.ts";
export { evaluateScore, type ScoreEvaluation, type StatementScoreCorrelation } from "./score-evaluation.ts";
