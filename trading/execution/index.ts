/**
 * Execution: the only path from an SRM approval to a broker, the trading commands and reads the API serves
 * (every command decided by SRM first), the risk follow-up (emergency stop, provider score) and strategies.
 */
export { ExecutionService, type ExecuteOptions, type ExecutionOutcome, type PendingTerms } from "./execution-service.ts";
export { ExecutionErrors } from "./execution.errors.ts";
export { TradingService, type TradeOutcome, type TradingServiceOptions } from "./trading-service.ts";
export { TradingQueries, type HistoryFilter, type Page } from "./trading-queries.ts";
export { checkOrder, checkStops, checkVolume, openQuote, type CheckLimits, type PlaceOrderRequest } from "./order-checks.ts";
export { RiskFollowUp, type RiskActions, type RiskMonitorPort } from "./risk-follow-up.ts";
export { StrategyService, STRATEGY_LIMIT, type CreateStrategyInput } from "./strategy-service.ts";
export { tradingConfig, TRADING_DEFAULTS, type TradingSettings } from "./trading.config.ts";
