import { field, type SectionValue } from "../../core/index.ts";

/** Defaults of every paper account; an account's own `paperSettings` override them. */
export const paperConfig = {
  initialBalance: field.number("PAPER_INITIAL_BALANCE", "Deposit of a new paper account, in the account currency.", { default: 10_000, min: 0 }),
  latencyMs: field.int("PAPER_LATENCY_MS", "Fixed latency of market requests on paper accounts without a latency model of their own.", {
    default: 100,
    min: 0,
  }),
  commissionPerLot: field.number("PAPER_COMMISSION_PER_LOT", "Commission per lot and side, in the account currency.", { default: 0, min: 0 }),
  stopOutLevel: field.number("PAPER_STOP_OUT_LEVEL", "Margin level (percent) below which the venue closes the biggest losing position.", {
    default: 50,
    min: 0,
  }),
  marketClosedAfterMs: field.int("PAPER_MARKET_CLOSED_AFTER_MS", "A symbol without a quote for this long counts as closed (weekends, holidays).", {
    default: 600_000,
    min: 1_000,
  }),
};

export type PaperConfig = SectionValue<typeof paperConfig>;

/** The configured defaults, for callers that build a venue without loading configuration. */
export const PAPER_DEFAULTS: PaperConfig = {
  initialBalance: paperConfig.initialBalance.default!,
  latencyMs: paperConfig.latencyMs.default!,
  commissionPerLot: paperConfig.commissionPerLot.default!,
  stopOutLevel: paperConfig.stopOutLevel.default!,
  marketClosedAfterMs: paperConfig.marketClosedAfterMs.default!,
};
