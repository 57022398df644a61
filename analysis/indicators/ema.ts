import type { CloseBar, IndicatorStream } from "./indicator-stream.ts";
import { nanArray, requireLastBar, requirePeriod } from "./indicator-input.ts";

/** Bars before the first EMA value. */
export function emaLookback(period: number): number {
  return requirePeriod("period", period, 2) - 1;
}

/**
 * Exponential moving average as TA-Lib computes it (default compatibility): seeded with the simple mean of
 * the first `period` values, then `ema += (x − ema) · 2/(period+1)`. NaN for the first `period − 1` bars.
 */
export function ema(values: Float64Array, period = 20): Float64Array {
  const first = emaLookback(period);
  const n = values.length;
  const out = nanArray(n, first);
  if (n <= first) return out;
  const k = 2 / (period + 1);
  let sum = 0;
  for (let i = 0; i < first; i++) sum += values[i]!;
  let value = (sum + values[first]!) / period;
  out[first] = value;
  for (let i = first + 1; i < n; i++) {
    value = (values[i]! - value) * k + value;
    out[i] = value;
  }
  return out;
}

/** Streaming EMA; feeds on `bar.close`, or on any series through `updateValue`. */
export class EmaStream implements IndicatorStream<CloseBar> {
  readonly lookback: number;
  readonly period: number;
  private readonly k: number;
  private n = 0;
  private sum = 0;
  private ema = Number.NaN;
  private savedSum = 0;
  private savedEma = Number.NaN;

  constructor(period = 20) {
    this.lookback = emaLookback(period);
    this.period = period;
    this.k = 2 / (period + 1);
  }

  get count(): number {
    return this.n;
  }
  get ready(): boolean {
    return this.n > this.lookback;
  }
  get value(): number {
    return this.ema;
  }

  update(bar: CloseBar): void {
    this.updateValue(bar.close);
  }
  replaceLast(bar: CloseBar): void {
    this.replaceLastValue(bar.close);
  }

  /** Adds the next value of the series. */
  updateValue(x: number): void {
    this.savedSum = this.sum;
    this.savedEma = this.ema;
    this.step(x);
    this.n++;
  }

  /** Replaces the latest value of the series. */
  replaceLastValue(x: number): void {
    requireLastBar(this.n);
    this.sum = this.savedSum;
    this.ema = this.savedEma;
    this.n--;
    this.step(x);
    this.n++;
  }

  reset(): void {
    this.n = 0;
    this.sum = 0;
    this.savedSum = 0;
    this.ema = Number.NaN;
    this.savedEma = Number.NaN;
  }

  private step(x: number): void {
    if (this.n < this.lookback) {
      this.sum += x;
    } else if (this.n === this.lookback) {
      this.ema = (this.sum + x) / this.period;
    } else {
      this.ema = (x - this.ema) * this.k + this.ema;
    }
  }
}
