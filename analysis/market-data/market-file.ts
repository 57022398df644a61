import { RiskloopError, TIMEFRAME_MS, type Timeframe } from "../../core/index.ts";
import { prepareFormat } from "./formats/detect-format.ts";
import { headLines, readLineChunks } from "./formats/line-reader.ts";
import { newRow, type MarketFormat, type MarketRow, type PreparedFormat, type PriceSide } from "./formats/market-row.ts";
import { resolveTimeZone, type TimeZone } from "./formats/time-zone.ts";
import { allocCandleColumns, allocTickColumns, concatColumns, headColumns, type CandleColumns, type TickColumns } from "./market-columns.ts";
import { MarketDataErrors } from "./market-data.errors.ts";
import { createParseReport, noteBadRow, type ParseReport } from "./parse-report.ts";

/** How to read a market-data file. */
export interface ReadMarketFileOptions {
  /** Overrides detection. */
  format?: MarketFormat;
  /** Zone of the file's wall-clock times (see resolveTimeZone); default: the format's documented zone. */
  tz?: string;
  /** Skip and count bad rows instead of stopping at the first. */
  skipBad?: boolean;
  /** Rows of a file with a symbol column must carry this symbol. */
  symbol?: string;
  /** Side of bid/ask bar files stored as OHLC. @defaultValue "bid" */
  price?: PriceSide;
  /** Price units per spread point (MT5 `<SPREAD>`); default: one unit of the prices' last decimal. */
  pointSize?: number;
  /** Bars less than ¾ of this timeframe apart are rejected (a file of M1 bars imported as H1). */
  timeframe?: Timeframe;
  /** Keep only rows in [fromMs, toMs) UTC; others are counted as outside the range. */
  fromMs?: number;
  toMs?: number;
  /** Stop after this many accepted rows. */
  maxRows?: number;
  /** Rows per yielded batch. @defaultValue 50000 */
  batchRows?: number;
  /** Called after each chunk with the bytes of the file read so far. */
  onProgress?: (bytesRead: number) => void;
}

/** An opened file: its detected format and zone, a live report, and its rows in batches (read once). */
export interface MarketFile {
  readonly report: ParseReport;
  bars(): AsyncGenerator<CandleColumns>;
  ticks(): AsyncGenerator<TickColumns>;
}

/** Detects the format (or checks the requested one) from the first lines; rows are read on iteration. */
export async function openMarketFile(file: string, opts: ReadMarketFileOptions = {}): Promise<MarketFile> {
  const head = await headLines(file, 50);
  const prepared = prepareFormat(file, head, { format: opts.format, price: opts.price ?? "bid", pointSize: opts.pointSize, symbol: opts.symbol });
  const zone = resolveTimeZone(opts.tz ?? prepared.defaultTz);
  const report = createParseReport(file, prepared.format, prepared.kind, zone.label);
  const wrongKind = (wanted: string) =>
    new RiskloopError(MarketDataErrors.MKT_ERR_FORMAT, `${file}: holds ${prepared.kind} (${prepared.format}), not ${wanted}`, { file, format: prepared.format });
  return {
    report,
    bars() {
      if (prepared.kind !== "bars") throw wrongKind("bars");
      return scanBars(file, prepared, zone, opts, report);
    },
    ticks() {
      if (prepared.kind !== "ticks") throw wrongKind("ticks");
      return scanTicks(file, prepared, zone, opts, report);
    },
  };
}

/** Reads a whole bar file into memory (for analysis and tests; imports stream instead). */
export async function readBarFile(file: string, opts: ReadMarketFileOptions = {}): Promise<{ bars: CandleColumns; report: ParseReport }> {
  const mf = await openMarketFile(file, opts);
  const parts: CandleColumns[] = [];
  for await (const b of mf.bars()) parts.push(b);
  return { bars: parts.length > 0 ? concatColumns(parts) : allocCandleColumns(0), report: mf.report };
}

/** Reads a whole tick file into memory. */
export async function readTickFile(file: string, opts: ReadMarketFileOptions = {}): Promise<{ ticks: TickColumns; report: ParseReport }> {
  const mf = await openMarketFile(file, opts);
  const parts: TickColumns[] = [];
  for await (const b of mf.ticks()) parts.push(b);
  return { ticks: parts.length > 0 ? concatColumns(parts) : allocTickColumns(0), report: mf.report };
}

function badRow(file: string, line: number, reason: string, text: string): RiskloopError {
  return new RiskloopError(MarketDataErrors.MKT_ERR_BAD_ROW, `${file}:${line}: ${reason}`, { file, line, reason, text: text.slice(0, 200) });
}

/**
 * Every data line of the file, parsed, validated by `check` and converted to UTC; bad rows throw (or are
 * counted with skipBad). `accept` stores a good row and returns false to stop reading.
 */
