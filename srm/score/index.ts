export { scoreConfig, DEFAULT_SCORE_PARAMS, type ScoreParams } from "./score.config.ts";
export { netResult, stopRisk, respectedStopLoss, type ClosedTrade, type CloseReason } from "./closed-trade.ts";
export { createScoreState, applyTrade, applyCashflow, scoreHistory, type ScoreState } from "./score-state.ts";
export { scoreOf, type ScoreResult } from "./score-of.ts";
export type { ScoreComponent, ScoreComponents, DrawdownComponent } from "./score-posterior.ts";
export { SCORE_REASON_CODES, type ScoreReason, type ScoreReasonCode } from "./score-reasons.ts";
export { parseStatementTrades, parseBrokerTime } from "./statement-trades.ts";
export {
  forwardRankCorrelation,
  type StatementTrades,
  type RankCorrelation,
  type StatementCorrelation,
  type ForwardCorrelationReport,
} from "./forward-rank-correlation.ts";
export { spearman, pearson, averageRanks } from "./spearman.ts";
