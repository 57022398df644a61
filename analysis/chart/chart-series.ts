import { invalid, type Candle } from "../../core/index.ts";
import type { Ohlc } from "./candle-average.ts";

/** Bars as columns, with their open times (epoch ms). */
export interface ChartSeries extends Ohlc {
  readonly time: Float64Array;
}

/** Columns of `candles`, which must be in ascending time order. */
export function toSeries(candles: readonly Candle[]): ChartSeries {
  const n = candles.length;
  const s = { time: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const c = candles[i]!;
    if (i > 0 && !(c.time > candles[i - 1]!.time)) throw invalid("candles", `must be in ascending time order (bar ${i})`);
    s.time[i] = c.time;
    s.open[i] = c.open;
    s.high[i] = c.high;
    s.low[i] = c.low;
    s.close[i] = c.close;
  }
  return s;
}

/** Percent of the finite values of `values` at or below `x` (100 = the highest); null when none is finite. */
export function percentileRank(values: Float64Array, x: number): number | null {
  let count = 0;
  let atOrBelow = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    count++;
    if (v <= x) atOrBelow++;
  }
  return count === 0 || !Number.isFinite(x) ? null : (100 * atOrBelow) / count;
}

/** Clamps to [0, 1]. */
export function unit(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}
