import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { CoreErrors, RiskloopError } from "../../core/index.ts";
import { resolveTimeZone } from "../../analysis/market-data/index.ts";
import { parseMt4Html } from "./mt4-html-statement.ts";
import type { ParsedStatement } from "./statement.ts";
import { parseTradesCsv, type StatementSummaryJson } from "./trades-csv-statement.ts";

/** Options of `readStatementFile`. */
export interface ReadStatementOptions {
  /** The statement's server clock: an IANA zone, `±HH:MM`, `nyclose` or `UTC` (the default). */
  tz?: string;
}

/** Bytes as text: UTF-8 when valid, else Windows-1252/Latin-1 (older MT4 terminals write the local code page). */
function decode(bytes: Buffer): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return bytes.toString("latin1");
  }
}

/** The file's name without folders and the extensions this reader knows (`.gz`, `.htm(l)`, `.trades.csv`, `.csv`). */
export function statementStem(file: string): string {
  return path.basename(file).replace(/\.gz$/i, "").replace(/(\.trades)?\.csv$/i, "").replace(/\.html?$/i, "");
}

/** A file's text, gunzipped when it starts with gzip's magic bytes; throws `CORE_ERR_INVALID` naming the file. */
export function readTextFile(file: string): string {
  if (!existsSync(file)) throw new RiskloopError(CoreErrors.CORE_ERR_INVALID, `${file}: no such file`, { file });
  let bytes = readFileSync(file);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (err) {
      throw new RiskloopError(CoreErrors.CORE_ERR_INVALID, `${file}: damaged gzip data (${(err as Error).message})`, { file });
    }
  }
  return decode(bytes);
}

/**
 * Reads an MT4 statement file, gzip'd or not: the HTML statement or the parsed `.trades.csv` layout (whose
 * sibling `<stem>.summary.json`, when present, supplies the account header and MT4's printed figures).
 * Broker times become UTC through `tz`. Throws `CORE_ERR_INVALID` naming the file and line of a bad row.
 */
export function readStatementFile(file: string, opts: ReadStatementOptions = {}): ParsedStatement {
  const text = readTextFile(file);
  const zone = resolveTimeZone(opts.tz ?? "UTC");
  const stem = statementStem(file);
  const base = { file, stem, timeZone: zone.label };
  const head = text.slice(0, 4096);
  if (/<(html|table|!doctype)\b/i.test(head)) return { ...base, format: "mt4-html", ...parseMt4Html(text, file, zone.toUtc) };
  if (/^\uFEFF?status,/.test(head)) return { ...base, format: "trades-csv", ...parseTradesCsv(text, file, zone.toUtc, summaryJson(file, stem)) };
  throw new RiskloopError(CoreErrors.CORE_ERR_INVALID, `${file}: neither an MT4 HTML statement nor a parsed *.trades.csv (first line: "${head.split(/\r?\n/)[0]!.slice(0, 80)}")`, { file });
}

function summaryJson(file: string, stem: string): StatementSummaryJson {
  const sibling = path.join(path.dirname(file), `${stem}.summary.json`);
  if (!existsSync(sibling)) return {};
  try {
    return JSON.parse(readFileSync(sibling, "utf8")) as StatementSummaryJson;
  } catch (err) {
    throw new RiskloopError(CoreErrors.CORE_ERR_INVALID, `${sibling}: not valid JSON (${(err as Error).message})`, { file: sibling });
  }
}
