import type { Candle, Tick, Timeframe } from "../../core/index.ts";

/**
 * Read access to stored market data, in time order, half-open ranges [fromMs, toMs). The import side
 * implements it over the database; the market context, analysis and the paper venue consume it.
 */
export interface MarketDataReader {
  /** Candles whose open time lies in [fromMs, toMs), ascending, at most `limit` (default: all). */
  candles(symbol: string, timeframe: Timeframe, fromMs: number, toMs: number, limit?: number): Promise<Candle[]>;
  /** The `count` most recent candles that opened before `beforeMs`, ascending. */
  lastCandles(symbol: string, timeframe: Timeframe, beforeMs: number, count: number): Promise<Candle[]>;
  /** Ticks in [fromMs, toMs), ascending by time then arrival order; pages through large ranges lazily. */
  ticks(symbol: string, fromMs: number, toMs: number): AsyncIterable<Tick>;
  /** First and last stored times for a symbol's ticks and candles, or null when there are none. */
  coverage(symbol: string): Promise<{ ticks: { from: number; to: number } | null; candles: Partial<Record<Timeframe, { from: number; to: number }>> }>;
  /** Symbols with any stored data. */
  symbols(): Promise<string[]>;
}
