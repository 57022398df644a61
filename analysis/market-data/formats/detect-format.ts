import { RiskloopError } from "../../../core/index.ts";
import { MarketDataErrors } from "../market-data.errors.ts";
import { delimiterOf, normaliseColumn, prepareHeaderCsv, type HeaderCsvOptions } from "./header-csv.ts";
import { HISTDATA_M1_LINE, HISTDATA_TICK_LINE, MT4_LINE, prepareHistdataM1, prepareHistdataTicks, prepareMt4 } from "./headerless-formats.ts";
import { newRow, type MarketFormat, type PreparedFormat } from "./market-row.ts";

/** Names the format of a file from its first lines, or undefined when nothing fits. */
export function detectFormat(head: readonly string[]): MarketFormat | undefined {
  const first = head[0] ?? "";
  if (/^<DATE>/i.test(first)) return /<BID>/i.test(first) ? "mt5-ticks" : "mt5-bars";
  if (MT4_LINE.test(first)) return "mt4";
  if (HISTDATA_M1_LINE.test(first)) return "histdata-m1";
  if (HISTDATA_TICK_LINE.test(first)) return "histdata-ticks";
  if (/^[^\d\s]/.test(first) || first.startsWith(",")) {
    const names = first.split(delimiterOf(first)).map(normaliseColumn);
    if (/^(Time \(UTC\)|Gmt time)[,;]/i.test(first) && names.includes("bid") && names.includes("ask")) return "dukascopy-ticks";
    return "csv";
  }
  return undefined;
}

/**
 * Prepares the parser for a file: the requested format, or the detected one. The first data line must parse,
 * so a file in another format stops here (MKT_ERR_FORMAT) even when bad rows are being skipped.
 */
export function prepareFormat(file: string, head: readonly string[], opts: HeaderCsvOptions & { format?: MarketFormat }): PreparedFormat {
  const format = opts.format ?? detectFormat(head);
  if (!format) {
    throw new RiskloopError(MarketDataErrors.MKT_ERR_FORMAT, `${file}:1: unrecognised market-data format (first line "${(head[0] ?? "").slice(0, 120)}")`, {
      file,
      line: 1,
    });
  }
  const prepared =
    format === "mt4"
      ? prepareMt4()
      : format === "histdata-m1"
        ? prepareHistdataM1()
        : format === "histdata-ticks"
          ? prepareHistdataTicks()
          : prepareHeaderCsv(format, head[0] ?? "", head.slice(1), opts);
  const firstData = head[prepared.headerLines];
  if (firstData !== undefined) {
    const row = newRow();
    const reason = prepared.parse(firstData, row) ?? (Number.isNaN(row.time) ? "malformed (unreadable time)" : null);
    if (reason) {
      const line = prepared.headerLines + 1;
      throw new RiskloopError(MarketDataErrors.MKT_ERR_FORMAT, `${file}:${line}: not a ${format} file: ${reason}`, { file, line, format, reason });
    }
  }
  return prepared;
}
