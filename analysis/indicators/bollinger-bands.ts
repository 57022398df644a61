import type { CloseBar, IndicatorStream } from "./indicator-stream.ts";
import { nanArray, requireFinite, requirePeriod } from "./indicator-input.ts";
import { StddevStream, meanDeviationInto } from "./stddev.ts";

/** Bollinger settings: SMA period and the band widths in population standard deviations. */
export interface BollingerOptions {
  period?: number;
  devUp?: number;
  devDown?: number;
}

/** Upper, middle and lower bands, each the length of the input. */
export interface BollingerResult {
  upper: Float64Array;
  middle: Float64Array;
  lower: Float64Array;
}

function settings(options: BollingerOptions): { period: number; devUp: number; devDown: number } {
  return {
    period: requirePeriod("period", options.period ?? 20, 2),
    devUp: requireFinite("devUp", options.devUp ?? 2),
    devDown: requireFinite("devDown", options.devDown ?? 2),
  };
}

/** Bars before the first band value. */
export function bollingerLookback(options: BollingerOptions = {}): number {
  return settings(options).period - 1;
}

/**
 * Bollinger Bands as TA_BBANDS with an SMA middle: `middle ± k · σ`, σ the population standard deviation
 * over the same window. NaN for the first `period − 1` bars.
 */
export function bollingerBands(values: Float64Array, options: BollingerOptions = {}): BollingerResult {
  const { period, devUp, devDown } = settings(options);
  const n = values.length;
  const middle = nanArray(n, period - 1);
  const upper = nanArray(n, period - 1);
  const lower = nanArray(n, period - 1);
  // The deviation goes through `upper` as scratch space before the bands overwrite it.
  meanDeviationInto(values, period, middle, upper);
  for (let i = period - 1; i < n; i++) {
    const m = middle[i]!;
    const sd = upper[i]!;
    upper[i] = m + sd * devUp;
    lower[i] = m - sd * devDown;
  }
  return { upper, middle, lower };
}

/** Streaming Bollinger Bands; `value` is the middle band. */
export class BollingerStream implements IndicatorStream<CloseBar> {
  readonly lookback: number;
  private readonly deviation: StddevStream;
  private readonly devUp: number;
  private readonly devDown: number;

  constructor(options: BollingerOptions = {}) {
    const { period, devUp, devDown } = settings(options);
    this.lookback = period - 1;
    this.deviation = new StddevStream(period);
    this.devUp = devUp;
    this.devDown = devDown;
  }

  get count(): number {
    return this.deviation.count;
  }
  get ready(): boolean {
    return this.deviation.ready;
  }
  get value(): number {
    return this.deviation.mean;
  }
  get middle(): number {
    return this.deviation.mean;
  }
  get upper(): number {
    return this.deviation.mean + this.deviation.deviation * this.devUp;
  }
  get lower(): number {
    return this.deviation.mean - this.deviation.deviation * this.devDown;
  }

  update(bar: CloseBar): void {
    this.deviation.updateValue(bar.close);
  }
  replaceLast(bar: CloseBar): void {
    this.deviation.replaceLastValue(bar.close);
  }

  /** Adds the next value of the series. */
  updateValue(x: number): void {
    this.deviation.updateValue(x);
  }

  /** Replaces the latest value of the series. */
  replaceLastValue(x: number): void {
    this.deviation.replaceLastValue(x);
  }

  reset(): void {
    this.deviation.reset();
  }
}
