import type { CloseBar, IndicatorStream } from "./indicator-stream.ts";
import { nanArray, requireFinite, requireLastBar, requirePeriod } from "./indicator-input.ts";

/** Bars before the first standard deviation. */
export function stddevLookback(period: number): number {
  return requirePeriod("period", period, 2) - 1;
}

// TA-Lib's variance is E[x²] − E[x]² from running totals; it reports 0 below 1e-14 (TA_IS_ZERO_OR_NEG).
function deviationOf(variance: number): number {
  return variance < 1e-14 ? 0 : Math.sqrt(variance);
}

/**
 * Writes the rolling mean and population standard deviation (before any multiplier) from bar
 * `period − 1` on, with TA-Lib's running totals added and removed in its order, so both equal TA_SMA and
 * TA_STDDEV bit for bit. `mean` may be null when only the deviation is wanted.
 */
export function meanDeviationInto(values: Float64Array, period: number, mean: Float64Array | null, deviation: Float64Array): void {
  const n = values.length;
  const lookback = period - 1;
  if (n <= lookback) return;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < lookback; i++) {
    const x = values[i]!;
    sum += x;
    sumSq += x * x;
  }
  for (let i = lookback, trailing = 0; i < n; i++, trailing++) {
    const x = values[i]!;
    sum += x;
    sumSq += x * x;
    const m = sum / period;
    const variance = sumSq / period - m * m;
    const old = values[trailing]!;
    sum -= old;
    sumSq -= old * old;
    if (mean) mean[i] = m;
    deviation[i] = deviationOf(variance);
  }
}

/** Rolling population standard deviation times `deviations` (TA_STDDEV). NaN for the first `period − 1` bars. */
export function stddev(values: Float64Array, period = 20, deviations = 1): Float64Array {
  stddevLookback(period);
  requireFinite("deviations", deviations);
  const out = nanArray(values.length, period - 1);
  meanDeviationInto(values, period, null, out);
  if (deviations !== 1) for (let i = period - 1; i < out.length; i++) out[i] = out[i]! * deviations;
  return out;
}

/** Streaming population standard deviation; `mean` is the matching SMA. */
export class StddevStream implements IndicatorStream<CloseBar> {
  readonly lookback: number;
  readonly period: number;
  private readonly deviations: number;
  private readonly window: Float64Array;
  private slot = 0;
  private n = 0;
  private sum = 0;
  private sumSq = 0;
  private savedSum = 0;
  private savedSumSq = 0;
  private m = Number.NaN;
  private sd = Number.NaN;

  constructor(period = 20, deviations = 1) {
    this.lookback = stddevLookback(period);
    this.period = period;
    this.deviations = requireFinite("deviations", deviations);
    this.window = new Float64Array(period + 1);
  }

  get count(): number {
    return this.n;
  }
  get ready(): boolean {
    return this.n > this.lookback;
  }
  get value(): number {
    return this.deviations === 1 ? this.sd : this.sd * this.deviations;
  }
  /** The population standard deviation without the multiplier. */
  get deviation(): number {
    return this.sd;
  }
  /** The rolling mean over the same window (equal to the SMA). */
  get mean(): number {
    return this.m;
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
    this.savedSumSq = this.sumSq;
    this.step(x);
    this.advance();
  }

  /** Replaces the latest value of the series. */
  replaceLastValue(x: number): void {
    requireLastBar(this.n);
    this.sum = this.savedSum;
    this.sumSq = this.savedSumSq;
    this.n--;
    this.slot = (this.slot === 0 ? this.window.length : this.slot) - 1;
    this.step(x);
    this.advance();
  }

  reset(): void {
    this.n = 0;
    this.sum = 0;
    this.sumSq = 0;
    this.savedSum = 0;
    this.savedSumSq = 0;
    this.slot = 0;
    this.m = Number.NaN;
    this.sd = Number.NaN;
  }

  private advance(): void {
    this.n++;
    if (++this.slot === this.window.length) this.slot = 0;
  }

  private step(x: number): void {
    this.window[this.slot] = x;
    this.sum += x;
    this.sumSq += x * x;
    if (this.n < this.lookback) return;
    this.m = this.sum / this.period;
    this.sd = deviationOf(this.sumSq / this.period - this.m * this.m);
    // Bar n − period + 1 leaves the window; with period + 1 slots it sits two slots ahead.
    let trailing = this.slot + 2;
    if (trailing >= this.window.length) trailing -= this.window.length;
    const old = this.window[trailing]!;
    this.sum -= old;
    this.sumSq -= old * old;
  }
}
