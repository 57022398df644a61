import type { MarketFormat } from "./formats/market-row.ts";

/** A bad row as the report shows it. */
export interface BadRowSample {
  line: number;
  reason: string;
  text: string;
}

/** What reading one file found, filled in while the file is read. */
export interface ParseReport {
  file: string;
  format: MarketFormat;
  kind: "bars" | "ticks";
  /** The zone the file's times were read in, e.g. "UTC" or "nyclose (America/New_York+7h, UTC+2/+3)". */
  timeZone: string;
  rowsRead: number;
  rowsAccepted: number;
  /** Skipped rows by reason (`malformed`, `duplicate timestamp`, `out of order`, …); empty in strict mode. */
  badRows: Record<string, number>;
  /** The first few skipped rows, with line numbers. */
  badSamples: BadRowSample[];
  /** Quotes (ticks, or bars' closes in bid/ask files) with ask below bid: real data, kept and counted. */
  crossedQuotes: number;
  /** Rows outside the requested time range. */
  outsideRange: number;
  /** First and last accepted times, epoch ms UTC. */
  firstTime: number | null;
  lastTime: number | null;
}

const MAX_SAMPLES = 5;

export function createParseReport(file: string, format: MarketFormat, kind: "bars" | "ticks", timeZone: string): ParseReport {
  return { file, format, kind, timeZone, rowsRead: 0, rowsAccepted: 0, badRows: {}, badSamples: [], crossedQuotes: 0, outsideRange: 0, firstTime: null, lastTime: null };
}

/** Counts a skipped row under the reason's name (the text before any parenthesised detail). */
export function noteBadRow(report: ParseReport, line: number, reason: string, text: string): void {
  const cut = reason.indexOf(" (");
  const key = cut < 0 ? reason : reason.slice(0, cut);
  report.badRows[key] = (report.badRows[key] ?? 0) + 1;
  if (report.badSamples.length < MAX_SAMPLES) report.badSamples.push({ line, reason, text: text.slice(0, 200) });
}
