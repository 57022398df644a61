import { describe, expect, it } from "vitest";
import { hasSharedData, sharedDataPath, describeIfData } from "../../test/kit/shared-data.ts";
import type { TestSeries } from "../indicators/test-series.ts";
import { EURUSD_H1_MT5, EURUSD_H1_OANDA, randomWalk, readSeries, runTalib } from "../indicators/test-series.ts";
import type { Ohlc } from "./candle-average.ts";
import { seededUniform } from "../context/seeded-uniform.ts";
import { scanPattern } from "./candle-pattern.ts";
import { CANDLE_PATTERNS } from "./candle-patterns.ts";

/** TA-Lib's documented penetration defaults; the binding crashes when an optional input is left out. */
const PENETRATION: Record<string, number> = { CDLDARKCLOUDCOVER: 0.5, CDLMORNINGSTAR: 0.3, CDLEVENINGSTAR: 0.3 };

/** TA-Lib's output for a CDL function, zero where it gives none (the lookback). */
function talibPattern(name: string, s: Ohlc): Int32Array {
  const options: Record<string, number> = name in PENETRATION ? { optInPenetration: PENETRATION[name]! } : {};
  const out = runTalib(name, { open: s.open, high: s.high, low: s.low, close: s.close }, options);
  const values = Object.values(out)[0]!;
  return Int32Array.from(values, (v) => (Number.isNaN(v) ? 0 : v));
}

/** Compares every pattern bar by bar; returns the hits per pattern so callers can see the test is not vacuous. */
function expectTalibAgreement(s: Ohlc): Record<string, number> {
  const hits: Record<string, number> = {};
  for (const p of CANDLE_PATTERNS) {
    const ours = scanPattern(p, s);
    const reference = talibPattern(p.talib, s);
    const firstBad = ours.findIndex((v, i) => v !== reference[i]);
    if (firstBad >= 0) throw new Error(`${p.talib}: bar ${firstBad}: ours ${ours[firstBad]} vs TA-Lib ${reference[firstBad]}`);
    hits[p.name] = ours.filter((v) => v !== 0).length;
  }
  return hits;
}

/** The last `n` bars of a series. */
function tail(s: TestSeries, n: number): Ohlc {
  const from = Math.max(0, s.close.length - n);
  return { open: s.open.subarray(from), high: s.high.subarray(from), low: s.low.subarray(from), close: s.close.subarray(from) };
}

/**
 * A seeded series built to trigger every pattern: random gaps between bars (FX bars rarely gap, so stars and
 * doji stars are rare on real data), frequent dojis, near-equal opens and closes, and shaved shadows.
 */
function gappySeries(seed: number, n: number): Ohlc {
  const base = randomWalk(seed, n);
  const o = new Float64Array(n);
  const h = new Float64Array(n);
  const l = new Float64Array(n);
  const c = new Float64Array(n);
  const rnd = seededUniform(seed * 7919);
  let prev = 1.1;
  let prevOpen = 1.1;
  for (let i = 0; i < n; i++) {
    const move = base.close[i]! - base.open[i]!;
    const gap = rnd() < 0.3 ? (rnd() - 0.5) * 0.004 : 0;
    // Sometimes open back inside the prior body, as soldiers and crows do.
    const inside = rnd() < 0.25 ? (prevOpen - prev) * 0.4 : 0;
    const open = Math.round((prev + gap + inside) * 1e5) / 1e5;
    const body = rnd() < 0.2 ? 0 : move * (rnd() < 0.3 ? 3 : 1);
    const close = Math.round((open + body) * 1e5) / 1e5;
    const up = rnd() < 0.3 ? 0 : Math.round(rnd() * 0.002 * 1e5) / 1e5;
    const down = rnd() < 0.3 ? 0 : Math.round(rnd() * 0.002 * 1e5) / 1e5;
    o[i] = open;
    c[i] = close;
    h[i] = Math.max(open, close) + up;
    l[i] = Math.min(open, close) - down;
    prev = close;
    prevOpen = open;
  }
  return { open: o, high: h, low: l, close: c };
}

describeIfData(hasSharedData(...EURUSD_H1_OANDA), "candlestick patterns against TA-Lib 0.6 on real EURUSD H1", () => {
  it("agree bar by bar on the last 5,000 OANDA EURUSD H1 bid bars (2018)", () => {
    const hits = expectTalibAgreement(tail(readSeries(sharedDataPath(...EURUSD_H1_OANDA), "bid_"), 5000));
    // Common shapes appear often on real bars.
    for (const name of ["DOJI", "SPINNING_TOP", "ENGULFING", "HARAMI", "MARUBOZU", "HAMMER", "HANGING_MAN"]) expect(hits[name], name).toBeGreaterThan(5);
  });

  it.skipIf(!hasSharedData(...EURUSD_H1_MT5))("agree bar by bar on 10,000 MT5 EURUSD H1 bars (2024–2026)", () => {
    expectTalibAgreement(readSeries(sharedDataPath(...EURUSD_H1_MT5)));
  });
});

describe("candlestick patterns against TA-Lib 0.6 on constructed series", () => {
  it("agree bar by bar on a gappy series where every pattern fires", () => {
    const hits = expectTalibAgreement(gappySeries(11, 40_000));
    for (const p of CANDLE_PATTERNS) expect(hits[p.name], p.name).toBeGreaterThan(0);
  });

  it("agree on flat bars, series shorter than the lookback, and exactly the lookback", () => {
    const flat = (n: number): Ohlc => ({
      open: new Float64Array(n).fill(1.1),
      high: new Float64Array(n).fill(1.1),
      low: new Float64Array(n).fill(1.1),
      close: new Float64Array(n).fill(1.1),
    });
    expectTalibAgreement(flat(50));
    for (const n of [1, 2, 10, 11, 12, 13, 14]) expectTalibAgreement(tail(randomWalk(5, 40), n));
  });

  it("give the documented values on textbook shapes", () => {
    // Ten ordinary bars, then a long black bar and a white bar engulfing it.
    const s = randomWalk(3, 12);
    const o = Float64Array.from(s.open);
    const c = Float64Array.from(s.close);
    const h = Float64Array.from(s.high);
    const l = Float64Array.from(s.low);
    o[10] = 1.105;
    c[10] = 1.1;
    h[10] = 1.1055;
    l[10] = 1.0995;
    o[11] = 1.0995;
    c[11] = 1.1055;
    h[11] = 1.106;
    l[11] = 1.099;
    const engulfing = scanPattern(CANDLE_PATTERNS.find((p) => p.name === "ENGULFING")!, { open: o, high: h, low: l, close: c });
    expect(engulfing[11]).toBe(100);
    // Reversed: the white bar now starts exactly at the black bar's close, so the bodies share an end (80).
    o[11] = 1.1;
    expect(scanPattern(CANDLE_PATTERNS.find((p) => p.name === "ENGULFING")!, { open: o, high: h, low: l, close: c })[11]).toBe(80);
  });
});
