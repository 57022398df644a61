import { invalid, TIMEFRAME_MS, type Candle, type Tick } from "../../core/index.ts";
import type { MarketDataReader } from "../market-data/index.ts";
import type { ContextParams } from "./context.config.ts";
import { ContextState, QUOTE_MAX_AGE_MS } from "./context-state.ts";
import type { ContextTimeframe } from "./market-context.ts";
import { CONTEXT_TIMEFRAMES } from "./market-context.ts";

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** Throws `CORE_ERR_INVALID` unless `t` is a whole epoch millisecond (ranges are half-open in whole ms). */
export function requireInstant(t: number, name = "t"): number {
  if (!Number.isSafeInteger(t)) throw invalid(name, `must be an integer epoch time in ms, got ${t}`);
  return t;
}

/** Exclusive upper bound on the open time of the bars of `timeframe` that have closed by `t`. */
export function closedBefore(timeframe: ContextTimeframe, t: number): number {
  return t - TIMEFRAME_MS[timeframe] + 1;
}

/**
 * Reads from storage exactly what a live state would hold at `t`: per timeframe the last `warmBars` bars that
 * closed by `t` (for the volatility timeframe, also every bar of its window), and the quotes of the spread
 * window ending at the last quote at or before `t`.
 */
export class ContextLoader {
  constructor(
    private readonly reader: MarketDataReader,
    private readonly params: ContextParams,
  ) {}

  /** Bars of `timeframe` closed by `t`, oldest first, enough to warm its ATR (and fill the volatility window). */
  async bars(symbol: string, timeframe: ContextTimeframe, t: number): Promise<Candle[]> {
    const before = closedBefore(timeframe, t);
    if (timeframe !== this.params.volatilityTimeframe) return this.reader.lastCandles(symbol, timeframe, before, this.params.warmBars);
    // The window ends at the last closed bar, which may be days before `t` (weekends), so find it first.
    const last = (await this.reader.lastCandles(symbol, timeframe, before, 1))[0];
    if (last === undefined) return [];
    const windowStart = last.time - this.params.volatilityWindowDays * DAY_MS + 1;
    const [warm, window] = await Promise.all([
      this.reader.lastCandles(symbol, timeframe, windowStart, this.params.warmBars),
      this.reader.candles(symbol, timeframe, windowStart, before),
    ]);
    return warm.concat(window);
  }

  /** The quotes a streamed state would still hold at `t`, oldest first; empty when none is younger than a week. */
  async quotes(symbol: string, t: number): Promise<Tick[]> {
    const windowMs = this.params.spreadWindowMinutes * MINUTE_MS;
    const end = t + 1;
    let from = end - windowMs;
    let found = await this.collect(symbol, from, end);
    // Walk back to the last quote in growing steps (capped, so one step never drags in days of quotes), no
    // further than a quote can be and still count.
    let step = windowMs;
    while (found.length === 0 && from > t - QUOTE_MAX_AGE_MS) {
      step = Math.min(2 * step, 8 * windowMs);
      const earlier = Math.max(t - QUOTE_MAX_AGE_MS, from - step);
      found = await this.collect(symbol, earlier, from);
      from = earlier;
    }
    const last = found.at(-1);
    if (last === undefined) return [];
    const needFrom = last.time - windowMs + 1;
    if (needFrom < from) return (await this.collect(symbol, needFrom, from)).concat(found);
    let first = 0;
    while (found[first]!.time < needFrom) first++;
    return first === 0 ? found : found.slice(first);
  }

  /** A state holding everything available at `t`. */
  async stateAt(symbol: string, t: number, pipSize: number): Promise<ContextState> {
    requireInstant(t);
    const state = new ContextState(symbol, this.params, pipSize);
    const [ticks, ...bars] = await Promise.all([this.quotes(symbol, t), ...CONTEXT_TIMEFRAMES.map((tf) => this.bars(symbol, tf, t))]);
    CONTEXT_TIMEFRAMES.forEach((tf, k) => {
      for (const candle of bars[k]!) state.onBar(tf, candle);
    });
    for (const tick of ticks) state.onTick(tick);
    return state;
  }

  private async collect(symbol: string, fromMs: number, toMs: number): Promise<Tick[]> {
    const out: Tick[] = [];
    if (toMs <= fromMs) return out;
    for await (const tick of this.reader.ticks(symbol, fromMs, toMs)) out.push(tick);
    return out;
  }
}
