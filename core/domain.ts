import type { Decimal } from "./decimal.ts";

/** Trade direction as brokers use it. */
export type Side = "BUY" | "SELL";

/** Where a trade intent came from; every source passes the same SRM decision. */
export type IntentSource = "COPY" | "MANUAL" | "STRATEGY";

/** Bar timeframes the service stores and resamples to. */
export const TIMEFRAMES = ["M1", "M5", "M15", "M30", "H1", "H4", "D1"] as const;
export type Timeframe = (typeof TIMEFRAMES)[number];

export const TIMEFRAME_MS: Readonly<Record<Timeframe, number>> = {
  M1: 60_000,
  M5: 300_000,
  M15: 900_000,
  M30: 1_800_000,
  H1: 3_600_000,
  H4: 14_400_000,
  D1: 86_400_000,
};

/** A bar; `time` is the bar's open in epoch ms UTC. Hot paths use numbers; storage uses Decimal. */
export interface Candle {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  /** Spread at the bar's close in price units, when the source has it. */
  spread?: number;
}

/** A quote with the source's time and our receive time (two timestamps on every market event). */
export interface Tick {
  time: number;
  receivedAt?: number;
  bid: number;
  ask: number;
}

/** What a symbol is and how it may be traded, as the broker states it. */
export interface SymbolSpec {
  symbol: string;
  digits: number;
  /** Size of one pip in price units (0.0001 for EURUSD, 0.01 for USDJPY and XAUUSD). */
  pipSize: number;
  contractSize: number;
  minVolume: Decimal;
  maxVolume: Decimal;
  volumeStep: Decimal;
  /** Fraction of notional held as margin (1 / leverage for FX at most brokers). */
  marginRate: number;
  quoteCurrency: string;
  baseCurrency?: string;
}

/**
 * A request to trade, from any source, before SRM has looked at it. Prices and volumes are exact decimals;
 * `signalTime` is when the source produced it and `receivedAt` when Riskloop received it.
 */
export interface TradeIntent {
  id: string;
  source: IntentSource;
  /** Unique per source event (master deal id + slave, client request id, strategy bar): makes retries harmless. */
  dedupKey: string;
  accountId: string;
  symbol: string;
  side: Side;
  kind: "OPEN" | "CLOSE" | "CLOSE_PARTIAL" | "MODIFY";
  volume: Decimal;
  /** Reference price at the source (master fill, quote seen by the user); undefined for market-at-best. A MODIFY of a pending order: its new price. */
  price?: Decimal;
  stopLoss?: Decimal;
  takeProfit?: Decimal;
  /** MODIFY: levels taken away (the master removed its SL or TP); a level cannot be both set and removed. */
  removeLevels?: ("stopLoss" | "takeProfit")[];
  providerId?: string;
  /** The position an exit or modification applies to (Riskloop's position id). */
  positionId?: string;
  copyLinkId?: string;
  strategyId?: string;
  masterAccountId?: string;
  masterDealId?: string;
  masterPositionId?: string;
  signalTime: number;
  receivedAt: number;
  /** Seconds after `signalTime` beyond which the signal is stale. */
  ttlSeconds?: number;
  comment?: string;
}

export type Role = "USER" | "QUANT" | "ADMIN";
export type Plan = "FREE" | "PRO" | "ENTERPRISE";

/** The authenticated caller of an API route or CLI command; ownership checks are made against it. */
export interface Actor {
  id: string;
  role: Role;
  plan: Plan;
}

/** The `where` fragment that limits a query to rows the actor owns (admins see everything). */
export function ownedBy(actor: Actor): { userId?: string } {
  return actor.role === "ADMIN" ? {} : { userId: actor.id };
}
