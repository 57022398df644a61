import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { TIMEFRAME_MS, type Candle, type Tick, type Timeframe } from "../../core/index.ts";

/**
 * Test kit only (not exported from the area): reads the real OANDA/FXCM files of ../shared/data/prices/lean
 * (UTC, bid and ask OHLC per bar, bid and ask per tick) into core's `Candle` and `Tick`. Paths are absolute;
 * tests resolve them with `sharedDataPath` from test/kit.
 */
export const LEAN_EURUSD_M1 = ["prices", "lean", "oanda_eurusd_m1_bidask.csv.gz"] as const;
export const LEAN_EURUSD_H1 = ["prices", "lean", "oanda_eurusd_h1_bidask.csv.gz"] as const;
export const LEAN_EURUSD_TICKS = ["prices", "lean", "oanda_eurusd_tick_bidask.csv.gz"] as const;
export const HISTDATA_EURUSD_M1 = ["prices", "histdata_btgym", "histdata_eurusd_m1_2017H1_est.csv.gz"] as const;

function lines(file: string): string[] {
  const raw = readFileSync(file);
  return (file.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8").trim().split(/\r?\n/);
}

/** Epoch ms of `YYYY-MM-DD HH:MM[:SS.mmm]` read as UTC shifted by `offsetMs`; minutes are cached. */
function timeReader(offsetMs: number): (s: string) => number {
  let lastMinute = "";
  let lastBase = 0;
  return (s) => {
    const minute = s.slice(0, 16);
    if (minute !== lastMinute) {
      lastMinute = minute;
      lastBase = Date.parse(`${minute.slice(0, 10)}T${minute.slice(11)}:00Z`) + offsetMs;
    }
    return s.length > 16 ? lastBase + Math.round(Number(s.slice(17)) * 1000) : lastBase;
  };
}

/** Bid-side bars of a Lean bid/ask file, with the spread at the close; `fromMs`/`toMs` bound the open time. */
export function readLeanBars(file: string, fromMs = -Infinity, toMs = Infinity): Candle[] {
  const time = timeReader(0);
  const out: Candle[] = [];
  const rows = lines(file);
  for (let r = 1; r < rows.length; r++) {
    const c = rows[r]!.split(",");
    const t = time(c[0]!);
    if (t < fromMs || t >= toMs) continue;
    const close = Number(c[4]);
    out.push({ time: t, open: Number(c[1]), high: Number(c[2]), low: Number(c[3]), close, volume: 0, spread: Number(c[8]) - close });
  }
  return out;
}

/** Quotes of a Lean tick file (`time_utc,bid,ask`), in file order. */
export function readLeanTicks(file: string): Tick[] {
  const time = timeReader(0);
  const rows = lines(file);
  const out: Tick[] = new Array(rows.length - 1);
  for (let r = 1; r < rows.length; r++) {
    const c = rows[r]!.split(",");
    out[r - 1] = { time: time(c[0]!), bid: Number(c[1]), ask: Number(c[2]) };
  }
  return out;
}

/** HistData M1 bars (fixed UTC−5 in the file) as UTC, with open times in [fromMs, toMs). */
export function readHistdataBars(file: string, fromMs = -Infinity, toMs = Infinity): Candle[] {
  const time = timeReader(5 * 3_600_000);
  const out: Candle[] = [];
  const rows = lines(file);
  for (let r = 1; r < rows.length; r++) {
    const c = rows[r]!.split(",");
    const t = time(c[0]!);
    if (t < fromMs || t >= toMs) continue;
    out.push({ time: t, open: Number(c[1]), high: Number(c[2]), low: Number(c[3]), close: Number(c[4]), volume: 0 });
  }
  return out;
}

/**
 * Bars of a coarser `timeframe` from finer sorted bars, keeping partial buckets (missing minutes are gaps).
 * (market-data's `resampleCandles` does this over columns; this copy keeps the test kit independent of it.)
 */
export function resample(bars: readonly Candle[], timeframe: Timeframe): Candle[] {
  const ms = TIMEFRAME_MS[timeframe];
  const out: Candle[] = [];
  let cur: Candle | undefined;
  for (const b of bars) {
    const bucket = Math.floor(b.time / ms) * ms;
    if (cur === undefined || cur.time !== bucket) {
      cur = { ...b, time: bucket };
      out.push(cur);
    } else {
      if (b.high > cur.high) cur.high = b.high;
      if (b.low < cur.low) cur.low = b.low;
      cur.close = b.close;
      cur.volume += b.volume;
      if (b.spread !== undefined) cur.spread = b.spread;
    }
  }
  return out;
}

/**
 * Real OANDA EURUSD for 1–15 May 2014, as the database would hold it: M1 bars and every quote from the
 * source, M5 resampled from M1, and H1 from the source's own hourly file (from March, so H1 is warm).
 */
export function eurusdMay2014(pathOf: (...parts: string[]) => string): { candles: Record<"M1" | "M5" | "H1", Candle[]>; ticks: Tick[] } {
  const from = Date.UTC(2014, 2, 1);
  const to = Date.UTC(2014, 4, 16);
  const m1 = readLeanBars(pathOf(...LEAN_EURUSD_M1), from, to);
  return {
    candles: { M1: m1, M5: resample(m1, "M5"), H1: readLeanBars(pathOf(...LEAN_EURUSD_H1), from, to) },
    ticks: readLeanTicks(pathOf(...LEAN_EURUSD_TICKS)),
  };
}
