/** OHLC columns of a bar series, oldest first. */
export interface Ohlc {
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
}

/** What a TA-Lib candle setting measures on a bar. */
export type RangeType = "RealBody" | "HighLow" | "Shadows";

/** A TA-Lib candle setting: a bar part is compared with `factor` × the average of that range over `avgPeriod` earlier bars. */
export interface CandleSetting {
  readonly rangeType: RangeType;
  readonly avgPeriod: number;
  readonly factor: number;
}

/** TA-Lib 0.6's default candle settings (TA_RestoreCandleDefaultSettings), which every CDL function reads. */
export const CANDLE_SETTINGS = {
  BodyLong: { rangeType: "RealBody", avgPeriod: 10, factor: 1 },
  BodyVeryLong: { rangeType: "RealBody", avgPeriod: 10, factor: 3 },
  BodyShort: { rangeType: "RealBody", avgPeriod: 10, factor: 1 },
  BodyDoji: { rangeType: "HighLow", avgPeriod: 10, factor: 0.1 },
  ShadowLong: { rangeType: "RealBody", avgPeriod: 0, factor: 1 },
  ShadowVeryLong: { rangeType: "RealBody", avgPeriod: 0, factor: 2 },
  ShadowShort: { rangeType: "Shadows", avgPeriod: 10, factor: 1 },
  ShadowVeryShort: { rangeType: "HighLow", avgPeriod: 10, factor: 0.1 },
  Near: { rangeType: "HighLow", avgPeriod: 5, factor: 0.2 },
  Far: { rangeType: "HighLow", avgPeriod: 5, factor: 0.6 },
  Equal: { rangeType: "HighLow", avgPeriod: 5, factor: 0.05 },
} as const satisfies Record<string, CandleSetting>;

/** Bar geometry exactly as TA-Lib's candle macros compute it (same operations, so the same doubles). */
export class Bars {
  constructor(readonly o: Ohlc) {}

  get length(): number {
    return this.o.close.length;
  }
  realBody(i: number): number {
    return Math.abs(this.o.close[i]! - this.o.open[i]!);
  }
  upperShadow(i: number): number {
    const c = this.o.close[i]!;
    const op = this.o.open[i]!;
    return this.o.high[i]! - (c >= op ? c : op);
  }
  lowerShadow(i: number): number {
    const c = this.o.close[i]!;
    const op = this.o.open[i]!;
    return (c >= op ? op : c) - this.o.low[i]!;
  }
  highLow(i: number): number {
    return this.o.high[i]! - this.o.low[i]!;
  }
  /** 1 for a white (close ≥ open) bar, −1 for a black one. */
  color(i: number): 1 | -1 {
    return this.o.close[i]! >= this.o.open[i]! ? 1 : -1;
  }
  bodyTop(i: number): number {
    return Math.max(this.o.close[i]!, this.o.open[i]!);
  }
  bodyBottom(i: number): number {
    return Math.min(this.o.close[i]!, this.o.open[i]!);
  }
  /** Bar `i2`'s real body lies wholly above bar `i1`'s (TA_REALBODYGAPUP). */
  bodyGapUp(i2: number, i1: number): boolean {
    return this.bodyBottom(i2) > this.bodyTop(i1);
  }
  bodyGapDown(i2: number, i1: number): boolean {
    return this.bodyTop(i2) < this.bodyBottom(i1);
  }
  range(setting: CandleSetting, i: number): number {
    switch (setting.rangeType) {
      case "RealBody":
        return this.realBody(i);
      case "HighLow":
        return this.highLow(i);
      case "Shadows":
        return this.upperShadow(i) + this.lowerShadow(i);
    }
  }
}

/**
 * TA-Lib's trailing candle average for one setting, judged at bar `i − shift`: a running total over the
 * `avgPeriod` bars before it, started at the first output bar and then moved by adding the newest range and
 * subtracting the oldest — the same sums in the same order as the C code, so comparisons agree to the bit.
 */
export class CandleAverage {
  private total = 0;
  private trailing: number;

  constructor(
    private readonly bars: Bars,
    private readonly setting: CandleSetting,
    start: number,
    private readonly shift: number,
  ) {
    this.trailing = start - shift - setting.avgPeriod;
    for (let j = this.trailing; j < start - shift; j++) this.total += bars.range(setting, j);
  }

  /** TA_CANDLEAVERAGE at bar `i − shift` when the loop stands at bar `i`. */
  at(i: number): number {
    const s = this.setting;
    const base = s.avgPeriod !== 0 ? this.total / s.avgPeriod : this.bars.range(s, i - this.shift);
    return (s.factor * base) / (s.rangeType === "Shadows" ? 2 : 1);
  }

  /** Moves the window on after bar `i` has been judged. */
  advance(i: number): void {
    this.total += this.bars.range(this.setting, i - this.shift) - this.bars.range(this.setting, this.trailing);
    this.trailing++;
  }
}
