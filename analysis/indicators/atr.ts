import type { HlcBar, IndicatorStream } from "./indicator-stream.ts";
import { nanArray, requireLastBar, requirePeriod, requireSameLength } from "./indicator-input.ts";
import { trueRangeOf } from "./true-range.ts";

/** Bars before the first ATR value (TA-Lib: the period itself, since the first bar has no true range). */
export function atrLookback(period: number): number {
  return requirePeriod("period", period, 1);
}

/**
 * Writes Wilder's ATR into `out` from bar `period` on: the first value is the mean of the true ranges of
 * bars 1..period, then `atr = (atr·(period−1) + tr) / period` (TA_ATR, unstable period 0).
 */
export function atrInto(high: Float64Array, low: Float64Array, close: Float64Array, period: number, out: Float64Array): void {
  const n = close.length;
  if (n <= period) return;
  let sum = 0;
  for (let i = 1; i <= period; i++) sum += trueRangeOf(high[i]!, low[i]!, close[i - 1]!);
  let atr = sum / period;
  out[period] = atr;
  const keep = period - 1;
  for (let i = period + 1; i < n; i++) {
    atr = (atr * keep + trueRangeOf(high[i]!, low[i]!, close[i - 1]!)) / period;
    out[i] = atr;
  }
}

/** Average true range, Wilder smoothing, TA-Lib convention. NaN for the first `period` bars. */
export function atr(high: Float64Array, low: Float64Array, close: Float64Array, period = 14): Float64Array {
  atrLookback(period);
  const out = nanArray(requireSameLength(high, low, close), period);
  atrInto(high, low, close, period, out);
  return out;
}

/** Streaming Wilder ATR. */
export class AtrStream implements IndicatorStream<HlcBar> {
  readonly lookback: number;
  readonly period: number;
  private n = 0;
  private prevClose = Number.NaN;
  private lastClose = Number.NaN;
  private sum = 0;
  private atr = Number.NaN;
  private savedSum = 0;
  private savedAtr = Number.NaN;

  constructor(period = 14) {
    this.lookback = atrLookback(period);
    this.period = period;
  }

  get count(): number {
    return this.n;
  }
  get ready(): boolean {
    return this.n > this.lookback;
  }
  get value(): number {
    return this.atr;
  }

  update(bar: HlcBar): void {
    this.prevClose = this.lastClose;
    this.savedSum = this.sum;
    this.savedAtr = this.atr;
    this.step(bar);
    this.n++;
  }

  replaceLast(bar: HlcBar): void {
    requireLastBar(this.n);
    this.sum = this.savedSum;
    this.atr = this.savedAtr;
    this.n--;
    this.step(bar);
    this.n++;
  }

  reset(): void {
    this.n = 0;
    this.prevClose = Number.NaN;
    this.lastClose = Number.NaN;
    this.sum = 0;
    this.savedSum = 0;
    this.atr = Number.NaN;
    this.savedAtr = Number.NaN;
  }

  private step(bar: HlcBar): void {
    this.lastClose = bar.close;
    if (this.n === 0) return;
    const tr = trueRangeOf(bar.high, bar.low, this.prevClose);
    if (this.n < this.period) {
      this.sum += tr;
    } else if (this.n === this.period) {
      this.atr = (this.sum + tr) / this.period;
    } else {
      this.atr = (this.atr * (this.period - 1) + tr) / this.period;
    }
  }
}
