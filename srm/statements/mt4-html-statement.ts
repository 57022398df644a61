import { CoreErrors, RiskloopError } from "../../core/index.ts";
import { htmlRows, type HtmlCell, type HtmlRow } from "./html-rows.ts";
import { noSkips, type ParsedStatement, type StatementHeader, type StatementTrade } from "./statement.ts";
import { badRow, closeReasonOf, readNumber, readTime, type RowPlace } from "./statement-fields.ts";

/** What a parser reads from a file; `readStatementFile` adds the file's name, format and time zone. */
export type StatementContent = Pick<ParsedStatement, "header" | "trades" | "aggregates" | "cashflows" | "skipped" | "summary">;

type Section = "header" | "closed" | "open" | "working" | "summary";

const SECTIONS: Record<string, Section> = {
  "closed transactions:": "closed",
  "open trades:": "open",
  "working orders:": "working",
  "summary:": "summary",
  "details:": "summary",
};

const COLUMNS = ["ticket", "openTime", "type", "size", "symbol", "openPrice", "sl", "tp", "closeTime", "closePrice", "commission", "taxes", "swap", "profit"] as const;
type Column = (typeof COLUMNS)[number];
const HEADER_NAMES: Record<string, Column> = {
  ticket: "ticket",
  opentime: "openTime",
  type: "type",
  size: "size",
  item: "symbol",
  "s/l": "sl",
  "t/p": "tp",
  closetime: "closeTime",
  commission: "commission",
  taxes: "taxes",
  swap: "swap",
  profit: "profit",
};

/** Cells by column position, each spanning cell repeated over its span. */
function expand(cells: readonly HtmlCell[]): HtmlCell[] {
  return cells.flatMap((c) => Array<HtmlCell>(c.colspan).fill(c));
}

/** Column positions from the closed-transactions header row; "Price" appears twice (open, then close). */
function columnMap(row: HtmlRow, file: string): Record<Column, number> {
  const map: Partial<Record<Column, number>> = {};
  expand(row.cells).forEach((cell, i) => {
    const name = cell.text.toLowerCase().replace(/\s+/g, "");
    const col = name === "price" ? (map.openPrice === undefined ? "openPrice" : "closePrice") : HEADER_NAMES[name];
    if (col && map[col] === undefined) map[col] = i;
  });
  const missing = COLUMNS.filter((c) => c !== "taxes" && map[c] === undefined);
  if (missing.length > 0) throw badRow({ file, line: row.line }, "header", `lacks the columns ${missing.join(", ")}`);
  return map as Record<Column, number>;
}

/**
 * Reads an MT4 account statement saved as HTML ("DetailedStatement.htm", "Statement.htm" and translated
 * variants with the same table): closed buy/sell rows become trades, and aggregate rows, balance rows,
 * cancelled and working orders and open positions are counted apart. `[sl]`/`[tp]` in a row's title or in the
 * comment row under it labels the exit. Times are broker time passed through `toUtc`.
 */
