import { describe, expect, it } from "vitest";
import { RiskloopError } from "../../core/index.ts";
import * as indicators from "./index.ts";

const x = new Float64Array(50).fill(1);

function expectInvalid(run: () => unknown, field: string): void {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(RiskloopError);
    expect((err as RiskloopError).code).toBe("CORE_ERR_INVALID");
    expect((err as RiskloopError).details?.field).toBe(field);
    return;
  }
  throw new Error(`expected ${field} to be refused`);
}

describe("indicator inputs", () => {
  it("refuses periods outside TA-Lib's accepted ranges", () => {
    expectInvalid(() => indicators.sma(x, 0), "period");
    expectInvalid(() => indicators.ema(x, 1), "period");
    expectInvalid(() => indicators.rsi(x, 1.5), "period");
    expectInvalid(() => indicators.natr(x, x, x, 1), "period");
    expectInvalid(() => indicators.adx(x, x, x, 100_001), "period");
    expectInvalid(() => indicators.macd(x, { signal: 1 }), "signal");
    expectInvalid(() => indicators.stochastic(x, x, x, { slowD: 0 }), "slowD");
    expectInvalid(() => indicators.bollingerBands(x, { devUp: Number.NaN }), "devUp");
    expectInvalid(() => new indicators.AtrStream(0), "period");
  });

  it("refuses high/low/close of different lengths", () => {
    expectInvalid(() => indicators.atr(x, x.subarray(1), x), "high/low/close");
  });

  it("reports the TA-Lib lookbacks for the default settings", () => {
    expect({
      sma: indicators.smaLookback(20),
      ema: indicators.emaLookback(20),
      trange: indicators.TRANGE_LOOKBACK,
      atr: indicators.atrLookback(14),
      natr: indicators.natrLookback(14),
      rsi: indicators.rsiLookback(14),
      macd: indicators.macdLookback(),
      bbands: indicators.bollingerLookback(),
      adx: indicators.adxLookback(14),
      di: indicators.directionalLookback(14),
      stoch: indicators.stochasticLookback(),
      stddev: indicators.stddevLookback(20),
      rv: indicators.realizedVolatilityLookback(20),
    }).toEqual({ sma: 19, ema: 19, trange: 1, atr: 14, natr: 14, rsi: 14, macd: 33, bbands: 19, adx: 27, di: 14, stoch: 17, stddev: 19, rv: 20 });
    expect(indicators.macdLookback({ fast: 26, slow: 12, signal: 9 })).toBe(33);
  });
});
