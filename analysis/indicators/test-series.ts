import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import talib from "talib";

/**
 * Test kit only (not exported from the area): reads real bars and runs TA-Lib on them. Paths are absolute;
 * tests resolve them with `sharedDataPath` from test/kit (product folders may not import test/).
 */

/** Real EURUSD files under ../shared/data, relative to it. */
export const EURUSD_H1_OANDA = ["prices", "lean", "oanda_eurusd_h1_bidask.csv.gz"] as const;
export const EURUSD_H1_MT5 = ["prices", "mt5_export_01javier", "EURUSD_H1.csv.gz"] as const;
export const EURUSD_M1_HISTDATA = ["prices", "histdata_btgym", "histdata_eurusd_m1_2017H1_est.csv.gz"] as const;
export const TALIB_GOLDEN_H1 = ["indicators", "talib_golden_fx", "talib060_eurusd_h1.csv.gz"] as const;

/** OHLC columns plus the raw time strings, as read from a file. */
export interface TestSeries {
  time: string[];
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
}

/** Reads a (possibly gzipped) CSV into named numeric columns; empty cells become NaN. */
export function readColumns(file: string): { time: string[]; columns: Map<string, Float64Array> } {
  const raw = readFileSync(file);
  const lines = (file.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8").trim().split(/\r?\n/);
  const header = lines[0]!.split(",");
  const rows = lines.length - 1;
  const columns = new Map(header.slice(1).map((name) => [name, new Float64Array(rows)] as const));
  const time: string[] = [];
  for (let r = 0; r < rows; r++) {
    const cells = lines[r + 1]!.split(",");
    time.push(cells[0]!);
    for (let c = 1; c < header.length; c++) {
      const cell = cells[c] ?? "";
      columns.get(header[c]!)![r] = cell === "" ? Number.NaN : Number(cell);
    }
  }
  return { time, columns };
}

/** Reads OHLC bars; `prefix` selects a side in bid/ask files (e.g. "bid_"). */
export function readSeries(file: string, prefix = ""): TestSeries {
  const { time, columns } = readColumns(file);
  const column = (name: string): Float64Array => {
    const values = columns.get(prefix + name);
    if (!values) throw new Error(`${file} has no column ${prefix + name}`);
    return values;
  };
  return { time, open: column("open"), high: column("high"), low: column("low"), close: column("close") };
}

/** A series built from close prices, with high/low around them, for hand-made edge cases. */
export function seriesFromCloses(closes: readonly number[], halfRange: number): TestSeries {
  const close = Float64Array.from(closes);
  return {
    time: closes.map((_, i) => String(i)),
    open: close.slice(),
    high: close.map((c) => c + halfRange),
    low: close.map((c) => c - halfRange),
    close,
  };
}

/**
 * Runs a TA-Lib function over the whole series and returns each output padded with NaN to the input length
 * (TA-Lib's results start at `begIndex`). The binding reads typed arrays as garbage, so inputs are copied
 * into plain arrays first.
 */
export function runTalib(name: string, inputs: Record<string, Float64Array>, options: Record<string, number> = {}): Record<string, Float64Array> {
  const params: Record<string, unknown> = { name, startIdx: 0, ...options };
  let n = 0;
  for (const [key, values] of Object.entries(inputs)) {
    params[key] = Array.from(values);
    n = values.length;
  }
  params.endIdx = n - 1;
  const run = talib.execute(params as talib.ExecuteParameters);
  if ("error" in run) throw new Error(`TA-Lib ${name}: ${String((run as { error: unknown }).error)}`);
  const out: Record<string, Float64Array> = {};
  for (const [key, values] of Object.entries(run.result)) {
    const padded = new Float64Array(n).fill(Number.NaN);
    padded.set(values, run.begIndex);
    out[key] = padded;
  }
  return out;
}

/** Largest relative difference between two series, and the first index where NaN positions or values disagree. */
export function compareSeries(actual: Float64Array, expected: Float64Array, relTol = 1e-9): { firstBad: number; maxRel: number; exact: number } {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} ≠ ${expected.length}`);
  let firstBad = -1;
  let maxRel = 0;
  let exact = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(a) || Number.isNaN(e)) {
      if (Number.isNaN(a) !== Number.isNaN(e) && firstBad < 0) firstBad = i;
      continue;
    }
    if (a === e) {
      exact++;
      continue;
    }
    const rel = Math.abs(a - e) / Math.max(Math.abs(a), Math.abs(e));
    if (rel > maxRel) maxRel = rel;
    if (rel > relTol && firstBad < 0) firstBad = i;
  }
  return { firstBad, maxRel, exact };
}

/** Throws with the first offending bar unless the series agree bar by bar (same NaNs, relative `relTol`). */
export function assertSeriesMatch(label: string, actual: Float64Array, expected: Float64Array, relTol = 1e-9): void {
  const { firstBad, maxRel } = compareSeries(actual, expected, relTol);
  if (firstBad >= 0) {
    throw new Error(`${label}: bar ${firstBad} differs: ours ${actual[firstBad]} vs reference ${expected[firstBad]} (max rel ${maxRel})`);
  }
}

/** A seeded random walk of EURUSD-like H1 bars (mulberry32), for cases that need no real data. */
export function randomWalk(seed: number, n: number, start = 1.1): TestSeries {
  let state = seed >>> 0;
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const s: TestSeries = {
    time: [],
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
  };
  let price = start;
  for (let i = 0; i < n; i++) {
    const open = price;
    const close = open + (random() - 0.5) * 0.003;
    s.time.push(String(i));
    s.open[i] = open;
    s.close[i] = close;
    s.high[i] = Math.max(open, close) + random() * 0.001;
    s.low[i] = Math.min(open, close) - random() * 0.001;
    price = close;
  }
  return s;
}
