import type { HlcBar, IndicatorStream } from "./indicator-stream.ts";
import { nanArray, requireLastBar, requirePeriod, requireSameLength } from "./indicator-input.ts";
import { SmaStream, sma } from "./sma.ts";

/** Slow stochastic periods: raw %K window, then SMA smoothing for slow %K and for %D. */
export interface StochasticOptions {
  fastK?: number;
  slowK?: number;
  slowD?: number;
}

/** Slow %K and %D, each the length of the input. */
export interface StochasticResult {
  k: Float64Array;
  d: Float64Array;
}

function periods(options: StochasticOptions): { fastK: number; slowK: number; slowD: number } {
  return {
    fastK: requirePeriod("fastK", options.fastK ?? 14, 1),
    slowK: requirePeriod("slowK", options.slowK ?? 3, 1),
    slowD: requirePeriod("slowD", options.slowD ?? 3, 1),
  };
}

/** Bars before the first value: `(fastK − 1) + (slowK − 1) + (slowD − 1)`, 17 for 14/3/3. */
export function stochasticLookback(options: StochasticOptions = {}): number {
  const { fastK, slowK, slowD } = periods(options);
  return fastK - 1 + (slowK - 1) + (slowD - 1);
}

// TA-Lib divides by (highest − lowest)/100 rather than multiplying by 100, and reports 0 for a flat window.
function rawK(close: number, lowest: number, highest: number): number {
  const diff = (highest - lowest) / 100;
  return diff !== 0 ? (close - lowest) / diff : 0;
}

/**
 * Slow stochastic as TA_STOCH with SMA smoothing: raw %K over `fastK` bars, slow %K its `slowK`-bar SMA,
 * %D the `slowD`-bar SMA of slow %K. Both are NaN for the first `stochasticLookback` bars.
 */
export function stochastic(high: Float64Array, low: Float64Array, close: Float64Array, options: StochasticOptions = {}): StochasticResult {
  const { fastK, slowK, slowD } = periods(options);
  const n = requireSameLength(high, low, close);
  const lookback = fastK - 1 + (slowK - 1) + (slowD - 1);
  const result = { k: nanArray(n, lookback), d: nanArray(n, lookback) };
  if (n <= lookback) return result;
  const raw = new Float64Array(n - (fastK - 1));
  let lowest = 0;
  let highest = 0;
  let lowestIdx = -1;
  let highestIdx = -1;
  for (let today = fastK - 1, trailing = 0; today < n; today++, trailing++) {
    // TA-Lib's rolling extremes: rescan the window only when the extreme has left it.
    if (lowestIdx < trailing) {
      lowestIdx = trailing;
      lowest = low[trailing]!;
      for (let i = trailing + 1; i <= today; i++) {
        if (low[i]! < lowest) {
          lowestIdx = i;
          lowest = low[i]!;
        }
      }
    } else if (low[today]! <= lowest) {
      lowestIdx = today;
      lowest = low[today]!;
    }
    if (highestIdx < trailing) {
      highestIdx = trailing;
      highest = high[trailing]!;
      for (let i = trailing + 1; i <= today; i++) {
        if (high[i]! > highest) {
          highestIdx = i;
          highest = high[i]!;
        }
      }
    } else if (high[today]! >= highest) {
      highestIdx = today;
      highest = high[today]!;
    }
    raw[trailing] = rawK(close[today]!, lowest, highest);
  }
  // TA-Lib smooths with running-total SMAs that start at the first raw %K, then at the first slow %K.
  const slowKs = sma(raw, slowK).subarray(slowK - 1);
  const slowDs = sma(slowKs, slowD);
  for (let b = lookback, j = slowD - 1; b < n; b++, j++) {
    result.k[b] = slowKs[j]!;
    result.d[b] = slowDs[j]!;
  }
  return result;
}

