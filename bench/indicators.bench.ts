import { existsSync } from "node:fs";
import os from "node:os";
import talib from "talib";
import * as ti from "technicalindicators";
import { field, loadConfig, readEnvironment } from "../core/index.ts";
import type { HlcBar, IndicatorStream } from "../analysis/indicators/index.ts";
import * as ind from "../analysis/indicators/index.ts";
import { compareSeries, EURUSD_M1_HISTDATA, randomWalk, readSeries, type TestSeries } from "../analysis/indicators/test-series.ts";
import { sessionAt } from "../analysis/session/index.ts";
import { sharedDataPath } from "../test/kit/shared-data.ts";

const config = loadConfig(
  {
    bench: {
      bars: field.int("BENCH_BARS", "Bars for the indicator benchmark (real EURUSD M1 tiled to this length).", { default: 5_000_000, min: 10_000 }),
      slowBars: field.int("BENCH_SLOW_BARS", "Bars given to technicalindicators, which needs about 70 s for 5M bars.", { default: 1_000_000, min: 10_000 }),
    },
  },
  readEnvironment(),
  [],
).value.bench;

let sink = 0;
const MINUTE_MS = 60_000;

/**
 * The real EURUSD M1 bars tiled to `n`: every other copy runs backwards in time (open and close swapped), so
 * the series stays continuous and in EURUSD's own price range without an invented trend.
 */
function tiledBars(n: number): { series: TestSeries; source: string } {
  const file = sharedDataPath(...EURUSD_M1_HISTDATA);
  const real = existsSync(file) ? readSeries(file) : randomWalk(1, 186_348);
  const m = real.close.length;
  const out: TestSeries = { time: [], open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const tile = Math.floor(i / m);
    const forward = tile % 2 === 0;
    const j = forward ? i % m : m - 1 - (i % m);
    out.open[i] = forward ? real.open[j]! : real.close[j]!;
    out.close[i] = forward ? real.close[j]! : real.open[j]!;
    out.high[i] = real.high[j]!;
    out.low[i] = real.low[j]!;
  }
  return { series: out, source: existsSync(file) ? `HistData EURUSD M1 2017H1 (${m} bars), tiled` : "synthetic random walk (shared data absent)" };
}

function timeMs(fn: () => number): number {
  const start = performance.now();
  sink += fn();
  return performance.now() - start;
}