async function* scan(
  file: string,
  prepared: PreparedFormat,
  zone: TimeZone,
  opts: ReadMarketFileOptions,
  report: ParseReport,
  check: (row: MarketRow) => string | null,
  accept: (row: MarketRow) => boolean,
  flush: () => void,
): AsyncGenerator<void> {
  const row = newRow();
  const from = opts.fromMs ?? -Infinity;
  const to = opts.toMs ?? Infinity;
  for await (const chunk of readLineChunks(file)) {
    const { lines } = chunk;
    for (let i = 0; i < lines.length; i++) {
      const lineNo = chunk.firstLine + i;
      const text = lines[i]!;
      if (lineNo <= prepared.headerLines || text === "") continue;
      report.rowsRead++;
      let reason = prepared.parse(text, row);
      if (!reason) {
        if (!row.zoned) row.time = zone.toUtc(row.time);
        reason = Number.isNaN(row.time) ? "malformed (unreadable time)" : check(row);
      }
      if (reason) {
        if (!opts.skipBad) throw badRow(file, lineNo, reason, text);
        noteBadRow(report, lineNo, reason, text);
        continue;
      }
      if (row.time < from || row.time >= to) {
        report.outsideRange++;
        continue;
      }
      if (row.crossed) report.crossedQuotes++;
      report.firstTime ??= row.time;
      report.lastTime = row.time;
      report.rowsAccepted++;
      if (!accept(row)) {
        flush();
        yield;
        return;
      }
    }
    opts.onProgress?.(chunk.bytesRead);
    yield;
  }
  flush();
  yield;
}

async function* scanBars(file: string, prepared: PreparedFormat, zone: TimeZone, opts: ReadMarketFileOptions, report: ParseReport): AsyncGenerator<CandleColumns> {
  const size = opts.batchRows ?? 50_000;
  const max = opts.maxRows ?? Infinity;
  const tfMs = opts.timeframe ? TIMEFRAME_MS[opts.timeframe] : 0;
  // Three quarters of the timeframe: real files have bars a few minutes off the hour (MT4 H1 at 04:05, then
  // 05:00) and broker-clock D1/H4 bars an hour closer across DST, yet a file of the next smaller timeframe is caught.
  const minSpacing = tfMs * 0.75;
  let seen = new Float64Array(1024);
  let count = 0;
  let batch = allocCandleColumns(size);
  let n = 0;
  const ready: CandleColumns[] = [];
  const check = (r: MarketRow): string | null => {
    const { open: o, high: h, low: l, close: c } = r;
    if (Number.isNaN(o + h + l + c)) return "malformed (price is not a number)";
    if (Number.isNaN(r.volume) || r.volume < 0) return "malformed (volume is not a non-negative number)";
    if (o <= 0 || h <= 0 || l <= 0 || c <= 0) return "non-positive price";
    if (h < l) return `high below low (${h} < ${l})`;
    if (o > h || o < l || c > h || c < l) return "open/close outside high-low";
    const last = count > 0 ? seen[count - 1]! : -Infinity;
    if (r.time <= last) {
      const at = new Date(r.time).toISOString();
      const after = r.time < last ? `, back from ${new Date(last).toISOString()}` : "";
      return includes(seen, count, r.time) ? `duplicate timestamp (${at}${after})` : `out of order (${at}${after})`;
    }
    if (r.time - last < minSpacing) return `spacing below timeframe (${(r.time - last) / 60_000} min between bars of ${opts.timeframe})`;
    return null;
  };
  const accept = (r: MarketRow): boolean => {
    if (count === seen.length) {
      const grown = new Float64Array(seen.length * 2);
      grown.set(seen);
      seen = grown;
    }
    seen[count++] = r.time;
    batch.time[n] = r.time;
    batch.open[n] = r.open;
    batch.high[n] = r.high;
    batch.low[n] = r.low;
    batch.close[n] = r.close;
    batch.volume[n] = r.volume;
    batch.spread[n] = r.spread;
    if (++n === size) {
      ready.push(batch);
      batch = allocCandleColumns(size);
      n = 0;
    }
    return count < max;
  };
  const flush = () => {
    if (n > 0) ready.push(headColumns(batch, n));
    n = 0;
  };
  for await (const _ of scan(file, prepared, zone, opts, report, check, accept, flush)) yield* ready.splice(0);
}

async function* scanTicks(file: string, prepared: PreparedFormat, zone: TimeZone, opts: ReadMarketFileOptions, report: ParseReport): AsyncGenerator<TickColumns> {
  const size = opts.batchRows ?? 50_000;
  const max = opts.maxRows ?? Infinity;
  let last = -Infinity;
  let seq = 0;
  let count = 0;
  let batch = allocTickColumns(size);
  let n = 0;
  const ready: TickColumns[] = [];
  const check = (r: MarketRow): string | null => {
    if (Number.isNaN(r.bid + r.ask)) return "malformed (bid or ask is not a number)";
    if (r.bid <= 0 || r.ask <= 0) return "non-positive price";
    if (r.time < last) return `out of order (${new Date(r.time).toISOString()} after ${new Date(last).toISOString()})`;
    r.crossed = r.ask < r.bid;
    return null;
  };
  const accept = (r: MarketRow): boolean => {
    seq = r.time === last ? seq + 1 : 0;
    last = r.time;
    batch.time[n] = r.time;
    batch.seq[n] = seq;
    batch.bid[n] = r.bid;
    batch.ask[n] = r.ask;
    batch.bidVolume[n] = r.bidVolume;
    batch.askVolume[n] = r.askVolume;
    if (++n === size) {
      ready.push(batch);
      batch = allocTickColumns(size);
      n = 0;
    }
    return ++count < max;
  };
  const flush = () => {
    if (n > 0) ready.push(headColumns(batch, n));
    n = 0;
  };
  for await (const _ of scan(file, prepared, zone, opts, report, check, accept, flush)) yield* ready.splice(0);
}

/** Binary search over the accepted (ascending) times. */
function includes(times: Float64Array, count: number, t: number): boolean {
  let lo = 0;
  let hi = count - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = times[mid]!;
    if (v === t) return true;
    if (v < t) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
