import { describe, expect, it } from "vitest";
import { hasSharedData, sharedDataPath, describeIfData } from "../../test/kit/shared-data.ts";
import { adx, atr, bollingerBands, ema, macd, natr, rsi, sma, stddev, stochastic, trueRange } from "./index.ts";
import { assertSeriesMatch, EURUSD_H1_MT5, readColumns, readSeries, TALIB_GOLDEN_H1 } from "./test-series.ts";

// The golden file was written by TA-Lib C 0.6.0 (npm talib 2.0.5) on the last 3,000 bars of the MT5 H1
// export; it checks the indicators independently of the binding installed here.
describeIfData(hasSharedData(...TALIB_GOLDEN_H1), "indicators against the TA-Lib 0.6.0 golden file (EURUSD H1)", () => {
  const { columns } = readColumns(sharedDataPath(...TALIB_GOLDEN_H1));
  const column = (name: string): Float64Array => {
    const values = columns.get(name);
    if (!values) throw new Error(`golden file has no column ${name}`);
    return values;
  };
  const high = column("high");
  const low = column("low");
  const close = column("close");

  it.skipIf(!hasSharedData(...EURUSD_H1_MT5))("was computed on the last 3,000 bars of the MT5 export", () => {
    const mt5 = readSeries(sharedDataPath(...EURUSD_H1_MT5));
    expect(close.length).toBe(3000);
    expect(Array.from(close)).toEqual(Array.from(mt5.close.subarray(mt5.close.length - 3000)));
  });

  it("matches every golden column this area implements, bar by bar at 1e-9", () => {
    const m = macd(close);
    const bands = bollingerBands(close, { period: 20, devUp: 2, devDown: 2 });
    const stoch = stochastic(high, low, close);
    const directional = adx(high, low, close, 14);
    const expected: Record<string, Float64Array> = {
      SMA_20: sma(close, 20),
      EMA_20: ema(close, 20),
      RSI_14: rsi(close, 14),
      TRANGE: trueRange(high, low, close),
      ATR_14: atr(high, low, close, 14),
      NATR_14: natr(high, low, close, 14),
      MACD_12_26_9: m.macd,
      MACD_SIGNAL_12_26_9: m.signal,
      MACD_HIST_12_26_9: m.histogram,
      BB_UPPER_20_2: bands.upper,
      BB_MIDDLE_20_2: bands.middle,
      BB_LOWER_20_2: bands.lower,
      STDDEV_20_pop: stddev(close, 20),
      STOCH_SLOWK_14_3_3: stoch.k,
      STOCH_SLOWD_14_3_3: stoch.d,
      ADX_14: directional.adx,
      PLUS_DI_14: directional.plusDI,
      MINUS_DI_14: directional.minusDI,
    };
    for (const [name, ours] of Object.entries(expected)) assertSeriesMatch(name, ours, column(name), 1e-9);
  });
});
