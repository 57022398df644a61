import type { CandleAverage, CandleSetting, Ohlc } from "./candle-average.ts";
import { Bars, CandleAverage as Average } from "./candle-average.ts";

/**
 * One candlestick pattern as TA-Lib defines it: the averages it compares against (each judged `shift` bars
 * back), its lookback, and the test of bar `i` with those averages, returning TA-Lib's integer (±100, ±80, 0).
 */
export interface CandlePattern {
  /** Our name, e.g. `ENGULFING`. */
  readonly name: string;
  /** The TA-Lib function it reproduces, e.g. `CDLENGULFING`. */
  readonly talib: string;
  /** Candles the pattern spans (1 to 3). */
  readonly span: number;
  /** Bars before the first output, as TA-Lib's `_Lookback` function returns it. */
  readonly lookback: number;
  readonly averages: readonly (readonly [CandleSetting, number])[];
  judge(b: Bars, i: number, avg: readonly CandleAverage[]): number;
}

/**
 * Runs a pattern over a series: zero in the lookback, then TA-Lib's value bar by bar. Each average is moved
 * after its bar is judged, exactly as TA-Lib's loop does.
 */
export function scanPattern(pattern: CandlePattern, ohlc: Ohlc): Int32Array {
  const bars = new Bars(ohlc);
  const n = bars.length;
  const out = new Int32Array(n);
  const start = pattern.lookback;
  if (n <= start) return out;
  const avg = pattern.averages.map(([setting, shift]) => new Average(bars, setting, start, shift));
  for (let i = start; i < n; i++) {
    out[i] = pattern.judge(bars, i, avg);
    for (const a of avg) a.advance(i);
  }
  return out;
}
