import { invalid, TIMEFRAMES, type Timeframe } from "../../core/index.ts";
import type { Database } from "../../prisma/index.ts";
import type { BulkResult } from "./bulk-insert.ts";
import { storeCandlesIn } from "./candle-store.ts";
import { fileSize } from "./formats/line-reader.ts";
import type { CandleColumns, TickColumns } from "./market-columns.ts";
import { openMarketFile, type ReadMarketFileOptions } from "./market-file.ts";
import type { BadRowSample } from "./parse-report.ts";
import { resampleCandles, TickBarBuilder, type DayStart, type TickPrice } from "./resample.ts";
import { withTransaction } from "./sql-session.ts";
import { storeTicksIn } from "./tick-store.ts";

/** Options shared by candle and tick imports. */
export interface ImportOptions extends Omit<ReadMarketFileOptions, "onProgress" | "timeframe" | "symbol"> {
  symbol: string;
  /** Marks the rows as generated (demo, tests). */
  synthetic?: boolean;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

export interface CandleImportOptions extends ImportOptions {
  /** @defaultValue "M1" */
  timeframe?: Timeframe;
}

export interface TickImportOptions extends ImportOptions {
  /** Also build and store bars of these timeframes from the file's ticks (M1 first, then from M1). */
  resample?: readonly Timeframe[];
  /** @defaultValue "bid" */
  resamplePrice?: TickPrice;
  dayStart?: DayStart;
}

/** What an import did, for the CLI's summary and for callers. */
export interface ImportReport {
  file: string;
  format: string;
  kind: "bars" | "ticks";
  symbol: string;
  timeframe?: Timeframe;
  /** The zone the file's times were read in, and whether it came from `--tz` or the format's default. */
  timeZone: string;
  timeZoneSource: "--tz" | "format default";
  rowsRead: number;
  inserted: number;
  /** Rows already stored (same key): a re-import inserts nothing. */
  duplicatesSkipped: number;
  badRows: Record<string, number>;
  badSamples: BadRowSample[];
  crossedQuotes: number;
  outsideRange: number;
  /** First and last stored times, ISO 8601 UTC. */
  from: string | null;
  to: string | null;
  seconds: number;
  resampled?: { timeframe: Timeframe; bars: number; inserted: number }[];
}

async function open(file: string, opts: ImportOptions, timeframe?: Timeframe) {
  const total = await fileSize(file);
  const { onProgress } = opts;
  return openMarketFile(file, { ...opts, timeframe, onProgress: onProgress && ((bytes) => onProgress(bytes, total)) });
}

function report(file: string, opts: ImportOptions, mf: Awaited<ReturnType<typeof open>>, stored: BulkResult, started: number): ImportReport {
  const r = mf.report;
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
  return {
    file,
    format: r.format,
    kind: r.kind,
    symbol: opts.symbol,
    timeZone: r.timeZone,
    timeZoneSource: opts.tz ? "--tz" : "format default",
    rowsRead: r.rowsRead,
    inserted: stored.inserted,
    duplicatesSkipped: stored.sent - stored.inserted,
    badRows: r.badRows,
    badSamples: r.badSamples,
    crossedQuotes: r.crossedQuotes,
    outsideRange: r.outsideRange,
    from: iso(r.firstTime),
    to: iso(r.lastTime),
    seconds: (performance.now() - started) / 1000,
  };
}

function requireSymbol(symbol: string): void {
  if (!/^[A-Za-z0-9._#-]{1,32}$/.test(symbol)) throw invalid("symbol", `"${symbol}" is not a symbol (letters, digits, . _ # -)`);
}

/** Imports a bar file for one symbol and timeframe in a single transaction: all rows or, on a bad row, none. */
export async function importCandles(db: Database, file: string, opts: CandleImportOptions): Promise<ImportReport> {
  const started = performance.now();
  requireSymbol(opts.symbol);
  const timeframe = opts.timeframe ?? "M1";
  const mf = await open(file, opts, timeframe);
  const stored = await withTransaction(db, (s) => storeCandlesIn(s, { symbol: opts.symbol, timeframe, synthetic: opts.synthetic }, mf.bars()));
  return { ...report(file, opts, mf, stored, started), timeframe };
}

/**
 * Imports a tick file for one symbol in a single transaction, optionally with bars resampled from its ticks
 * (stored in the same transaction).
 */
export async function importTicks(db: Database, file: string, opts: TickImportOptions): Promise<ImportReport> {
  const started = performance.now();
  requireSymbol(opts.symbol);
  const mf = await open(file, opts);
  const wanted = TIMEFRAMES.filter((tf) => opts.resample?.includes(tf));
  const minutes = wanted.length > 0 ? new TickBarBuilder(opts.resamplePrice ?? "bid") : undefined;
  async function* tapped(): AsyncGenerator<TickColumns> {
    for await (const batch of mf.ticks()) {
      minutes?.push(batch);
      yield batch;
    }
  }
  const target = { symbol: opts.symbol, synthetic: opts.synthetic };
  const { stored, resampled } = await withTransaction(db, async (s) => {
    const stored = await storeTicksIn(s, target, tapped());
    const resampled: NonNullable<ImportReport["resampled"]> = [];
    if (minutes) {
      const m1 = minutes.finish();
      for (const tf of wanted) {
        const bars: CandleColumns = tf === "M1" ? m1 : resampleCandles(m1, tf, { dayStart: opts.dayStart });
        const r = await storeCandlesIn(s, { ...target, timeframe: tf }, [bars]);
        resampled.push({ timeframe: tf, bars: bars.time.length, inserted: r.inserted });
      }
    }
    return { stored, resampled };
  });
  return { ...report(file, opts, mf, stored, started), ...(minutes ? { resampled } : {}) };
}
