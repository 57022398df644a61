import { describe, expect, it } from "vitest";
import { hasSharedData, sharedDataPath, describeIfData } from "../../test/kit/shared-data.ts";
import { adx, atr, bollingerBands, rsi, stddev, stochastic, trueRange } from "./index.ts";
import { INDICATOR_CASES } from "./indicator-cases.ts";
import type { TestSeries } from "./test-series.ts";
import { assertSeriesMatch, compareSeries, EURUSD_H1_MT5, EURUSD_H1_OANDA, randomWalk, readSeries } from "./test-series.ts";

const REL = 1e-9;

function expectTalibParity(series: TestSeries): void {
  for (const c of INDICATOR_CASES) {
    const ours = c.batch(series);
    const reference = c.talib(series);
    expect(Object.keys(ours).sort(), c.label).toEqual(Object.keys(reference).sort());
    for (const [key, values] of Object.entries(ours)) {
      expect(values.length, `${c.label}.${key}`).toBe(series.close.length);
      assertSeriesMatch(`${c.label}.${key}`, values, reference[key]!, REL);
    }
  }
}

function expectWarmUpThenNoNaN(series: TestSeries): void {
  for (const c of INDICATOR_CASES) {
    const main = Object.values(c.batch(series))[0]!;
    const firstValue = main.findIndex((v) => !Number.isNaN(v));
    expect(firstValue, `${c.label} first value`).toBe(c.lookback);
    expect(main.subarray(c.lookback).some(Number.isNaN), `${c.label} NaN after warm-up`).toBe(false);
  }
}

describeIfData(hasSharedData(...EURUSD_H1_OANDA), "indicators against TA-Lib 0.6 on OANDA EURUSD H1 bid, 2007–2018", () => {
  const series = readSeries(sharedDataPath(...EURUSD_H1_OANDA), "bid_");

  it("reads the whole file (74,439 bars with real weekend gaps)", () => {
    expect(series.close.length).toBe(74_439);
  });

  it("matches TA-Lib bar by bar for every indicator and setting", () => {
    expectTalibParity(series);
  });

  it("starts each indicator exactly at its lookback and has no NaN after it", () => {
    expectWarmUpThenNoNaN(series);
  });
});

describeIfData(hasSharedData(...EURUSD_H1_MT5), "indicators against TA-Lib 0.6 on MT5 EURUSD H1, 2024–2026", () => {
  const series = readSeries(sharedDataPath(...EURUSD_H1_MT5));

  it("matches TA-Lib bar by bar for every indicator and setting", () => {
    expectTalibParity(series);
  });
});

describe("indicators against TA-Lib 0.6 on edge cases", () => {
  const flat = (n: number, price: number, halfRange: number): TestSeries => ({
    time: [],
    open: new Float64Array(n).fill(price),
    high: new Float64Array(n).fill(price + halfRange),
    low: new Float64Array(n).fill(price - halfRange),
    close: new Float64Array(n).fill(price),
  });

  it("flat prices with zero range: the divide-by-zero conventions match", () => {
    const s = flat(80, 1.1, 0);
    expectTalibParity(s);
    const last = (values: Float64Array): number => values[values.length - 1]!;
    const a = adx(s.high, s.low, s.close);
    const bands = bollingerBands(s.close);
    const stoch = stochastic(s.high, s.low, s.close);
    // TA-Lib's conventions, which differ from textbook ones (e.g. RSI 50 for a flat market).
    expect([last(rsi(s.close)), last(a.adx), last(a.plusDI), last(a.minusDI), last(stoch.k), last(stoch.d)]).toEqual([0, 0, 0, 0, 0, 0]);
    expect([last(atr(s.high, s.low, s.close)), last(stddev(s.close))]).toEqual([0, 0]);
    expect([last(bands.upper), last(bands.lower)]).toEqual([last(bands.middle), last(bands.middle)]);
  });

  it("flat closes inside a constant range (no directional movement)", () => {
    expectTalibParity(flat(80, 1.1, 0.0005));
  });

  it("a flat stretch inside a moving market", () => {
    const s = randomWalk(7, 200);
    for (let i = 60; i < 120; i++) {
      s.open[i] = s.high[i] = s.low[i] = s.close[i] = s.close[59]!;
    }
    expectTalibParity(s);
  });

  it("a weekend gap of 150 pips", () => {
    const s = randomWalk(11, 150);
    for (let i = 80; i < 150; i++) {
      s.open[i]! += 0.015;
      s.high[i]! += 0.015;
      s.low[i]! += 0.015;
      s.close[i]! += 0.015;
    }
    expectTalibParity(s);
    // The gap bar's true range reaches back to the previous close.
    expect(trueRange(s.high, s.low, s.close)[80]).toBeCloseTo(Math.max(s.high[80]! - s.close[79]!, s.high[80]! - s.low[80]!), 15);
    expect(trueRange(s.high, s.low, s.close)[80]).toBeGreaterThan(0.014);
  });

  it("series no longer than the lookback have no value; one bar more gives exactly one", () => {
    for (const c of INDICATOR_CASES) {
      const short = randomWalk(3, c.lookback);
      const main = Object.values(c.batch(short))[0]!;
      expect(main.length).toBe(c.lookback);
      expect(main.every(Number.isNaN), c.label).toBe(true);
      const justEnough = Object.values(c.batch(randomWalk(3, c.lookback + 1)))[0]!;
      expect(justEnough.filter((v) => !Number.isNaN(v)).length, c.label).toBe(1);
    }
    for (let n = 1; n <= 36; n++) expectTalibParity(randomWalk(n, n));
  });

  it("empty input gives empty output", () => {
    for (const c of INDICATOR_CASES) {
      for (const values of Object.values(c.batch(randomWalk(1, 0)))) expect(values.length).toBe(0);
    }
  });

  it("random walks of several lengths", () => {
    for (const n of [35, 100, 1000]) expectTalibParity(randomWalk(n, n));
  });
});
