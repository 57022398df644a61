export { contextConfig, DEFAULT_CONTEXT_PARAMS, type ContextParams } from "./context.config.ts";
export {
  CONTEXT_TIMEFRAMES,
  type AtrReading,
  type ContextTimeframe,
  type DataQuality,
  type MarketContext,
  type SessionReading,
  type SpreadReading,
  type VolatilityReading,
  type WarmingPart,
} from "./market-context.ts";
export { ContextState, QUOTE_MAX_AGE_MS } from "./context-state.ts";
export { ContextLoader, closedBefore, requireInstant } from "./context-loader.ts";
export { MarketContextService, type MarketContextServiceOptions } from "./market-context-service.ts";
export { RollingDistribution } from "./rolling-distribution.ts";
