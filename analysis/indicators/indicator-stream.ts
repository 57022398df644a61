/** The one field a close-based indicator reads from a bar; `Candle` from core satisfies it. */
export interface CloseBar {
  readonly close: number;
}

/** The fields a range-based indicator (ATR, ADX, Stochastic) reads from a bar; `Candle` satisfies it. */
export interface HlcBar extends CloseBar {
  readonly high: number;
  readonly low: number;
}

/**
 * A streaming indicator: O(1) work and no allocation per bar, and the same numbers as its batch form.
 * `replaceLast` is for the still-forming bar: it gives exactly what `update` would have given had the
 * previous `update` received these final values.
 */
export interface IndicatorStream<B> {
  /** Bars consumed before the first value, as TA-Lib counts them. */
  readonly lookback: number;
  /** Bars seen so far (a replaced bar counts once). */
  readonly count: number;
  /** True once `value` is defined, i.e. after `lookback + 1` bars. */
  readonly ready: boolean;
  /** The main output for the latest bar; NaN while warming up. */
  readonly value: number;
  update(bar: B): void;
  replaceLast(bar: B): void;
  reset(): void;
}
