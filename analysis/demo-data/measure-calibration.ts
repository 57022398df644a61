import path from "node:path";
import { readBarFile, readTickFile, type CandleColumns } from "../market-data/index.ts";
import { measureBars, rms, spreadQuantiles, tickSpreads, ticksPerMinute, weekendGaps } from "./market-statistics.ts";

/** The real files one symbol's figures are measured from, relative to the data folder. */
export interface CalibrationSource {
  symbol: string;
  /** M1 bars; of a bid/ask file the bid side is used and its close spreads give the spread figures. */
  m1: string;
  /** The ask side's M1 bars when `m1` holds the bid side only. */
  m1Ask?: string;
  /** Quotes: spreads and tick rate come from here when present. */
  ticks?: string;
  /** Bars whose opens are the first real quote (MetaTrader H1), for weekend gaps. */
  gaps?: string;
  /** Read at most this many ticks. */
  maxTicks?: number;
}

/** Figures the scenario generator is calibrated with, for one symbol. */
export interface SymbolCalibration {
  symbol: string;
  sources: string[];
  m1Bars: number;
  returns: number;
  /** Std of M1 log returns by UTC hour; hours without data borrow the median hour. */
  sigmaByHour: number[];
  /** Volatility by UTC weekday (0 = Sunday) relative to the hour profile. */
  weekdayFactor: number[];
  excessKurtosis: number;
  /** Student-t degrees of freedom with that excess kurtosis (6 / (ν − 4)), kept within [4.1, 60]. */
  tailNu: number;
  beyond4Sigma: number;
  wickMean: number;
  spreadMedian: number;
  spreadP95: number;
  spreadSource: "ticks" | "m1 close";
  crossedShare: number;
  /** Mean ticks per active minute (null without a tick file). */
  ticksPerMinute: number | null;
  /** Root mean square of weekend-gap log returns, and how many weekends it is from. */
  weekendGapRms: number;
  weekendGaps: number;
}

function joinedSpreads(bid: CandleColumns, ask: CandleColumns): Float64Array {
  const at = new Map<number, number>();
  ask.time.forEach((t, i) => at.set(t, i));
  const out: number[] = [];
  bid.time.forEach((t, i) => {
    const j = at.get(t);
    if (j !== undefined) out.push(ask.close[j]! - bid.close[i]!);
  });
  return Float64Array.from(out);
}

function fillMissing(values: number[]): number[] {
  const known = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const median = known[known.length >> 1] ?? Number.NaN;
  return values.map((v) => (Number.isNaN(v) ? median : v));
}

/** Measures each symbol's figures from its real files (see CALIBRATION.md for the files and the results). */
export async function measureCalibration(sources: readonly CalibrationSource[], dataDir: string): Promise<SymbolCalibration[]> {
  const file = (p: string) => path.join(dataDir, p);
  const out: SymbolCalibration[] = [];
  for (const src of sources) {
    const m1 = (await readBarFile(file(src.m1))).bars;
    const stats = measureBars(m1);
    const ticks = src.ticks ? (await readTickFile(file(src.ticks), { maxRows: src.maxTicks })).ticks : undefined;
    const spreads = ticks ? tickSpreads(ticks) : src.m1Ask ? joinedSpreads(m1, (await readBarFile(file(src.m1Ask))).bars) : m1.spread;
    const spread = spreadQuantiles(spreads);
    const gaps = src.gaps ? weekendGaps((await readBarFile(file(src.gaps))).bars) : new Float64Array(0);
    const k = stats.excessKurtosis;
    out.push({
      symbol: src.symbol,
      sources: [src.m1, src.m1Ask, src.ticks, src.gaps].filter((s): s is string => s !== undefined),
      m1Bars: m1.time.length,
      returns: stats.returns,
      sigmaByHour: fillMissing(stats.sigmaByHour),
      weekdayFactor: stats.weekdayFactor.map((f) => (Number.isNaN(f) ? 1 : f)),
      excessKurtosis: k,
      tailNu: k > 0 ? Math.min(60, Math.max(4.1, 4 + 6 / k)) : 60,
      beyond4Sigma: stats.beyond4Sigma,
      wickMean: stats.wickMean,
      spreadMedian: spread.median,
      spreadP95: spread.p95,
      spreadSource: ticks ? "ticks" : "m1 close",
      crossedShare: spread.crossedShare,
      ticksPerMinute: ticks ? ticksPerMinute(ticks) : null,
      weekendGapRms: rms(gaps),
      weekendGaps: gaps.length,
    });
  }
  return out;
}

/** The files the shipped calibration was measured from (relative to RISKLOOP_DATA_DIR, e.g. ../shared/data). */
export const CALIBRATION_SOURCES: readonly CalibrationSource[] = [
  {
    symbol: "EURUSD",
    m1: "prices/lean/oanda_eurusd_m1_bidask.csv.gz",
    ticks: "prices/lean/oanda_eurusd_tick_bidask.csv.gz",
    gaps: "prices/mt4_export_tianyeshiye/EURUSDH1.csv.gz",
  },
  {
    symbol: "GBPUSD",
    m1: "prices/nautilus/fxcm_gbpusd-m1-bid-2012.csv",
    m1Ask: "prices/nautilus/fxcm_gbpusd-m1-ask-2012.csv",
    gaps: "prices/mt4_export_tianyeshiye/GBPUSDH1.csv.gz",
  },
  {
    symbol: "USDJPY",
    m1: "prices/nautilus/fxcm_usdjpy-m1-bid-2013.csv",
    m1Ask: "prices/nautilus/fxcm_usdjpy-m1-ask-2013.csv",
    gaps: "prices/mt4_export_tianyeshiye/USDJPYH1.csv.gz",
  },
  {
    symbol: "XAUUSD",
    m1: "prices/lean/oanda_xauusd_m1_bidask.csv.gz",
    ticks: "prices/lean/oanda_xauusd_tick_bidask.csv.gz",
    gaps: "prices/mt4_export_tianyeshiye/XAUUSDH1.csv.gz",
    maxTicks: 500_000,
  },
];
