import { invalid, TIMEFRAME_MS, type Timeframe } from "../../core/index.ts";
import { resolveTimeZone, type TimeZone } from "./formats/time-zone.ts";
import { allocCandleColumns, headColumns, type CandleColumns, type TickColumns } from "./market-columns.ts";

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** Where a D1 bar starts: a wall-clock minute of the day in a zone. */
export interface DayStart {
  /** Zone spec as for imports (`UTC`, `America/New_York`, `+02:00`). */
  zone: string;
  /** Minutes after local midnight. */
  minuteOfDay: number;
}

/** D1 bars from 00:00 UTC (the default). */
export const UTC_MIDNIGHT: DayStart = { zone: "UTC", minuteOfDay: 0 };
/** D1 bars from 17:00 New York (the FX "New York close"), 21:00 or 22:00 UTC depending on US DST. */
export const NEW_YORK_CLOSE: DayStart = { zone: "America/New_York", minuteOfDay: 17 * 60 };

export interface ResampleOptions {
  /** Start of D1 bars. @defaultValue UTC_MIDNIGHT */
  dayStart?: DayStart;
}

/** The function from a time to the open of the bar of `timeframe` containing it (UTC-aligned below D1). */
export function bucketOf(timeframe: Timeframe, dayStart: DayStart = UTC_MIDNIGHT): (t: number) => number {
  const ms = TIMEFRAME_MS[timeframe];
  if (timeframe !== "D1") return (t) => Math.floor(t / ms) * ms;
  const zone: TimeZone = resolveTimeZone(dayStart.zone);
  const shift = dayStart.minuteOfDay * MINUTE_MS;
  return (t) => {
    const wall = t + zone.offsetMinutes(t) * MINUTE_MS;
    return zone.toUtc(Math.floor((wall - shift) / DAY_MS) * DAY_MS + shift);
  };
}

/** Grows bars one source row at a time; a row whose bucket differs from the current bar starts a new bar. */
class BarBuilder {
  private cols: CandleColumns;
  private n = 0;

  constructor(capacity: number) {
    this.cols = allocCandleColumns(Math.max(16, capacity));
  }

  add(bucket: number, open: number, high: number, low: number, close: number, volume: number, spread: number): void {
    const c = this.cols;
    const last = this.n - 1;
    if (last >= 0 && c.time[last] === bucket) {
      if (high > c.high[last]!) c.high[last] = high;
      if (low < c.low[last]!) c.low[last] = low;
      c.close[last] = close;
      c.volume[last]! += volume;
      c.spread[last] = spread;
      return;
    }
    if (last >= 0 && bucket < c.time[last]!) throw invalid("time", `input is not in ascending time order at ${new Date(bucket).toISOString()}`);
    if (this.n === c.time.length) this.grow();
    const g = this.cols;
    const i = this.n++;
    g.time[i] = bucket;
    g.open[i] = open;
    g.high[i] = high;
    g.low[i] = low;
    g.close[i] = close;
    g.volume[i] = volume;
    g.spread[i] = spread;
  }

  finish(): CandleColumns {
    return headColumns(this.cols, this.n);
  }

  private grow(): void {
    const bigger = allocCandleColumns(this.cols.time.length * 2);
    for (const k of Object.keys(bigger) as (keyof CandleColumns)[]) bigger[k].set(this.cols[k]);
    this.cols = bigger;
  }
}

/**
 * Bars of a larger timeframe from smaller ones (e.g. M1 → H1): open of the first, high/low extremes, close
 * and spread of the last, summed volume. Only periods with input bars get a bar: weekends and gaps stay gaps.
 */
export function resampleCandles(bars: CandleColumns, to: Timeframe, opts: ResampleOptions = {}): CandleColumns {
  const bucket = bucketOf(to, opts.dayStart);
  const n = bars.time.length;
  const out = new BarBuilder(Math.ceil(n / (TIMEFRAME_MS[to] / MINUTE_MS)) + 1);
  for (let i = 0; i < n; i++) {
    out.add(bucket(bars.time[i]!), bars.open[i]!, bars.high[i]!, bars.low[i]!, bars.close[i]!, bars.volume[i]!, bars.spread[i]!);
  }
  return out.finish();
}

/** Which price of a quote makes the bar. */
export type TickPrice = "bid" | "mid";

/**
 * Streams ticks into M1 bars (OHLC of the bid, or of the mid; volume = tick count; spread = ask − bid at the
 * bar's last tick). Feed batches in time order, then call `finish()`.
 */
export class TickBarBuilder {
  private readonly builder: BarBuilder;

  constructor(
    private readonly price: TickPrice = "bid",
    capacity = 1024,
  ) {
    this.builder = new BarBuilder(capacity);
  }

  push(ticks: TickColumns): void {
    const mid = this.price === "mid";
    for (let i = 0; i < ticks.time.length; i++) {
      const bid = ticks.bid[i]!;
      const ask = ticks.ask[i]!;
      const p = mid ? (bid + ask) / 2 : bid;
      this.builder.add(Math.floor(ticks.time[i]! / MINUTE_MS) * MINUTE_MS, p, p, p, p, 1, ask - bid);
    }
  }

  finish(): CandleColumns {
    return this.builder.finish();
  }
}

/** M1 bars from ticks (see TickBarBuilder). */
export function resampleTicks(ticks: TickColumns, price: TickPrice = "bid"): CandleColumns {
  const b = new TickBarBuilder(price, Math.ceil(ticks.time.length / 20) + 1);
  b.push(ticks);
  return b.finish();
}
