import { describe, expect, it } from "vitest";
import { RiskloopError } from "../../core/index.ts";
import { hasSharedData, sharedDataPath, describeIfData } from "../../test/kit/shared-data.ts";
import type { HlcBar } from "./indicator-stream.ts";
import type { IndicatorCase } from "./indicator-cases.ts";
import { INDICATOR_CASES } from "./indicator-cases.ts";
import type { TestSeries } from "./test-series.ts";
import { assertSeriesMatch, EURUSD_H1_OANDA, randomWalk, readSeries } from "./test-series.ts";

const same = (a: number, b: number): boolean => a === b || (Number.isNaN(a) && Number.isNaN(b));

function barAt(s: TestSeries, i: number): HlcBar {
  return { high: s.high[i]!, low: s.low[i]!, close: s.close[i]! };
}

/** Feeds every bar through `feed` and returns the stream's outputs, bar by bar, as series. */
function runStream(c: IndicatorCase, s: TestSeries, feed: (stream: { update(b: HlcBar): void; replaceLast(b: HlcBar): void }, i: number) => void): Record<string, Float64Array> {
  const { stream, read } = c.stream();
  const n = s.close.length;
  const out: Record<string, Float64Array> = {};
  for (let i = 0; i < n; i++) {
    feed(stream, i);
    if (stream.count !== i + 1) throw new Error(`${c.label}: count ${stream.count} at bar ${i}`);
    if (stream.ready !== i >= c.lookback) throw new Error(`${c.label}: ready=${stream.ready} at bar ${i}`);
    if (Number.isNaN(stream.value) === stream.ready) throw new Error(`${c.label}: value ${stream.value} with ready=${stream.ready} at bar ${i}`);
    for (const [key, value] of Object.entries(read())) (out[key] ??= new Float64Array(n))[i] = value;
  }
  return out;
}

function expectStreamEqualsBatch(c: IndicatorCase, s: TestSeries, streamed: Record<string, Float64Array>): void {
  const batch = c.batch(s);
  for (const [key, values] of Object.entries(batch)) {
    const got = streamed[key]!;
    for (let i = 0; i < values.length; i++) {
      if (!same(got[i]!, values[i]!)) throw new Error(`${c.label}.${key} bar ${i}: stream ${got[i]} vs batch ${values[i]}`);
    }
  }
}

/** A forming version of bar i: a sub-range of the final bar with some close inside it. */
function formingBar(s: TestSeries, i: number, fraction: number): HlcBar {
  const high = s.high[i]!;
  const low = s.low[i]!;
  const open = s.open[i]!;
  const close = open + (s.close[i]! - open) * fraction;
  return { high: Math.max(open, close, low + (high - low) * fraction), low: Math.min(open, close), close };
}

describe("streaming indicators", () => {
  const walk = randomWalk(42, 3000);

  it("equal the batch forms exactly, bar by bar, with ready/count/value consistent", () => {
    for (const c of INDICATOR_CASES) {
      const streamed = runStream(c, walk, (stream, i) => stream.update(barAt(walk, i)));
      expectStreamEqualsBatch(c, walk, streamed);
    }
  });

  it("replaceLast on a forming bar gives exactly what a fresh update with the final bar gives", () => {
    for (const c of INDICATOR_CASES) {
      const streamed = runStream(c, walk, (stream, i) => {
        stream.update(formingBar(walk, i, 0.3));
        stream.replaceLast(formingBar(walk, i, -0.7));
        stream.replaceLast(formingBar(walk, i, 1.6));
        stream.replaceLast(barAt(walk, i));
      });
      expectStreamEqualsBatch(c, walk, streamed);
    }
  });

  it("equal TA-Lib through a flat stretch and a weekend gap", () => {
    const s = randomWalk(9, 300);
    for (let i = 100; i < 160; i++) s.high[i] = s.low[i] = s.close[i] = s.open[i] = s.close[99]!;
    for (let i = 200; i < 300; i++) {
      s.high[i]! += 0.02;
      s.low[i]! += 0.02;
      s.close[i]! += 0.02;
      s.open[i]! += 0.02;
    }
    for (const c of INDICATOR_CASES) {
      const streamed = runStream(c, s, (stream, i) => stream.update(barAt(s, i)));
      const reference = c.talib(s);
      for (const [key, values] of Object.entries(streamed)) assertSeriesMatch(`${c.label}.${key}`, values, reference[key]!, 1e-9);
    }
  });

  it("reset starts over, and replaceLast before any bar is refused", () => {
    for (const c of INDICATOR_CASES) {
      const { stream, read } = c.stream();
      expect(() => stream.replaceLast(barAt(walk, 0)), c.label).toThrow(RiskloopError);
      for (let i = 0; i < 200; i++) stream.update(barAt(walk, 1000 + i));
      stream.reset();
      expect(stream.count).toBe(0);
      expect(stream.ready).toBe(false);
      const fresh = c.stream();
      for (let i = 0; i < 100; i++) {
        stream.update(barAt(walk, i));
        fresh.stream.update(barAt(walk, i));
      }
      const a = read();
      const b = fresh.read();
      for (const key of Object.keys(a)) expect(same(a[key]!, b[key]!), `${c.label}.${key}`).toBe(true);
    }
  });
});

describeIfData(hasSharedData(...EURUSD_H1_OANDA), "streaming indicators on OANDA EURUSD H1 bid", () => {
  const series = readSeries(sharedDataPath(...EURUSD_H1_OANDA), "bid_");

  it("equal the batch forms exactly and TA-Lib at 1e-9 over all 74,439 bars", () => {
    for (const c of INDICATOR_CASES) {
      const streamed = runStream(c, series, (stream, i) => stream.update(barAt(series, i)));
      expectStreamEqualsBatch(c, series, streamed);
      const reference = c.talib(series);
      for (const [key, values] of Object.entries(streamed)) assertSeriesMatch(`${c.label}.${key}`, values, reference[key]!, 1e-9);
    }
  });
});
