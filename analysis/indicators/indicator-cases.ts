import type { HlcBar, IndicatorStream } from "./indicator-stream.ts";
import type { TestSeries } from "./test-series.ts";
import { runTalib } from "./test-series.ts";
import { adx, adxLookback, AdxStream } from "./adx.ts";
import { atr, atrLookback, AtrStream } from "./atr.ts";
import { bollingerBands, bollingerLookback, BollingerStream } from "./bollinger-bands.ts";
import { ema, emaLookback, EmaStream } from "./ema.ts";
import { macd, macdLookback, MacdStream } from "./macd.ts";
import { natr, natrLookback, NatrStream } from "./natr.ts";
import { rsi, rsiLookback, RsiStream } from "./rsi.ts";
import { sma, smaLookback, SmaStream } from "./sma.ts";
import { stddev, stddevLookback, StddevStream } from "./stddev.ts";
import { stochastic, stochasticLookback, StochasticStream } from "./stochastic.ts";
import { TRANGE_LOOKBACK, trueRange, TrueRangeStream } from "./true-range.ts";

/**
 * Test kit only: every indicator with the TA-Lib call it must equal. Each case's batch, TA-Lib and stream
 * outputs use the same keys; `lookback` is the bar of the first value of the first key.
 */
export interface IndicatorCase {
  label: string;
  lookback: number;
  batch(s: TestSeries): Record<string, Float64Array>;
  talib(s: TestSeries): Record<string, Float64Array>;
  stream(): { stream: IndicatorStream<HlcBar>; read(): Record<string, number> };
}

const hlc = (s: TestSeries) => ({ high: s.high, low: s.low, close: s.close });

function closeCase(
  label: string,
  lookback: number,
  batch: (x: Float64Array) => Float64Array,
  talib: (x: Float64Array) => Float64Array,
  make: () => IndicatorStream<HlcBar>,
): IndicatorCase {
  return {
    label,
    lookback,
    batch: (s) => ({ value: batch(s.close) }),
    talib: (s) => ({ value: talib(s.close) }),
    stream: () => {
      const stream = make();
      return { stream, read: () => ({ value: stream.value }) };
    },
  };
}

const real = (name: string, options: Record<string, number>) => (x: Float64Array) => runTalib(name, { inReal: x }, options).outReal!;
const ranged = (name: string, options: Record<string, number>) => (s: TestSeries) => ({ value: runTalib(name, hlc(s), options).outReal! });

function rangeCase(label: string, lookback: number, batch: (s: TestSeries) => Float64Array, talib: (s: TestSeries) => { value: Float64Array }, make: () => IndicatorStream<HlcBar>): IndicatorCase {
  return {
    label,
    lookback,
    batch: (s) => ({ value: batch(s) }),
    talib,
    stream: () => {
      const stream = make();
      return { stream, read: () => ({ value: stream.value }) };
    },
  };
}

function macdCase(fast: number, slow: number, signal: number): IndicatorCase {
  return {
    label: `MACD(${fast},${slow},${signal})`,
    lookback: macdLookback({ fast, slow, signal }),
    batch: (s) => ({ ...macd(s.close, { fast, slow, signal }) }),
    talib: (s) => {
      const r = runTalib("MACD", { inReal: s.close }, { optInFastPeriod: fast, optInSlowPeriod: slow, optInSignalPeriod: signal });
      return { macd: r.outMACD!, signal: r.outMACDSignal!, histogram: r.outMACDHist! };
    },
    stream: () => {
      const stream = new MacdStream({ fast, slow, signal });
      return { stream, read: () => ({ macd: stream.value, signal: stream.signal, histogram: stream.histogram }) };
    },
  };
}

function bollingerCase(period: number, devUp: number, devDown: number): IndicatorCase {
  return {
    label: `BBANDS(${period},${devUp},${devDown})`,
    lookback: bollingerLookback({ period }),
    batch: (s) => ({ ...bollingerBands(s.close, { period, devUp, devDown }) }),
    talib: (s) => {
      const r = runTalib("BBANDS", { inReal: s.close }, { optInTimePeriod: period, optInNbDevUp: devUp, optInNbDevDn: devDown, optInMAType: 0 });
      return { upper: r.outRealUpperBand!, middle: r.outRealMiddleBand!, lower: r.outRealLowerBand! };
    },
    stream: () => {
      const stream = new BollingerStream({ period, devUp, devDown });
      return { stream, read: () => ({ upper: stream.upper, middle: stream.middle, lower: stream.lower }) };
    },
  };
}

