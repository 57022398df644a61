import { TIMEFRAME_MS, type Candle, type Tick, type Timeframe } from "../../core/index.ts";
import type { MarketDataReader } from "../market-data/index.ts";

/**
 * Test kit only (not exported from the area): a `MarketDataReader` over sorted arrays, with the same
 * half-open range semantics as the database reader, so unit tests and benchmarks need no database.
 */
export interface SymbolData {
  candles: Partial<Record<Timeframe, Candle[]>>;
  ticks: Tick[];
}

/** First index in `items` (sorted by `time`) whose time is at least `t`. */
function lowerBound(items: readonly { time: number }[], t: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid]!.time < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class InMemoryMarketData implements MarketDataReader {
  /** Bars fetched and ticks yielded so far, to show how much a caller reads. */
  reads = { candles: 0, ticks: 0 };

  constructor(private readonly data: ReadonlyMap<string, SymbolData>) {}

  static of(symbol: string, data: SymbolData): InMemoryMarketData {
    return new InMemoryMarketData(new Map([[symbol, data]]));
  }

  /** Only what was available at `t`: bars closed by then and quotes stamped at or before it. */
  truncatedAt(t: number): InMemoryMarketData {
    const out = new Map<string, SymbolData>();
    for (const [symbol, d] of this.data) {
      const candles: Partial<Record<Timeframe, Candle[]>> = {};
      for (const [tf, list] of Object.entries(d.candles) as [Timeframe, Candle[]][]) {
        candles[tf] = list.slice(0, lowerBound(list, t - TIMEFRAME_MS[tf] + 1));
      }
      out.set(symbol, { candles, ticks: d.ticks.slice(0, lowerBound(d.ticks, t + 1)) });
    }
    return new InMemoryMarketData(out);
  }

  async candles(symbol: string, timeframe: Timeframe, fromMs: number, toMs: number, limit?: number): Promise<Candle[]> {
    const list = this.data.get(symbol)?.candles[timeframe] ?? [];
    const from = lowerBound(list, fromMs);
    const to = Math.max(from, Math.min(lowerBound(list, toMs), from + (limit ?? list.length)));
    this.reads.candles += to - from;
    return list.slice(from, to);
  }

  async lastCandles(symbol: string, timeframe: Timeframe, beforeMs: number, count: number): Promise<Candle[]> {
    const list = this.data.get(symbol)?.candles[timeframe] ?? [];
    const to = lowerBound(list, beforeMs);
    const from = Math.max(0, to - count);
    this.reads.candles += to - from;
    return list.slice(from, to);
  }

  async *ticks(symbol: string, fromMs: number, toMs: number): AsyncIterable<Tick> {
    const list = this.data.get(symbol)?.ticks ?? [];
    for (let i = lowerBound(list, fromMs); i < list.length && list[i]!.time < toMs; i++) {
      this.reads.ticks++;
      yield list[i]!;
    }
  }

  async coverage(symbol: string): Promise<{ ticks: { from: number; to: number } | null; candles: Partial<Record<Timeframe, { from: number; to: number }>> }> {
    const d = this.data.get(symbol);
    const span = (list: readonly { time: number }[]) => (list.length === 0 ? null : { from: list[0]!.time, to: list.at(-1)!.time });
    const candles: Partial<Record<Timeframe, { from: number; to: number }>> = {};
    for (const [tf, list] of Object.entries(d?.candles ?? {}) as [Timeframe, Candle[]][]) {
      const s = span(list);
      if (s) candles[tf] = s;
    }
    return { ticks: span(d?.ticks ?? []), candles };
  }

  async symbols(): Promise<string[]> {
    return [...this.data.keys()];
  }
}
