import type { Candle, Tick, Timeframe } from "../../../core/index.ts";
import type { MarketDataReader } from "../../../analysis/market-data/index.ts";

/** First index whose time is at or after `t` in a time-sorted array. */
function lowerBound(rows: readonly { time: number }[], t: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid]!.time < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Test kit: a MarketDataReader over in-memory arrays (real ticks and bars read from ../shared/data, or a few
 * hand-made quotes), with the database reader's contract: half-open ranges, ascending, ticks as an async stream.
 */
export class ArrayMarketDataReader implements MarketDataReader {
  readonly #ticks = new Map<string, Tick[]>();
  readonly #bars = new Map<string, Candle[]>();
  /** Counts `ticks()` and `candles()` calls, so tests can see the replay read lazily. */
  reads = 0;

  constructor(data: { ticks?: Record<string, Tick[]>; m1?: Record<string, Candle[]> }) {
    for (const [s, rows] of Object.entries(data.ticks ?? {})) this.#ticks.set(s, rows);
    for (const [s, rows] of Object.entries(data.m1 ?? {})) this.#bars.set(s, rows);
  }

  async candles(symbol: string, timeframe: Timeframe, fromMs: number, toMs: number, limit?: number): Promise<Candle[]> {
    this.reads++;
    if (timeframe !== "M1") return [];
    const rows = this.#bars.get(symbol) ?? [];
    const out = rows.slice(lowerBound(rows, fromMs), lowerBound(rows, toMs));
    return limit === undefined ? out : out.slice(0, limit);
  }

  async lastCandles(symbol: string, timeframe: Timeframe, beforeMs: number, count: number): Promise<Candle[]> {
    if (timeframe !== "M1") return [];
    const rows = this.#bars.get(symbol) ?? [];
    const end = lowerBound(rows, beforeMs);
    return rows.slice(Math.max(0, end - count), end);
  }

  async *ticks(symbol: string, fromMs: number, toMs: number): AsyncIterable<Tick> {
    this.reads++;
    const rows = this.#ticks.get(symbol) ?? [];
    for (let i = lowerBound(rows, fromMs); i < rows.length && rows[i]!.time < toMs; i++) yield rows[i]!;
  }

  async coverage(symbol: string): Promise<{ ticks: { from: number; to: number } | null; candles: Partial<Record<Timeframe, { from: number; to: number }>> }> {
    const span = (rows: readonly { time: number }[] | undefined) => (rows && rows.length > 0 ? { from: rows[0]!.time, to: rows.at(-1)!.time } : null);
    const m1 = span(this.#bars.get(symbol));
    return { ticks: span(this.#ticks.get(symbol)), candles: m1 ? { M1: m1 } : {} };
  }

  async symbols(): Promise<string[]> {
    return [...new Set([...this.#ticks.keys(), ...this.#bars.keys()])].sort();
  }
}