function adxCase(period: number): IndicatorCase {
  return {
    label: `ADX(${period})`,
    lookback: adxLookback(period),
    batch: (s) => ({ ...adx(s.high, s.low, s.close, period) }),
    talib: (s) => {
      const options = { optInTimePeriod: period };
      return {
        adx: runTalib("ADX", hlc(s), options).outReal!,
        plusDI: runTalib("PLUS_DI", hlc(s), options).outReal!,
        minusDI: runTalib("MINUS_DI", hlc(s), options).outReal!,
      };
    },
    stream: () => {
      const stream = new AdxStream(period);
      return { stream, read: () => ({ adx: stream.value, plusDI: stream.plusDI, minusDI: stream.minusDI }) };
    },
  };
}

function stochasticCase(fastK: number, slowK: number, slowD: number): IndicatorCase {
  return {
    label: `STOCH(${fastK},${slowK},${slowD})`,
    lookback: stochasticLookback({ fastK, slowK, slowD }),
    batch: (s) => ({ ...stochastic(s.high, s.low, s.close, { fastK, slowK, slowD }) }),
    talib: (s) => {
      const r = runTalib("STOCH", hlc(s), {
        optInFastK_Period: fastK,
        optInSlowK_Period: slowK,
        optInSlowK_MAType: 0,
        optInSlowD_Period: slowD,
        optInSlowD_MAType: 0,
      });
      return { k: r.outSlowK!, d: r.outSlowD! };
    },
    stream: () => {
      const stream = new StochasticStream({ fastK, slowK, slowD });
      return { stream, read: () => ({ k: stream.k, d: stream.d }) };
    },
  };
}

/** The default settings the brief names, then other settings that exercise TA-Lib's special paths. */
export const INDICATOR_CASES: readonly IndicatorCase[] = [
  closeCase("SMA(20)", smaLookback(20), (x) => sma(x, 20), real("SMA", { optInTimePeriod: 20 }), () => new SmaStream(20)),
  closeCase("EMA(20)", emaLookback(20), (x) => ema(x, 20), real("EMA", { optInTimePeriod: 20 }), () => new EmaStream(20)),
  rangeCase("TRANGE", TRANGE_LOOKBACK, (s) => trueRange(s.high, s.low, s.close), ranged("TRANGE", {}), () => new TrueRangeStream()),
  rangeCase("ATR(14)", atrLookback(14), (s) => atr(s.high, s.low, s.close, 14), ranged("ATR", { optInTimePeriod: 14 }), () => new AtrStream(14)),
  rangeCase("NATR(14)", natrLookback(14), (s) => natr(s.high, s.low, s.close, 14), ranged("NATR", { optInTimePeriod: 14 }), () => new NatrStream(14)),
  closeCase("RSI(14)", rsiLookback(14), (x) => rsi(x, 14), real("RSI", { optInTimePeriod: 14 }), () => new RsiStream(14)),
  macdCase(12, 26, 9),
  bollingerCase(20, 2, 2),
  adxCase(14),
  stochasticCase(14, 3, 3),
  closeCase("STDDEV(20)", stddevLookback(20), (x) => stddev(x, 20), real("STDDEV", { optInTimePeriod: 20, optInNbDev: 1 }), () => new StddevStream(20)),
  closeCase("SMA(2)", smaLookback(2), (x) => sma(x, 2), real("SMA", { optInTimePeriod: 2 }), () => new SmaStream(2)),
  closeCase("EMA(2)", emaLookback(2), (x) => ema(x, 2), real("EMA", { optInTimePeriod: 2 }), () => new EmaStream(2)),
  rangeCase("ATR(1)", atrLookback(1), (s) => atr(s.high, s.low, s.close, 1), ranged("ATR", { optInTimePeriod: 1 }), () => new AtrStream(1)),
  rangeCase("NATR(5)", natrLookback(5), (s) => natr(s.high, s.low, s.close, 5), ranged("NATR", { optInTimePeriod: 5 }), () => new NatrStream(5)),
  closeCase("RSI(2)", rsiLookback(2), (x) => rsi(x, 2), real("RSI", { optInTimePeriod: 2 }), () => new RsiStream(2)),
  macdCase(26, 12, 9),
  macdCase(5, 35, 2),
  bollingerCase(10, 1, 1),
  bollingerCase(5, 1.5, 2.5),
  adxCase(2),
  stochasticCase(5, 1, 1),
  stochasticCase(1, 4, 2),
  closeCase("STDDEV(5,1.5)", stddevLookback(5), (x) => stddev(x, 5, 1.5), real("STDDEV", { optInTimePeriod: 5, optInNbDev: 1.5 }), () => new StddevStream(5, 1.5)),
];
