import type { CloseBar, IndicatorStream } from "./indicator-stream.ts";
import { isTaZero, nanArray, requireLastBar, requirePeriod } from "./indicator-input.ts";

/** Bars before the first RSI value. */
export function rsiLookback(period: number): number {
  return requirePeriod("period", period, 2);
}

function rsiOf(gain: number, loss: number): number {
  const total = gain + loss;
  // TA-Lib's convention for a flat window (no gain, no loss): 0, not 50.
  return isTaZero(total) ? 0 : 100 * (gain / total);
}

/**
 * Wilder's RSI as TA_RSI computes it: mean gain and loss over the first `period` changes, then
 * `avg = (avg·(period−1) + change) / period`; `100 · gain / (gain + loss)`. NaN for the first `period` bars.
 */
export function rsi(values: Float64Array, period = 14): Float64Array {
  rsiLookback(period);
  const n = values.length;
  const out = nanArray(n, period);
  if (n <= period) return out;
  let gain = 0;
  let loss = 0;
  for (let i = 1; i <= period; i++) {
    const change = values[i]! - values[i - 1]!;
    if (change < 0) loss -= change;
    else gain += change;
  }
  gain /= period;
  loss /= period;
  out[period] = rsiOf(gain, loss);
  const keep = period - 1;
  for (let i = period + 1; i < n; i++) {
    const change = values[i]! - values[i - 1]!;
    loss *= keep;
    gain *= keep;
    if (change < 0) loss -= change;
    else gain += change;
    loss /= period;
    gain /= period;
    out[i] = rsiOf(gain, loss);
  }
  return out;
}

/** Streaming Wilder RSI; feeds on `bar.close`, or on any series through `updateValue`. */
export class RsiStream implements IndicatorStream<CloseBar> {
  readonly lookback: number;
  readonly period: number;
  private n = 0;
  private prev = Number.NaN;
  private last = Number.NaN;
  private gain = 0;
  private loss = 0;
  private savedGain = 0;
  private savedLoss = 0;
  private out = Number.NaN;

  constructor(period = 14) {
    this.lookback = rsiLookback(period);
    this.period = period;
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
    this.prev = this.last;
    this.savedGain = this.gain;
    this.savedLoss = this.loss;
    this.step(x);
    this.n++;
  }

  /** Replaces the latest value of the series. */
  replaceLastValue(x: number): void {
    requireLastBar(this.n);
    this.gain = this.savedGain;
    this.loss = this.savedLoss;
    this.n--;
    this.step(x);
    this.n++;
  }

  reset(): void {
    this.n = 0;
    this.prev = Number.NaN;
    this.last = Number.NaN;
    this.gain = 0;
    this.loss = 0;
    this.savedGain = 0;
    this.savedLoss = 0;
    this.out = Number.NaN;
  }

  private step(x: number): void {
    this.last = x;
    if (this.n === 0) return;
    const change = x - this.prev;
    const p = this.period;
    if (this.n <= p) {
      if (change < 0) this.loss -= change;
      else this.gain += change;
      if (this.n < p) return;
      this.gain /= p;
      this.loss /= p;
    } else {
      this.loss *= p - 1;
      this.gain *= p - 1;
      if (change < 0) this.loss -= change;
      else this.gain += change;
      this.loss /= p;
      this.gain /= p;
    }
    this.out = rsiOf(this.gain, this.loss);
  }
}
