import type { HlcBar, IndicatorStream } from "./indicator-stream.ts";
import { isTaZero, nanArray, requirePeriod, requireSameLength } from "./indicator-input.ts";
import { AtrStream, atrInto } from "./atr.ts";

/**
 * Bars before the first NATR value. Period 1 is refused: TA-Lib then returns the raw true range, which is
 * not normalised.
 */
export function natrLookback(period: number): number {
  return requirePeriod("period", period, 2);
}

/**
 * ATR as a percentage of the close, `100 · atr / close` (TA_NATR). Where the close is zero TA-Lib leaves
 * its output cell unwritten; this returns 0 there.
 */
export function natr(high: Float64Array, low: Float64Array, close: Float64Array, period = 14): Float64Array {
  natrLookback(period);
  const out = nanArray(requireSameLength(high, low, close), period);
  atrInto(high, low, close, period, out);
  for (let i = period; i < out.length; i++) out[i] = normalise(out[i]!, close[i]!);
  return out;
}

function normalise(atr: number, close: number): number {
  return isTaZero(close) ? 0 : (atr / close) * 100;
}

/** Streaming NATR. */
export class NatrStream implements IndicatorStream<HlcBar> {
  readonly lookback: number;
  private readonly atr: AtrStream;
  private out = Number.NaN;

  constructor(period = 14) {
    this.lookback = natrLookback(period);
    this.atr = new AtrStream(period);
  }

  get count(): number {
    return this.atr.count;
  }
  get ready(): boolean {
    return this.atr.ready;
  }
  get value(): number {
    return this.out;
  }

  update(bar: HlcBar): void {
    this.atr.update(bar);
    this.out = this.atr.ready ? normalise(this.atr.value, bar.close) : Number.NaN;
  }

  replaceLast(bar: HlcBar): void {
    this.atr.replaceLast(bar);
    this.out = this.atr.ready ? normalise(this.atr.value, bar.close) : Number.NaN;
  }

  reset(): void {
    this.atr.reset();
    this.out = Number.NaN;
  }
}
