import type { CloseBar, IndicatorStream } from "./indicator-stream.ts";
import { nanArray, requireLastBar, requirePeriod } from "./indicator-input.ts";

/** Bars before the first value: `period` returns need `period + 1` closes. */
export function realizedVolatilityLookback(period: number): number {
  return requirePeriod("period", period, 2);
}

/** Windows up to this many returns are computed directly (two passes): at most 16 operations per bar. */
const DIRECT_MAX = 8;

/**
 * The last `period` log returns and their moments, shared by the batch and streaming forms. Short windows
 * are computed directly, because nearly equal returns (steady one-pip moves on M1) make any running-sum
 * formula lose digits there. Longer windows keep running sums about a shift (variance does not depend on
 * it), recomputed from the window every `period` returns with the shift set to the window's mean, so
 * rounding cannot build up and the sums stay close to the mean. A window of zero returns is exactly 0.
 */
class ReturnWindow {
  // period + 1 slots: the return leaving the window survives, so a stream can redo its last push.
  private readonly ring: Float64Array;
  private slot = 0;
  private count = 0;
  private untilResync: number;
  private sum = 0;
  private sumSq = 0;
  private shift = 0;
  private moves = 0;
  private readonly saved = new Float64Array(7);

  constructor(readonly period: number) {
    this.ring = new Float64Array(period + 1);
    this.untilResync = period;
  }

  /** Adds the next return; gives the window's standard deviation once it holds `period` returns, else NaN. */
  push(r: number): number {
    const p = this.period;
    const ring = this.ring;
    ring[this.slot] = r;
    let leaving = this.slot + 1;
    if (leaving === ring.length) leaving = 0;
    const full = this.count >= p - 1;
    let sd = Number.NaN;
    if (p <= DIRECT_MAX) {
      if (full) sd = this.direct(leaving);
    } else {
      sd = this.running(r, leaving, full);
    }
    this.slot = leaving;
    this.count++;
    return sd;
  }

  private running(r: number, leaving: number, full: boolean): number {
    const p = this.period;
    const d = r - this.shift;
    this.sum += d;
    this.sumSq += d * d;
    if (r !== 0) this.moves++;
    if (this.count >= p) {
      const old = this.ring[leaving]!;
      const e = old - this.shift;
      this.sum -= e;
      this.sumSq -= e * e;
      if (old !== 0) this.moves--;
    }
    const resync = --this.untilResync === 0;
    if (resync) this.untilResync = p;
    if (!full) return Number.NaN;
    if (this.moves === 0) {
      this.sum = this.sumSq = this.shift = 0;
      return 0;
    }
    if (resync) this.resync(leaving);
    const variance = (this.sumSq - (this.sum * this.sum) / p) / (p - 1);
    return variance > 0 ? Math.sqrt(variance) : 0;
  }

  /** Two-pass moments of the window, which starts one slot after `leaving`. */
  private direct(leaving: number): number {
    const mean = this.windowTotal(leaving) / this.period;
    return Math.sqrt(this.squaresAbout(leaving, mean) / (this.period - 1));
  }

  private resync(leaving: number): void {
    this.shift = this.windowTotal(leaving) / this.period;
    this.sumSq = this.squaresAbout(leaving, this.shift);
    this.sum = 0;
    let i = leaving;
    for (let k = 0; k < this.period; k++) {
      if (++i === this.ring.length) i = 0;
      this.sum += this.ring[i]! - this.shift;
    }
  }

  private windowTotal(leaving: number): number {
    let total = 0;
    let i = leaving;
    for (let k = 0; k < this.period; k++) {
      if (++i === this.ring.length) i = 0;
      total += this.ring[i]!;
    }
    return total;
  }

  private squaresAbout(leaving: number, centre: number): number {
    let squares = 0;
    let i = leaving;
    for (let k = 0; k < this.period; k++) {
      if (++i === this.ring.length) i = 0;
      const d = this.ring[i]! - centre;
      squares += d * d;
    }
    return squares;
  }

  clear(): void {
    this.slot = this.count = this.sum = this.sumSq = this.shift = this.moves = 0;
    this.untilResync = this.period;
  }

  /** Remembers the scalar state (the ring keeps the leaving return): enough to redo the next push. */
  save(): void {
    const s = this.saved;
    s[0] = this.slot;
    s[1] = this.count;
    s[2] = this.untilResync;
    s[3] = this.sum;
    s[4] = this.sumSq;
    s[5] = this.shift;
    s[6] = this.moves;
  }

  restore(): void {
    const s = this.saved;
    this.slot = s[0]!;
    this.count = s[1]!;
    this.untilResync = s[2]!;
    this.sum = s[3]!;
    this.sumSq = s[4]!;
    this.shift = s[5]!;
    this.moves = s[6]!;
  }
}

/**
 * Realised volatility per bar: the sample standard deviation (n − 1 denominator) of the last `period`
 * log returns `r_t = ln(close_t / close_{t−1})`, `σ_t = √( Σ(r − r̄)² / (n − 1) )`, in per-bar units
 * (multiply by √(bars per year) to annualise). Closes must be positive. NaN for the first `period` bars.
 */
export function realizedVolatility(close: Float64Array, period = 20): Float64Array {
  realizedVolatilityLookback(period);
  const n = close.length;
  const out = nanArray(n, period);
  if (n <= period) return out;
  const window = new ReturnWindow(period);
  for (let i = 1; i < n; i++) {
    const sd = window.push(Math.log(close[i]! / close[i - 1]!));
    if (i >= period) out[i] = sd;
  }
  return out;
}

/** Streaming realised volatility (same formula and arithmetic as the batch form). */
export class RealizedVolatilityStream implements IndicatorStream<CloseBar> {
  readonly lookback: number;
  readonly period: number;
  private readonly window: ReturnWindow;
  private n = 0;
  private prevClose = Number.NaN;
  private lastClose = Number.NaN;
  private out = Number.NaN;

  constructor(period = 20) {
    this.lookback = realizedVolatilityLookback(period);
    this.period = period;
    this.window = new ReturnWindow(period);
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

  /** Adds the next close. */
  updateValue(close: number): void {
    this.prevClose = this.lastClose;
    this.window.save();
    this.step(close);
    this.n++;
  }

  /** Replaces the latest close. */
  replaceLastValue(close: number): void {
    requireLastBar(this.n);
    this.window.restore();
    this.n--;
    this.step(close);
    this.n++;
  }

  reset(): void {
    this.n = 0;
    this.prevClose = this.lastClose = Number.NaN;
    this.window.clear();
    this.out = Number.NaN;
  }

  private step(close: number): void {
    this.lastClose = close;
    if (this.n === 0) return;
    const sd = this.window.push(Math.log(close / this.prevClose));
    if (this.n >= this.period) this.out = sd;
  }
}
