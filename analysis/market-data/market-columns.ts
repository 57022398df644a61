import type { Candle, Tick } from "../../core/index.ts";

/** Bars as columns (typed arrays of equal length); `spread` is NaN where unknown. */
export interface CandleColumns {
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  spread: Float64Array;
}

/** Quotes as columns; `seq` orders quotes that share a timestamp; volumes are NaN where unknown. */
export interface TickColumns {
  time: Float64Array;
  seq: Int32Array;
  bid: Float64Array;
  ask: Float64Array;
  bidVolume: Float64Array;
  askVolume: Float64Array;
}

export function allocCandleColumns(n: number): CandleColumns {
  const f = () => new Float64Array(n);
  return { time: f(), open: f(), high: f(), low: f(), close: f(), volume: f(), spread: f() };
}

export function allocTickColumns(n: number): TickColumns {
  const f = () => new Float64Array(n);
  return { time: f(), seq: new Int32Array(n), bid: f(), ask: f(), bidVolume: f(), askVolume: f() };
}

/** The first `n` rows of each column (views, not copies). */
export function headColumns<T extends CandleColumns | TickColumns>(cols: T, n: number): T {
  const out: Record<string, Float64Array | Int32Array> = {};
  for (const [k, v] of Object.entries(cols) as [string, Float64Array | Int32Array][]) out[k] = v.subarray(0, n);
  return out as unknown as T;
}

/** The rows from the first one at or after `fromMs` (views, not copies); columns must be in time order. */
export function columnsFrom<T extends CandleColumns | TickColumns>(cols: T, fromMs: number): T {
  let lo = 0;
  let hi = cols.time.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cols.time[mid]! < fromMs) lo = mid + 1;
    else hi = mid;
  }
  const out: Record<string, Float64Array | Int32Array> = {};
  for (const [k, v] of Object.entries(cols) as [string, Float64Array | Int32Array][]) out[k] = v.subarray(lo);
  return out as unknown as T;
}

/** Joins column batches into one set of columns. */
export function concatColumns<T extends CandleColumns | TickColumns>(parts: readonly T[]): T {
  if (parts.length === 1) return parts[0]!;
  const first = parts[0];
  if (!first) throw new Error("concatColumns needs at least one part");
  const n = parts.reduce((s, p) => s + p.time.length, 0);
  const out: Record<string, Float64Array | Int32Array> = {};
  for (const key of Object.keys(first)) {
    const target = key === "seq" ? new Int32Array(n) : new Float64Array(n);
    let at = 0;
    for (const p of parts) {
      const src = (p as unknown as Record<string, Float64Array | Int32Array>)[key]!;
      target.set(src, at);
      at += src.length;
    }
    out[key] = target;
  }
  return out as unknown as T;
}

/** Columns to core candles (spread omitted where unknown). */
export function candlesFromColumns(cols: CandleColumns): Candle[] {
  const out: Candle[] = new Array(cols.time.length);
  for (let i = 0; i < out.length; i++) {
    const c: Candle = { time: cols.time[i]!, open: cols.open[i]!, high: cols.high[i]!, low: cols.low[i]!, close: cols.close[i]!, volume: cols.volume[i]! };
    if (!Number.isNaN(cols.spread[i]!)) c.spread = cols.spread[i]!;
    out[i] = c;
  }
  return out;
}

/** Core candles to columns. */
export function columnsFromCandles(candles: readonly Candle[]): CandleColumns {
  const cols = allocCandleColumns(candles.length);
  candles.forEach((c, i) => {
    cols.time[i] = c.time;
    cols.open[i] = c.open;
    cols.high[i] = c.high;
    cols.low[i] = c.low;
    cols.close[i] = c.close;
    cols.volume[i] = c.volume;
    cols.spread[i] = c.spread ?? Number.NaN;
  });
  return cols;
}

/** Core ticks to columns; equal timestamps get `seq` 0, 1, 2 … in the given order. */
export function columnsFromTicks(ticks: readonly Tick[]): TickColumns {
  const cols = allocTickColumns(ticks.length);
  let seq = 0;
  ticks.forEach((t, i) => {
    seq = i > 0 && ticks[i - 1]!.time === t.time ? seq + 1 : 0;
    cols.time[i] = t.time;
    cols.seq[i] = seq;
    cols.bid[i] = t.bid;
    cols.ask[i] = t.ask;
    cols.bidVolume[i] = Number.NaN;
    cols.askVolume[i] = Number.NaN;
  });
  return cols;
}
