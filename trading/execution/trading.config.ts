import { field, type SectionValue } from "../../core/index.ts";

/** Execution and broker-session settings. */
export const tradingConfig = {
  paperReplaySpeed: field.number(
    "TRD_PAPER_REPLAY_SPEED",
    "Speed at which paper accounts replay their recorded prices once connected (1 = recorded speed); 0 leaves venue time to be driven by hand (tests, replays).",
    { default: 1, min: 0, max: 10_000 },
  ),
  marketClosedAfterMs: field.int("TRD_MARKET_CLOSED_AFTER_MS", "An order is refused as 'market closed' when the symbol's last quote is older than this (venue time).", {
    default: 600_000,
    min: 1_000,
  }),
  equityCheckMs: field.int("TRD_EQUITY_CHECK_MS", "How often a connected account's equity is read for the risk monitor between broker account events; 0 turns the poll off.", {
    default: 10_000,
    min: 0,
  }),
  maxPriceDistance: field.number("TRD_MAX_PRICE_DISTANCE", "Largest accepted distance of a pending price or SL/TP from the market, as a fraction of the price (absurd prices are refused).", {
    default: 0.5,
    min: 0.001,
    max: 10,
  }),
};

/** The loaded values of `tradingConfig`. */
export type TradingSettings = SectionValue<typeof tradingConfig>;

/** The configured defaults, for callers that build the trading service without loading configuration. */
export const TRADING_DEFAULTS: TradingSettings = {
  paperReplaySpeed: tradingConfig.paperReplaySpeed.default!,
  marketClosedAfterMs: tradingConfig.marketClosedAfterMs.default!,
  equityCheckMs: tradingConfig.equityCheckMs.default!,
  maxPriceDistance: tradingConfig.maxPriceDistance.default!,
};
