import type { HlcBar, IndicatorStream } from "./indicator-stream.ts";
import { isTaZero, nanArray, requireLastBar, requirePeriod, requireSameLength } from "./indicator-input.ts";
import { trueRangeOf } from "./true-range.ts";

/** ADX with the directional indicators it is built from, each the length of the input. */
export interface AdxResult {
  adx: Float64Array;
  plusDI: Float64Array;
  minusDI: Float64Array;
}

/** Bars before the first ADX value: `2 · period − 1` (27 for 14). */
export function adxLookback(period: number): number {
  return 2 * requirePeriod("period", period, 2) - 1;
}

/** Bars before the first +DI/−DI value: `period`. */
export function directionalLookback(period: number): number {
  return requirePeriod("period", period, 2);
}

/**
 * Wilder's ADX, +DI and −DI as TA-Lib computes them (unstable period 0). +DI/−DI are NaN for the first
 * `period` bars, ADX for the first `2 · period − 1`. A flat window gives DI = 0 and ADX = 0 (TA-Lib).
 */
export function adx(high: Float64Array, low: Float64Array, close: Float64Array, period = 14): AdxResult {
  const first = adxLookback(period);
  const n = requireSameLength(high, low, close);
  const result = { adx: nanArray(n, first), plusDI: nanArray(n, period), minusDI: nanArray(n, period) };
  // DirectionalState.step (below) with its fields held in locals, 2.5× faster; the streaming tests hold the
  // two to bit-for-bit equality and both to TA-Lib.
  const p = period;
  let plusDM = 0;
  let minusDM = 0;
  let tr = 0;
  let sumDX = 0;
  let value = Number.NaN;
  for (let i = 1; i < n; i++) {
    const diffP = high[i]! - high[i - 1]!;
    const diffM = low[i - 1]! - low[i]!;
    const range = trueRangeOf(high[i]!, low[i]!, close[i - 1]!);
    if (i < p) {
      if (diffM > 0 && diffP < diffM) minusDM += diffM;
      else if (diffP > 0 && diffP > diffM) plusDM += diffP;
      tr += range;
      continue;
    }
    minusDM -= minusDM / p;
    plusDM -= plusDM / p;
    if (diffM > 0 && diffP < diffM) minusDM += diffM;
    else if (diffP > 0 && diffP > diffM) plusDM += diffP;
    tr = tr - tr / p + range;
    let minusDI = 0;
    let plusDI = 0;
    let dx = Number.NaN;
    if (!isTaZero(tr)) {
      minusDI = 100 * (minusDM / tr);
      plusDI = 100 * (plusDM / tr);
      const sum = minusDI + plusDI;
      if (!isTaZero(sum)) dx = 100 * (Math.abs(minusDI - plusDI) / sum);
    }
    if (i <= first) {
      if (dx === dx) sumDX += dx;
      if (i === first) value = sumDX / p;
    } else if (dx === dx) {
      value = (value * (p - 1) + dx) / p;
    }
    result.plusDI[i] = plusDI;
    result.minusDI[i] = minusDI;
    if (i >= first) result.adx[i] = value;
  }
  return result;
}

/**
 * Wilder's directional movement for the streaming form, bar by bar, with the same floating-point
 * operations as TA_ADX, TA_PLUS_DI and TA_MINUS_DI (and as `adx` above). It takes the bar as an object:
 * doubles passed to a method that is not inlined would be boxed on every call.
 */
class DirectionalState {
  n = 0;
  prevHigh = Number.NaN;
  prevLow = Number.NaN;
  prevClose = Number.NaN;
  plusDM = 0;
  minusDM = 0;
  tr = 0;
  sumDX = 0;
  adx = Number.NaN;
  plusDI = Number.NaN;
  minusDI = Number.NaN;

  constructor(readonly period: number) {}

  step(bar: HlcBar): void {
    const n = this.n++;
    const prevHigh = this.prevHigh;
    const prevLow = this.prevLow;
    const prevClose = this.prevClose;
    this.prevHigh = bar.high;
    this.prevLow = bar.low;
    this.prevClose = bar.close;
    if (n === 0) return;
    const p = this.period;
    const diffP = bar.high - prevHigh;
    const diffM = prevLow - bar.low;
    const range = trueRangeOf(bar.high, bar.low, prevClose);
    if (n < p) {
      if (diffM > 0 && diffP < diffM) this.minusDM += diffM;
      else if (diffP > 0 && diffP > diffM) this.plusDM += diffP;
      this.tr += range;
      return;
    }
    this.minusDM -= this.minusDM / p;
    this.plusDM -= this.plusDM / p;
    if (diffM > 0 && diffP < diffM) this.minusDM += diffM;
    else if (diffP > 0 && diffP > diffM) this.plusDM += diffP;
    this.tr = this.tr - this.tr / p + range;
    let dx = Number.NaN;
    if (isTaZero(this.tr)) {
      // TA_PLUS_DI/TA_MINUS_DI report 0 when the smoothed range is 0; ADX then keeps its last value.
      this.minusDI = 0;
      this.plusDI = 0;
    } else {
      this.minusDI = 100 * (this.minusDM / this.tr);
      this.plusDI = 100 * (this.plusDM / this.tr);
      const sum = this.minusDI + this.plusDI;
      if (!isTaZero(sum)) dx = 100 * (Math.abs(this.minusDI - this.plusDI) / sum);
    }
    const first = 2 * p - 1;
    if (n <= first) {
      if (dx === dx) this.sumDX += dx;
      if (n === first) this.adx = this.sumDX / p;
    } else if (dx === dx) {
      this.adx = (this.adx * (p - 1) + dx) / p;
    }
  }

  clear(): void {
    this.n = 0;
    this.plusDM = this.minusDM = this.tr = this.sumDX = 0;
    this.prevHigh = this.prevLow = this.prevClose = Number.NaN;
    this.adx = this.plusDI = this.minusDI = Number.NaN;
  }

  copyFrom(other: DirectionalState): void {
    this.n = other.n;
    this.prevHigh = other.prevHigh;
    this.prevLow = other.prevLow;
    this.prevClose = other.prevClose;
    this.plusDM = other.plusDM;
    this.minusDM = other.minusDM;
    this.tr = other.tr;
    this.sumDX = other.sumDX;
    this.adx = other.adx;
    this.plusDI = other.plusDI;
    this.minusDI = other.minusDI;
  }
}

/** Streaming ADX; `value` is the ADX, with `plusDI` and `minusDI` beside it. */
export class AdxStream implements IndicatorStream<HlcBar> {
  readonly lookback: number;
  private readonly diLookback: number;
  private readonly state: DirectionalState;
  private readonly saved: DirectionalState;

  constructor(period = 14) {
    this.lookback = adxLookback(period);
    this.diLookback = period;
    this.state = new DirectionalState(period);
    this.saved = new DirectionalState(period);
  }

  get count(): number {
    return this.state.n;
  }
  get ready(): boolean {
    return this.state.n > this.lookback;
  }
  get value(): number {
    return this.ready ? this.state.adx : Number.NaN;
  }
  get plusDI(): number {
    return this.state.n > this.diLookback ? this.state.plusDI : Number.NaN;
  }
  get minusDI(): number {
    return this.state.n > this.diLookback ? this.state.minusDI : Number.NaN;
  }

  update(bar: HlcBar): void {
    this.saved.copyFrom(this.state);
    this.state.step(bar);
  }

  replaceLast(bar: HlcBar): void {
    requireLastBar(this.state.n);
    this.state.copyFrom(this.saved);
    this.state.step(bar);
  }

  reset(): void {
    this.state.clear();
  }
}
