import { describe, expect, it } from "vitest";
import { hasSharedData, sharedDataPath, describeIfData } from "../../test/kit/shared-data.ts";
import { realizedVolatility, realizedVolatilityLookback, RealizedVolatilityStream } from "./realized-volatility.ts";
import type { TestSeries } from "./test-series.ts";
import { compareSeries, EURUSD_H1_OANDA, EURUSD_M1_HISTDATA, randomWalk, readSeries } from "./test-series.ts";

/** The textbook two-pass computation, O(n·period): mean of the window's log returns, then squared deviations. */
function direct(close: Float64Array, period: number): Float64Array {
  const out = new Float64Array(close.length).fill(Number.NaN);
  for (let i = period; i < close.length; i++) {
    const r: number[] = [];
    for (let j = i - period + 1; j <= i; j++) r.push(Math.log(close[j]! / close[j - 1]!));
    const mean = r.reduce((a, b) => a + b, 0) / period;
    out[i] = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / (period - 1));
  }
  return out;
}

/** Feeds each bar as open, then high, then the final close through replaceLast; must equal the batch form. */
function expectStreamEqualsBatch(walk: TestSeries, period: number): void {
  const batch = realizedVolatility(walk.close, period);
  const stream = new RealizedVolatilityStream(period);
  for (let i = 0; i < walk.close.length; i++) {
    stream.update({ close: walk.open[i]! });
    stream.replaceLast({ close: walk.high[i]! });
    stream.replaceLast({ close: walk.close[i]! });
    if (stream.ready !== i >= period) throw new Error(`ready ${stream.ready} at bar ${i}`);
    if (!(stream.value === batch[i] || (Number.isNaN(stream.value) && Number.isNaN(batch[i]!)))) {
      throw new Error(`period ${period} bar ${i}: stream ${stream.value} vs batch ${batch[i]}`);
    }
  }
}

describe("realised volatility", () => {
  it("is the sample standard deviation of log returns (hand-computed example)", () => {
    const close = Float64Array.from([1, Math.exp(0.01), Math.exp(0.03), Math.exp(0.02)]);
    const out = realizedVolatility(close, 3);
    expect(Array.from(out.subarray(0, 3)).every(Number.isNaN)).toBe(true);
    // returns 0.01, 0.02, −0.01: mean 1/150, squared deviations sum 7/15000, over n − 1 = 2.
    expect(out[3]).toBeCloseTo(Math.sqrt(7 / 30000), 14);
    expect(realizedVolatilityLookback(3)).toBe(3);
  });

  it("matches the direct computation at 1e-9 on a long random walk", () => {
    const walk = randomWalk(5, 20_000);
    for (const period of [2, 8, 9, 20, 60]) {
      const { firstBad, maxRel } = compareSeries(realizedVolatility(walk.close, period), direct(walk.close, period), 1e-9);
      expect(firstBad, `period ${period}, max rel ${maxRel}`).toBe(-1);
    }
  });

  it("is exactly 0 on flat prices, including once a gap has left the window", () => {
    const close = new Float64Array(200).fill(1.1);
    close.fill(1.2, 50);
    const out = realizedVolatility(close, 20);
    expect(out[30]).toBe(0);
    expect(out[60]).toBeGreaterThan(0);
    expect(Array.from(out.subarray(110))).toEqual(new Array(90).fill(0));
  });

  it("does not depend on the price scale (EURUSD vs a JPY-like quote)", () => {
    const walk = randomWalk(8, 500);
    const scaled = walk.close.map((c) => c * 150);
    const { firstBad } = compareSeries(realizedVolatility(scaled, 20), realizedVolatility(walk.close, 20), 1e-9);
    expect(firstBad).toBe(-1);
  });

  it("streams exactly like the batch form, with replaceLast on forming bars", () => {
    const walk = randomWalk(13, 2000);
    for (const period of [4, 14]) expectStreamEqualsBatch(walk, period);
  });
});

describeIfData(hasSharedData(...EURUSD_H1_OANDA), "realised volatility on OANDA EURUSD H1 bid", () => {
  it("matches the direct computation at 1e-9 over 12 years of bars", () => {
    const { close } = readSeries(sharedDataPath(...EURUSD_H1_OANDA), "bid_");
    for (const period of [3, 24]) {
      const { firstBad, maxRel } = compareSeries(realizedVolatility(close, period), direct(close, period), 1e-9);
      expect(firstBad, `period ${period}, max rel ${maxRel}`).toBe(-1);
    }
  });
});

// M1 bars often move by exactly one pip several times in a row: nearly equal returns, the case that
// breaks running-sum variance formulas.
describeIfData(hasSharedData(...EURUSD_M1_HISTDATA), "realised volatility on HistData EURUSD M1 (steady one-pip moves)", () => {
  it("matches the direct computation at 1e-9 for short and long windows", () => {
    const close = readSeries(sharedDataPath(...EURUSD_M1_HISTDATA)).close.subarray(0, 60_000);
    for (const period of [2, 3, 9, 20]) {
      const { firstBad, maxRel } = compareSeries(realizedVolatility(close, period), direct(close, period), 1e-9);
      expect(firstBad, `period ${period}, max rel ${maxRel}`).toBe(-1);
    }
  });
});
