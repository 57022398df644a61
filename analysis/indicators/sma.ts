import type { CloseBar, IndicatorStream } from "./indicator-stream.ts";
import { nanArray, requireLastBar, requirePeriod } from "./indicator-input.ts";

/** Bars before the first SMA value. */
export function smaLookback(period: number): number {
  return requirePeriod("period", period, 1) - 1;
}

/**
 * Simple moving average, TA-Lib's running-total algorithm (same additions in the same order, so the
 * output is bit-identical to TA_SMA). NaN for the first `period - 1` bars.
 */
export function sma(values: Float64Array, period = 20): Float64Array {
  const lookback = smaLookback(period);
  const n = values.length;
  const out = nanArray(n, lookback);
  if (n <= lookback) return out;
  let total = 0;
  for (let i = 0; i < lookback; i++) total += values[i]!;
  for (let i = lookback, trailing = 0; i < n; i++, trailing++) {
    const withNew = total + values[i]!;
    out[i] = withNew / period;
    total = withNew - values[trailing]!;
  }
  return out;
}

/** Streaming SMA; feeds on `bar.close`, or on any series through `updateValue`. */
export class SmaStream implements IndicatorStream<CloseBar> {
  readonly lookback: number;
  readonly period: number;
  // One slot more than the window: the value leaving the window survives until the next bar, so
  // `replaceLast` can redo the step.
  private readonly window: Float64Array;
  private slot = 0;
  private total = 0;
  private n = 0;
  private out = Number.NaN;
  private savedTotal = 0;

  constructor(period = 20) {
    this.lookback = smaLookback(period);
    this.period = period;
    this.window = new Float64Array(period + 1);
  }

  get count(): number {
    return this.n;
  }
  get ready(): boolean {
    return this.n > this.lookback;
  }
  get value(): number {
    return this.out;
  }

  update(bar: CloseBar): void {
    this.updateValue(bar.close);
  }
  replaceLast(bar: CloseBar): void {
    this.replaceLastValue(bar.close);
  }

  /** Adds the next value of the series. */
  updateValue(x: number): void {
    this.savedTotal = this.total;
    this.step(x);
    this.advance();
  }

  /** Replaces the latest value of the series. */
  replaceLastValue(x: number): void {
    requireLastBar(this.n);
    this.total = this.savedTotal;
    this.n--;
    this.slot = (this.slot === 0 ? this.window.length : this.slot) - 1;
    this.step(x);
    this.advance();
  }

  reset(): void {
    this.total = 0;
    this.savedTotal = 0;
    this.n = 0;
    this.slot = 0;
    this.out = Number.NaN;
  }

  private advance(): void {
    this.n++;
    if (++this.slot === this.window.length) this.slot = 0;
  }

  private step(x: number): void {
    this.window[this.slot] = x;
    if (this.n < this.lookback) {
      this.total += x;
      return;
    }
    const withNew = this.total + x;
    this.out = withNew / this.period;
    // Bar n − period + 1 leaves the window; with period + 1 slots it sits two slots ahead.
    let trailing = this.slot + 2;
    if (trailing >= this.window.length) trailing -= this.window.length;
    this.total = withNew - this.window[trailing]!;
  }
}