/** Median wall time of up to `runs` runs, stopping early once `budgetMs` is spent. */
function medianMs(fn: () => number, runs: number, budgetMs: number): number {
  const times = [timeMs(fn)];
  while (times.length < runs && times.reduce((a, b) => a + b, 0) < budgetMs) times.push(timeMs(fn));
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** Something derived from an output, so the work cannot be optimised away. */
const touch = (values: ArrayLike<unknown>): number => values.length;
const mbarsPerS = (bars: number, ms: number): number => Math.round((bars / ms / 1000) * 100) / 100;

/** technicalindicators is typed for number[] but reads any array-like; it is fed the same Float64Array. */
const asNumbers = (values: Float64Array): number[] => values as unknown as number[];

interface Entry {
  name: string;
  ours(s: TestSeries): Record<string, Float64Array>;
  stream(): IndicatorStream<HlcBar>;
  talib?: { name: string; inputs: "hlc" | "close"; options: Record<string, number>; outputs: Record<string, string> };
  technicalindicators?(s: TestSeries): unknown[];
}

const ENTRIES: Entry[] = [
  {
    name: "trange",
    ours: (s) => ({ value: ind.trueRange(s.high, s.low, s.close) }),
    stream: () => new ind.TrueRangeStream(),
    talib: { name: "TRANGE", inputs: "hlc", options: {}, outputs: { value: "outReal" } },
    technicalindicators: (s) => ti.TrueRange.calculate({ high: asNumbers(s.high), low: asNumbers(s.low), close: asNumbers(s.close) }),
  },
  {
    name: "atr14",
    ours: (s) => ({ value: ind.atr(s.high, s.low, s.close, 14) }),
    stream: () => new ind.AtrStream(14),
    talib: { name: "ATR", inputs: "hlc", options: { optInTimePeriod: 14 }, outputs: { value: "outReal" } },
    technicalindicators: (s) => ti.ATR.calculate({ high: asNumbers(s.high), low: asNumbers(s.low), close: asNumbers(s.close), period: 14 }),
  },
  {
    name: "natr14",
    ours: (s) => ({ value: ind.natr(s.high, s.low, s.close, 14) }),
    stream: () => new ind.NatrStream(14),
    talib: { name: "NATR", inputs: "hlc", options: { optInTimePeriod: 14 }, outputs: { value: "outReal" } },
  },
  {
    name: "sma20",
    ours: (s) => ({ value: ind.sma(s.close, 20) }),
    stream: () => new ind.SmaStream(20),
    talib: { name: "SMA", inputs: "close", options: { optInTimePeriod: 20 }, outputs: { value: "outReal" } },
    technicalindicators: (s) => ti.SMA.calculate({ values: asNumbers(s.close), period: 20 }),
  },
  {
    name: "ema20",
    ours: (s) => ({ value: ind.ema(s.close, 20) }),
    stream: () => new ind.EmaStream(20),
    talib: { name: "EMA", inputs: "close", options: { optInTimePeriod: 20 }, outputs: { value: "outReal" } },
    technicalindicators: (s) => ti.EMA.calculate({ values: asNumbers(s.close), period: 20 }),
  },
  {
    name: "rsi14",
    ours: (s) => ({ value: ind.rsi(s.close, 14) }),
    stream: () => new ind.RsiStream(14),
    talib: { name: "RSI", inputs: "close", options: { optInTimePeriod: 14 }, outputs: { value: "outReal" } },
    technicalindicators: (s) => ti.RSI.calculate({ values: asNumbers(s.close), period: 14 }),
  },
  {
    name: "macd",
    ours: (s) => ({ ...ind.macd(s.close) }),
    stream: () => new ind.MacdStream(),
    talib: { name: "MACD", inputs: "close", options: { optInFastPeriod: 12, optInSlowPeriod: 26, optInSignalPeriod: 9 }, outputs: { macd: "outMACD", signal: "outMACDSignal", histogram: "outMACDHist" } },
    technicalindicators: (s) =>
      ti.MACD.calculate({ values: asNumbers(s.close), fastPeriod: 12, slowPeriod: 26, signalPeriod: 9, SimpleMAOscillator: false, SimpleMASignal: false }),
  },
  {
    name: "bb20",
    ours: (s) => ({ ...ind.bollingerBands(s.close) }),
    stream: () => new ind.BollingerStream(),
    talib: {
      name: "BBANDS",
      inputs: "close",
      options: { optInTimePeriod: 20, optInNbDevUp: 2, optInNbDevDn: 2, optInMAType: 0 },
      outputs: { upper: "outRealUpperBand", middle: "outRealMiddleBand", lower: "outRealLowerBand" },
    },
    technicalindicators: (s) => ti.BollingerBands.calculate({ values: asNumbers(s.close), period: 20, stdDev: 2 }),
  },
  {
    name: "adx14",
    ours: (s) => ({ adx: ind.adx(s.high, s.low, s.close, 14).adx }),
    stream: () => new ind.AdxStream(14),
    talib: { name: "ADX", inputs: "hlc", options: { optInTimePeriod: 14 }, outputs: { adx: "outReal" } },
    technicalindicators: (s) => ti.ADX.calculate({ high: asNumbers(s.high), low: asNumbers(s.low), close: asNumbers(s.close), period: 14 }),
  },
  {
    name: "stoch14_3_3",
    ours: (s) => ({ ...ind.stochastic(s.high, s.low, s.close) }),
    stream: () => new ind.StochasticStream(),
    talib: {
      name: "STOCH",
      inputs: "hlc",
      options: { optInFastK_Period: 14, optInSlowK_Period: 3, optInSlowK_MAType: 0, optInSlowD_Period: 3, optInSlowD_MAType: 0 },
      outputs: { k: "outSlowK", d: "outSlowD" },
    },
    technicalindicators: (s) => ti.Stochastic.calculate({ high: asNumbers(s.high), low: asNumbers(s.low), close: asNumbers(s.close), period: 14, signalPeriod: 3 }),
  },
  {
    name: "stddev20",
    ours: (s) => ({ value: ind.stddev(s.close, 20) }),
    stream: () => new ind.StddevStream(20),
    talib: { name: "STDDEV", inputs: "close", options: { optInTimePeriod: 20, optInNbDev: 1 }, outputs: { value: "outReal" } },
    technicalindicators: (s) => ti.SD.calculate({ values: asNumbers(s.close), period: 20 }),
  },
  {
    name: "realized_vol20",
    ours: (s) => ({ value: ind.realizedVolatility(s.close, 20) }),
    stream: () => new ind.RealizedVolatilityStream(20),
  },
];

function sliceSeries(s: TestSeries, n: number): TestSeries {
  return { time: [], open: s.open.subarray(0, n), high: s.high.subarray(0, n), low: s.low.subarray(0, n), close: s.close.subarray(0, n) };
}

type Feeder = (stream: IndicatorStream<HlcBar>, high: Float64Array, low: Float64Array, close: Float64Array) => number;

/**
 * A fresh copy of the feeding loop for each indicator: one loop shared by twelve stream classes would become
 * megamorphic and time V8's dispatch rather than the stream. Candles arrive as one reused object.
 */
function feeder(): Feeder {
  return new Function(
    "stream",
    "high",
    "low",
    "close",
    `const bar = { high: 0.5, low: 0.5, close: 0.5 };
     for (let i = 0; i < close.length; i++) {
       bar.high = high[i]; bar.low = low[i]; bar.close = close[i];
       stream.update(bar);
     }
     return stream.value;`,
  ) as Feeder;
}

/** Every stream updated on every bar, as the market context service would: ns per bar for all of them. */
function allStreamsNs(s: TestSeries): number {
  const streams = ENTRIES.map((e) => e.stream());
  const bar = { high: 0, low: 0, close: 0 };
  const start = performance.now();
  for (let i = 0; i < s.close.length; i++) {
    bar.high = s.high[i]!;
    bar.low = s.low[i]!;
    bar.close = s.close[i]!;
    for (const stream of streams) stream.update(bar);
  }
  for (const stream of streams) sink += stream.value;
  return Math.round(((performance.now() - start) * 1e6) / s.close.length);
}

function talibRun(spec: NonNullable<Entry["talib"]>, arrays: Record<"high" | "low" | "close", number[]>): talib.ExecuteResult {
  const inputs = spec.inputs === "hlc" ? arrays : { inReal: arrays.close };
  return talib.execute({ name: spec.name as talib.ExecuteParameters["name"], startIdx: 0, endIdx: arrays.close.length - 1, ...inputs, ...spec.options });
}

function sessionFigures(bars: number): Record<string, number> {
  const start = Date.parse("2017-01-02T07:00:00Z");
  const t0 = performance.now();
  for (let i = 0; i < bars; i++) sink += sessionAt(start + i * MINUTE_MS).mask;
  const sequential = ((performance.now() - t0) * 1e6) / bars;
  const from = Date.parse("2007-01-01T00:00:00Z");
  const span = Date.parse("2027-01-01T00:00:00Z") - from;
  const calls = 1_000_000;
  const times = new Float64Array(calls);
  let seed = 7;
  for (let i = 0; i < calls; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    times[i] = from + Math.floor((seed / 4294967296) * span);
  }
  const randomPass = (): number => {
    const t = performance.now();
    for (let i = 0; i < calls; i++) sink += sessionAt(times[i]!).mask;
    return ((performance.now() - t) * 1e6) / calls;
  };
  const randomFirst = randomPass();
  const randomCached = randomPass();
  return {
    session_at_sequential_m1_ns: Math.round(sequential),
    session_at_random_2007_2026_first_pass_ns: Math.round(randomFirst),
    session_at_random_2007_2026_cached_ns: Math.round(randomCached),
  };
}

/** Million bars per second for each indicator: our batch and streaming forms, TA-Lib's binding and technicalindicators. */
export default async function run(): Promise<Record<string, unknown>> {
  const { series, source } = tiledBars(config.bars);
  const bars = series.close.length;
  const slowBars = Math.min(config.slowBars, bars);
  const slow = sliceSeries(series, slowBars);
  const arrays = { high: Array.from(series.high), low: Array.from(series.low), close: Array.from(series.close) };
  const warm = sliceSeries(series, Math.min(50_000, bars));
  const loadBefore = Math.round(os.loadavg()[0]! * 10) / 10;
  const figures: Record<string, unknown> = { bars, source, technicalindicators_bars: slowBars, talib_input: "plain arrays (the binding misreads Float64Array)" };

  for (const e of ENTRIES) {
    const feed = feeder();
    // Several short runs first: a single one leaves call sites without type feedback, and the first timed
    // run would then deoptimise and crawl through interpreted code until on-stack replacement.
    for (let w = 0; w < 8; w++) {
      e.ours(warm);
      feed(e.stream(), warm.high, warm.low, warm.close);
    }
    const batchMs = medianMs(() => touch(Object.values(e.ours(series))[0]!), 5, 3000);
    const streamMs = medianMs(() => feed(e.stream(), series.high, series.low, series.close), 3, 3000);
    figures[`${e.name}_batch_mbars_per_s`] = mbarsPerS(bars, batchMs);
    figures[`${e.name}_stream_mbars_per_s`] = mbarsPerS(bars, streamMs);
    figures[`${e.name}_stream_ns_per_bar`] = Math.round((streamMs * 1e6) / bars * 10) / 10;
    if (e.talib) {
      const spec = e.talib;
      let result: talib.ExecuteResult | undefined;
      const talibMs = medianMs(() => {
        result = talibRun(spec, arrays);
        return result.nbElement;
      }, 2, 4000);
      figures[`${e.name}_talib_mbars_per_s`] = mbarsPerS(bars, talibMs);
      figures[`${e.name}_batch_vs_talib`] = Math.round((talibMs / batchMs) * 10) / 10;
      const ours = e.ours(series);
      let maxRel: number | string = 0;
      for (const [key, out] of Object.entries(spec.outputs)) {
        const reference = new Float64Array(bars).fill(Number.NaN);
        reference.set(result!.result[out]!, result!.begIndex);
        const cmp = compareSeries(ours[key]!, reference);
        if (cmp.firstBad >= 0) maxRel = `${key} differs at bar ${cmp.firstBad}`;
        else if (typeof maxRel === "number") maxRel = Math.max(maxRel, cmp.maxRel);
      }
      figures[`${e.name}_max_rel_diff_vs_talib`] = maxRel;
    }
    if (e.technicalindicators) {
      const calculate = e.technicalindicators;
      calculate(warm);
      const tiMs = medianMs(() => touch(calculate(slow)), 2, 3000);
      const oursOnSlow = medianMs(() => touch(Object.values(e.ours(slow))[0]!), 5, 2000);
      figures[`${e.name}_technicalindicators_mbars_per_s`] = mbarsPerS(slowBars, tiMs);
      figures[`${e.name}_batch_vs_technicalindicators`] = Math.round((tiMs / oursOnSlow) * 10) / 10;
    }
  }
  figures.all_streams_per_bar_ns = allStreamsNs(sliceSeries(series, Math.min(bars, 1_000_000)));
  Object.assign(figures, sessionFigures(bars));
  figures.load_average_1min = [loadBefore, Math.round(os.loadavg()[0]! * 10) / 10];
  figures.sink = Number.isFinite(sink) ? 1 : 0;
  return figures;
}