/** Streaming slow stochastic; `value` is slow %K and `d` is %D. */
export class StochasticStream implements IndicatorStream<HlcBar> {
  readonly lookback: number;
  private readonly fastK: number;
  private readonly highs: Float64Array;
  private readonly lows: Float64Array;
  private readonly kSma: SmaStream;
  private readonly dSma: SmaStream;
  private slot = 0;
  private n = 0;
  // The window's extremes and the bars they came from, rescanned only when one leaves the window (as TA-Lib does).
  private highest = 0;
  private lowest = 0;
  private highestIdx = -1;
  private lowestIdx = -1;
  private readonly saved = { highest: 0, lowest: 0, highestIdx: -1, lowestIdx: -1 };

  constructor(options: StochasticOptions = {}) {
    const { fastK, slowK, slowD } = periods(options);
    this.lookback = fastK - 1 + (slowK - 1) + (slowD - 1);
    this.fastK = fastK;
    this.highs = new Float64Array(fastK);
    this.lows = new Float64Array(fastK);
    this.kSma = new SmaStream(slowK);
    this.dSma = new SmaStream(slowD);
  }

  get count(): number {
    return this.n;
  }
  get ready(): boolean {
    return this.n > this.lookback;
  }
  get value(): number {
    return this.ready ? this.kSma.value : Number.NaN;
  }
  get k(): number {
    return this.value;
  }
  get d(): number {
    return this.ready ? this.dSma.value : Number.NaN;
  }

  update(bar: HlcBar): void {
    const saved = this.saved;
    saved.highest = this.highest;
    saved.lowest = this.lowest;
    saved.highestIdx = this.highestIdx;
    saved.lowestIdx = this.lowestIdx;
    this.step(bar, false);
    this.advance();
  }

  replaceLast(bar: HlcBar): void {
    requireLastBar(this.n);
    const saved = this.saved;
    this.highest = saved.highest;
    this.lowest = saved.lowest;
    this.highestIdx = saved.highestIdx;
    this.lowestIdx = saved.lowestIdx;
    this.n--;
    this.slot = (this.slot === 0 ? this.fastK : this.slot) - 1;
    this.step(bar, true);
    this.advance();
  }

  reset(): void {
    this.n = 0;
    this.slot = 0;
    this.highestIdx = this.lowestIdx = -1;
    this.kSma.reset();
    this.dSma.reset();
  }

  private advance(): void {
    this.n++;
    if (++this.slot === this.fastK) this.slot = 0;
  }

  private step(bar: HlcBar, replace: boolean): void {
    this.highs[this.slot] = bar.high;
    this.lows[this.slot] = bar.low;
    const trailing = this.n - this.fastK + 1;
    if (trailing < 0) return;
    if (this.lowestIdx < trailing || this.highestIdx < trailing) this.rescan(trailing);
    if (bar.low <= this.lowest) {
      this.lowest = bar.low;
      this.lowestIdx = this.n;
    }
    if (bar.high >= this.highest) {
      this.highest = bar.high;
      this.highestIdx = this.n;
    }
    const k = rawK(bar.close, this.lowest, this.highest);
    if (replace) this.kSma.replaceLastValue(k);
    else this.kSma.updateValue(k);
    if (!this.kSma.ready) return;
    if (replace) this.dSma.replaceLastValue(this.kSma.value);
    else this.dSma.updateValue(this.kSma.value);
  }

  /** Finds both extremes of bars trailing..n − 1 (the current bar is compared after). */
  private rescan(trailing: number): void {
    const highs = this.highs;
    const lows = this.lows;
    let slot = this.slot + 1 === this.fastK ? 0 : this.slot + 1;
    let highest = Number.NEGATIVE_INFINITY;
    let lowest = Number.POSITIVE_INFINITY;
    let highestIdx = -1;
    let lowestIdx = -1;
    for (let bar = trailing; bar < this.n; bar++) {
      if (highs[slot]! > highest) {
        highest = highs[slot]!;
        highestIdx = bar;
      }
      if (lows[slot]! < lowest) {
        lowest = lows[slot]!;
        lowestIdx = bar;
      }
      if (++slot === this.fastK) slot = 0;
    }
    this.highest = highest;
    this.lowest = lowest;
    this.highestIdx = highestIdx;
    this.lowestIdx = lowestIdx;
  }
}