export function parseMt4Html(html: string, file: string, toUtc: (wallMs: number) => number): StatementContent {
  const rows = htmlRows(html);
  const out: StatementContent = { header: readHeader(html, rows), trades: [], aggregates: [], cashflows: [], skipped: noSkips(), summary: {} };
  let section: Section = "header";
  let cols: Record<Column, number> | null = null;
  let last: StatementTrade | null = null;
  let sawClosed = false;
  const seen = new Map<string, number>();

  for (const row of rows) {
    const first = row.cells[0];
    if (!first) continue;
    const heading = row.cells.length === 1 && first.bold ? SECTIONS[first.text.toLowerCase()] : undefined;
    if (heading) {
      section = heading;
      sawClosed ||= heading === "closed";
      last = null;
      continue;
    }
    if (section !== "header") collectLabels(row.cells, out.summary);
    if (section === "closed" && first.text.toLowerCase() === "ticket") {
      cols = columnMap(row, file);
      continue;
    }
    if (!/^\d+$/.test(first.text)) {
      // The comment row MT4 prints under a trade: empty cells, then the comment in the last one.
      const comment = row.cells.at(-1)!.text;
      if (last && first.colspan >= 9 && first.text === "" && last.comment === "" && comment !== "") {
        last.comment = comment;
        last.closeReason = closeReasonOf(comment);
      }
      continue;
    }
    const at: RowPlace = { file, line: row.line };
    const cells = expand(row.cells);
    const type = (cells[2]?.text ?? "").toLowerCase();
    last = null;
    if (section === "open") {
      if (type === "buy" || type === "sell") out.skipped.open++;
      continue;
    }
    if (section === "working") {
      out.skipped.working++;
      continue;
    }
    if (section !== "closed") continue;
    if (!cols) throw badRow(at, "row", "comes before the closed-transactions header row");
    const text = (c: Column): string => cells[cols![c]]?.text ?? "";
    if (type === "balance" || type === "credit") {
      out.cashflows.push({ ticket: first.text, line: row.line, time: readTime(text("openTime"), at, "time", toUtc), comment: first.title || (cells[3]?.text ?? ""), amount: readNumber(cells.at(-1)!.text, at, "amount") });
      out.skipped.cashflow++;
      continue;
    }
    if (/^(buy|sell) ?(limit|stop)/.test(type)) {
      out.skipped.cancelled++;
      continue;
    }
    if (type !== "buy" && type !== "sell") throw badRow(at, "type", `is not a known transaction type: "${cells[2]?.text ?? ""}"`);
    const previous = seen.get(first.text);
    if (previous !== undefined) throw badRow(at, "ticket", `${first.text} repeats the row at line ${previous}`);
    seen.set(first.text, row.line);
    const trade: StatementTrade = {
      ticket: first.text,
      line: row.line,
      openTime: readTime(text("openTime"), at, "open time", toUtc),
      closeTime: readTime(text("closeTime"), at, "close time", toUtc),
      type,
      size: readNumber(text("size"), at, "size"),
      symbol: text("symbol").toLowerCase(),
      openPrice: readNumber(text("openPrice"), at, "open price"),
      sl: readNumber(text("sl"), at, "S/L"),
      tp: readNumber(text("tp"), at, "T/P"),
      closePrice: readNumber(text("closePrice"), at, "close price"),
      commission: readNumber(text("commission"), at, "commission"),
      taxes: cols.taxes === undefined ? readNumber("0", at, "taxes") : readNumber(text("taxes"), at, "taxes"),
      swap: readNumber(text("swap"), at, "swap"),
      profit: readNumber(text("profit"), at, "profit"),
      comment: first.title,
      closeReason: closeReasonOf(first.title),
    };
    if (trade.symbol === "profit" || (trade.openPrice.isZero() && trade.closePrice.isZero())) {
      out.aggregates.push(trade);
      out.skipped.aggregate++;
    } else {
      out.trades.push(trade);
      last = trade;
    }
  }
  if (!sawClosed) {
    throw new RiskloopError(CoreErrors.CORE_ERR_INVALID, `${file}: not an MT4 statement (no "Closed Transactions" table)`, { file });
  }
  return out;
}

/** Label/value pairs printed as "Label:" followed by the value's cell (totals, summary and details). */
function collectLabels(cells: readonly HtmlCell[], into: Record<string, string>): void {
  for (let i = 0; i + 1 < cells.length; i++) {
    const label = cells[i]!.text;
    const value = cells[i + 1]!.text;
    if (label.endsWith(":") && value !== "" && !value.endsWith(":")) into[label.slice(0, -1)] ??= value;
  }
}

function readHeader(html: string, rows: readonly HtmlRow[]): StatementHeader {
  const header: StatementHeader = { broker: "", account: "", currency: "", leverage: "" };
  const broker = /<div[^>]*font:\s*20pt[^>]*>\s*<b>([^<]*)<\/b>/i.exec(html);
  if (broker) header.broker = broker[1]!.trim();
  for (const row of rows) {
    if (row.cells.some((c) => /^closed transactions:$/i.test(c.text))) break;
    for (const c of row.cells) {
      const m = /^(Account|Currency|Leverage):\s*(.*)$/i.exec(c.text);
      if (m) header[m[1]!.toLowerCase() as "account" | "currency" | "leverage"] = m[2]!.trim();
    }
  }
  return header;
}
