import { existsSync } from "node:fs";
import { TIMEFRAME_MS, type Candle, type Tick } from "../core/index.ts";
import { DEFAULT_CONTEXT_PARAMS, ContextState, CONTEXT_TIMEFRAMES, MarketContextService } from "../analysis/context/index.ts";
import { InMemoryMarketData } from "../analysis/context/in-memory-market-data.ts";
import { eurusdMay2014, HISTDATA_EURUSD_M1, LEAN_EURUSD_TICKS, readHistdataBars, resample } from "../analysis/context/real-market-data.ts";
import { sharedDataPath } from "../test/kit/shared-data.ts";

let sink = 0;

function quantile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const round = (x: number, digits = 3): number => Number(x.toFixed(digits));

/** Live lookups on a warmed state fed two weeks of real bars and quotes: per-call latency in µs. */
async function liveLookups(data: ReturnType<typeof eurusdMay2014>): Promise<Record<string, number>> {
  const reader = InMemoryMarketData.of("EURUSD", data);
  const start = Date.UTC(2014, 4, 5, 0);
  const service = new MarketContextService(reader);
  await service.warm("EURUSD", start);
  type Event = { at: number; apply: () => void };
  const events: Event[] = [];
  for (const tf of CONTEXT_TIMEFRAMES) {
    for (const b of data.candles[tf]) if (b.time + TIMEFRAME_MS[tf] > start) events.push({ at: b.time + TIMEFRAME_MS[tf], apply: () => service.onBar("EURUSD", tf, b) });
  }
  for (const q of data.ticks) if (q.time > start) events.push({ at: q.time, apply: () => service.onTick("EURUSD", q) });
  events.sort((a, b) => a.at - b.at);
  // Interleave: after every event, one lookup at the event's time (as SRM asks while quotes stream in).
  const samples = new Float64Array(events.length);
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    e.apply();
    const t0 = process.hrtime.bigint();
    const c = service.contextAt("EURUSD", e.at);
    samples[i] = Number(process.hrtime.bigint() - t0) / 1000;
    sink += c.atr.M1.value ?? 0;
  }
  const steady = samples.subarray(Math.floor(samples.length / 10)).sort();
  return {
    live_lookups: steady.length,
    live_lookup_p50_us: round(quantile(steady, 0.5)),
    live_lookup_p99_us: round(quantile(steady, 0.99)),
    live_lookup_max_us: round(steady[steady.length - 1]!),
  };
}

/**
 * Streaming update cost, ns per update, best of 5: quotes; M1/H1 bars (ATR only); bars of the volatility
 * timeframe (M5: ATR plus re-ranking it in its 30-day window).
 */
function updateCost(data: ReturnType<typeof eurusdMay2014>): Record<string, number> {
  const volTf = DEFAULT_CONTEXT_PARAMS.volatilityTimeframe;
  const best = { bar: Infinity, volBar: Infinity, tick: Infinity };
  const plain = CONTEXT_TIMEFRAMES.filter((tf) => tf !== volTf);
  const plainBars = plain.reduce((n, tf) => n + data.candles[tf].length, 0);
  for (let r = 0; r < 5; r++) {
    const state = new ContextState("EURUSD", DEFAULT_CONTEXT_PARAMS, 0.0001);
    let t0 = performance.now();
    for (const tf of plain) for (const b of data.candles[tf]) state.onBar(tf, b);
    best.bar = Math.min(best.bar, ((performance.now() - t0) * 1e6) / plainBars);
    t0 = performance.now();
    for (const b of data.candles[volTf]) state.onBar(volTf, b);
    best.volBar = Math.min(best.volBar, ((performance.now() - t0) * 1e6) / data.candles[volTf].length);
    t0 = performance.now();
    for (const q of data.ticks) state.onTick(q);
    best.tick = Math.min(best.tick, ((performance.now() - t0) * 1e6) / data.ticks.length);
    sink += state.time;
  }
  return {
    update_per_bar_ns: round(best.bar, 1),
    update_per_volatility_bar_ns: round(best.volBar, 1),
    update_per_tick_ns: round(best.tick, 1),
    update_ticks: data.ticks.length,
  };
}

/** contextSeries over a month, best of 3: one context at every M1 close, from M1 bars with M5/H1 resampled. */
async function seriesThroughput(candles: Record<"M1" | "M5" | "H1", Candle[]>, ticks: Tick[], label: string): Promise<Record<string, number>> {
  const reader = InMemoryMarketData.of("EURUSD", { candles, ticks });
  const service = new MarketContextService(reader);
  const times = candles.M1.slice(DEFAULT_CONTEXT_PARAMS.warmBars).map((b) => b.time + TIMEFRAME_MS.M1);
  let seconds = Infinity;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    sink += (await service.contextSeries("EURUSD", times)).length;
    seconds = Math.min(seconds, (performance.now() - t0) / 1000);
  }
  return { [`${label}_contexts`]: times.length, [`${label}_contexts_per_s`]: Math.round(times.length / seconds) };
}

/**
 * Market context: live lookup latency after warm-up, streaming update cost per bar and per quote, and
 * contextSeries throughput over a month of real EURUSD M1 (HistData, January 2017) and over two weeks of
 * OANDA M1 with every quote (May 2014).
 */
export default async function run(): Promise<Record<string, unknown>> {
  if (!existsSync(sharedDataPath(...LEAN_EURUSD_TICKS)) || !existsSync(sharedDataPath(...HISTDATA_EURUSD_M1))) {
    return { skipped: "shared data absent" };
  }
  const may = eurusdMay2014(sharedDataPath);
  const m1 = readHistdataBars(sharedDataPath(...HISTDATA_EURUSD_M1), Date.UTC(2017, 0, 1), Date.UTC(2017, 1, 1));
  const month = { M1: m1, M5: resample(m1, "M5"), H1: resample(m1, "H1") };
  const figures = {
    ...(await liveLookups(may)),
    ...updateCost(may),
    ...(await seriesThroughput(month, [], "series_month_m1_no_ticks")),
    ...(await seriesThroughput(may.candles, may.ticks, "series_2weeks_m1_with_ticks")),
    series_month_m1_bars: m1.length,
    sink: sink === 0 ? 0 : 1,
  };
  return figures;
}
