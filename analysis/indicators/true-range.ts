import type { HlcBar, IndicatorStream } from "./indicator-stream.ts";
import { nanArray, requireLastBar, requireSameLength } from "./indicator-input.ts";

/** TA-Lib's TRANGE has no value on the first bar (it has no previous close). */
export const TRANGE_LOOKBACK = 1;

/** The greatest of high − low, |previous close − high| and |previous close − low|. */
export function trueRangeOf(high: number, low: number, prevClose: number): number {
  let greatest = high - low;
  const toHigh = Math.abs(prevClose - high);
  if (toHigh > greatest) greatest = toHigh;
  const toLow = Math.abs(prevClose - low);
  if (toLow > greatest) greatest = toLow;
  return greatest;
}

/** True range per bar (TA_TRANGE); NaN on the first bar. */
export function trueRange(high: Float64Array, low: Float64Array, close: Float64Array): Float64Array {
  const n = requireSameLength(high, low, close);
  const out = nanArray(n, TRANGE_LOOKBACK);
  for (let i = 1; i < n; i++) out[i] = trueRangeOf(high[i]!, low[i]!, close[i - 1]!);
  return out;
}

/** Streaming true range. */
export class TrueRangeStream implements IndicatorStream<HlcBar> {
  readonly lookback = TRANGE_LOOKBACK;
  private n = 0;
  private prevClose = Number.NaN;
  private lastClose = Number.NaN;
  private out = Number.NaN;

  get count(): number {
    return this.n;
  }
  get ready(): boolean {
    return this.n > this.lookback;
  }
  get value(): number {
    return this.out;
  }

  update(bar: HlcBar): void {
    this.prevClose = this.lastClose;
    this.step(bar);
    this.n++;
  }

  replaceLast(bar: HlcBar): void {
    requireLastBar(this.n);
    this.n--;
    this.step(bar);
    this.n++;
  }

  reset(): void {
    this.n = 0;
    this.prevClose = Number.NaN;
    this.lastClose = Number.NaN;
    this.out = Number.NaN;
  }

  private step(bar: HlcBar): void {
    if (this.n > 0) this.out = trueRangeOf(bar.high, bar.low, this.prevClose);
    this.lastClose = bar.close;
  }
}
