import type { CloseBar, IndicatorStream } from "./indicator-stream.ts";
import { nanArray, requireLastBar, requirePeriod } from "./indicator-input.ts";
import { EmaStream } from "./ema.ts";

/** MACD periods; TA-Lib swaps fast and slow when fast > slow. */
export interface MacdOptions {
  fast?: number;
  slow?: number;
  signal?: number;
}

/** MACD line, signal line and histogram, each the length of the input. */
export interface MacdResult {
  macd: Float64Array;
  signal: Float64Array;
  histogram: Float64Array;
}

function periods(options: MacdOptions): { fast: number; slow: number; signal: number } {
  const a = requirePeriod("fast", options.fast ?? 12, 2);
  const b = requirePeriod("slow", options.slow ?? 26, 2);
  // TA-Lib's MACD accepts a signal period of 1 but then returns uninitialised memory (its EMA lookback
  // rejects 1), so there is nothing to match; 2 is the smallest meaningful signal period.
  const signal = requirePeriod("signal", options.signal ?? 9, 2);
  return { fast: Math.min(a, b), slow: Math.max(a, b), signal };
}

/** Bars before the first MACD value: `(slow − 1) + (signal − 1)`, 33 for 12/26/9. */
export function macdLookback(options: MacdOptions = {}): number {
  const { slow, signal } = periods(options);
  return slow - 1 + (signal - 1);
}

/**
 * MACD exactly as TA_MACD computes it. Both EMAs start on bar `slow − 1`: the slow one seeded with the mean
 * of bars 0..slow−1, the fast one with the mean of its last `fast` bars only (TA-Lib's quirk, which makes
 * early values differ from a fast EMA seeded at bar `fast − 1`). The signal is an SMA-seeded EMA of the MACD
 * line; all three outputs are NaN for the first `macdLookback` bars.
 */
export function macd(values: Float64Array, options: MacdOptions = {}): MacdResult {
  const { fast, slow, signal } = periods(options);
  const lookback = slow - 1 + (signal - 1);
  const n = values.length;
  const result = { macd: nanArray(n, lookback), signal: nanArray(n, lookback), histogram: nanArray(n, lookback) };
  if (n <= lookback) return result;
  // One pass making the same additions and updates as TA-Lib's three EMAs (see ema()).
  const kSlow = 2 / (slow + 1);
  const kFast = 2 / (fast + 1);
  const kSignal = 2 / (signal + 1);
  const fastFrom = slow - fast;
  let slowEma = 0;
  let fastEma = 0;
  let signalEma = 0;
  for (let i = 0; i < slow - 1; i++) {
    slowEma += values[i]!;
    if (i >= fastFrom) fastEma += values[i]!;
  }
  for (let i = slow - 1; i < n; i++) {
    const x = values[i]!;
    if (i === slow - 1) {
      slowEma = (slowEma + x) / slow;
      fastEma = (fastEma + x) / fast;
    } else {
      slowEma = (x - slowEma) * kSlow + slowEma;
      fastEma = (x - fastEma) * kFast + fastEma;
    }
    const line = fastEma - slowEma;
    if (i < lookback) {
      signalEma += line;
      continue;
    }
    signalEma = i === lookback ? (signalEma + line) / signal : (line - signalEma) * kSignal + signalEma;
    result.macd[i] = line;
    result.signal[i] = signalEma;
    result.histogram[i] = line - signalEma;
  }
  return result;
}

/** Streaming MACD; `value` is the MACD line. */
export class MacdStream implements IndicatorStream<CloseBar> {
  readonly lookback: number;
  private readonly fastEma: EmaStream;
  private readonly slowEma: EmaStream;
  private readonly signalEma: EmaStream;
  private readonly fastFrom: number;
  private readonly lineFrom: number;
  private n = 0;
  private line = Number.NaN;
  private sig = Number.NaN;

  constructor(options: MacdOptions = {}) {
    const { fast, slow, signal } = periods(options);
    this.lookback = slow - 1 + (signal - 1);
    this.fastEma = new EmaStream(fast);
    this.slowEma = new EmaStream(slow);
    this.signalEma = new EmaStream(signal);
    this.fastFrom = slow - fast;
    this.lineFrom = slow - 1;
  }

  get count(): number {
    return this.n;
  }
  get ready(): boolean {
    return this.n > this.lookback;
  }
  get value(): number {
    return this.line;
  }
  get signal(): number {
    return this.sig;
  }
  get histogram(): number {
    return this.line - this.sig;
  }

  update(bar: CloseBar): void {
    this.updateValue(bar.close);
  }
  replaceLast(bar: CloseBar): void {
    this.replaceLastValue(bar.close);
  }

  /** Adds the next value of the series. */
  updateValue(x: number): void {
    this.step(x, false);
    this.n++;
  }

  /** Replaces the latest value of the series. */
  replaceLastValue(x: number): void {
    requireLastBar(this.n);
    this.n--;
    this.step(x, true);
    this.n++;
  }

  reset(): void {
    this.fastEma.reset();
    this.slowEma.reset();
    this.signalEma.reset();
    this.n = 0;
    this.line = Number.NaN;
    this.sig = Number.NaN;
  }

  private step(x: number, replace: boolean): void {
    feed(this.slowEma, x, replace);
    if (this.n >= this.fastFrom) feed(this.fastEma, x, replace);
    if (this.n < this.lineFrom) return;
    const line = this.fastEma.value - this.slowEma.value;
    feed(this.signalEma, line, replace);
    const ready = this.n >= this.lookback;
    this.line = ready ? line : Number.NaN;
    this.sig = ready ? this.signalEma.value : Number.NaN;
  }
}

function feed(stream: EmaStream, x: number, replace: boolean): void {
  if (replace) stream.replaceLastValue(x);
  else stream.updateValue(x);
}
