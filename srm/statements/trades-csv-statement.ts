import { CoreErrors, RiskloopError } from "../../core/index.ts";
import type { StatementContent } from "./mt4-html-statement.ts";
import { noSkips, type StatementHeader, type StatementTrade } from "./statement.ts";
import { badRow, closeReasonOf, readNumber, readTime, type RowPlace } from "./statement-fields.ts";

const REQUIRED = ["status", "ticket", "open_time", "type", "size", "symbol", "open_price", "sl", "tp", "close_time", "close_price", "commission", "taxes", "swap", "profit", "close_reason", "comment"] as const;
type Name = (typeof REQUIRED)[number];

/** The parts of a sibling `<stem>.summary.json` the import uses (header and MT4's printed figures). */
export interface StatementSummaryJson {
  header?: Partial<StatementHeader>;
  summary?: Record<string, string>;
}

/**
 * Reads the parsed-statement layout (`*.trades.csv`: `status,ticket,open_time,type,size,symbol,open_price,sl,
 * tp,close_time,close_price,commission,taxes,swap,profit,close_reason,magic,comment`, CRLF or LF). The comment
 * is the last column, so commas inside it are kept. Open rows and aggregate rows (symbol `profit` or both
 * prices 0) are counted, not returned as trades; the header and summary come from the sibling JSON when given.
 */
export function parseTradesCsv(csv: string, file: string, toUtc: (wallMs: number) => number, meta: StatementSummaryJson = {}): StatementContent {
  const lines = csv.replace(/^\uFEFF/, "").split(/\r?\n/);
  const header = (lines[0] ?? "").split(",");
  const col = Object.fromEntries(REQUIRED.map((name) => [name, header.indexOf(name)])) as Record<Name, number>;
  const missing = REQUIRED.filter((name) => col[name] < 0);
  if (missing.length > 0) {
    throw new RiskloopError(CoreErrors.CORE_ERR_INVALID, `${file}:1: not a parsed statement (*.trades.csv): missing columns ${missing.join(", ")}`, { file, line: 1 });
  }
  const lastColumn = header.length - 1;
  const out: StatementContent = {
    header: { broker: "", account: "", currency: "", leverage: "", ...meta.header },
    trades: [],
    aggregates: [],
    cashflows: [],
    skipped: noSkips(),
    summary: { ...meta.summary },
  };
  const seen = new Map<string, number>();

  for (let i = 1; i < lines.length; i++) {
    if (lines[i] === "") continue;
    const at: RowPlace = { file, line: i + 1 };
    const raw = lines[i]!.split(",");
    if (raw.length < header.length) throw badRow(at, "row", `has ${raw.length} columns, expected ${header.length}`);
    const cells = raw.length > header.length ? [...raw.slice(0, lastColumn), raw.slice(lastColumn).join(",")] : raw;
    const cell = (name: Name): string => cells[col[name]] ?? "";
    const status = cell("status");
    const type = cell("type");
    if (status !== "closed" && status !== "open") throw badRow(at, "status", `is neither closed nor open: "${status}"`);
    if (type !== "buy" && type !== "sell") throw badRow(at, "type", `is neither buy nor sell: "${type}"`);
    if (status === "open") {
      out.skipped.open++;
      continue;
    }
    const ticket = cell("ticket");
    if (!/^\d+$/.test(ticket)) throw badRow(at, "ticket", `is not a ticket number: "${ticket}"`);
    const previous = seen.get(ticket);
    if (previous !== undefined) throw badRow(at, "ticket", `${ticket} repeats the row at line ${previous}`);
    seen.set(ticket, at.line);
    const comment = cell("comment");
    const reason = cell("close_reason");
    const trade: StatementTrade = {
      ticket,
      line: at.line,
      openTime: readTime(cell("open_time"), at, "open_time", toUtc),
      closeTime: readTime(cell("close_time"), at, "close_time", toUtc),
      type,
      size: readNumber(cell("size"), at, "size"),
      symbol: cell("symbol").toLowerCase(),
      openPrice: readNumber(cell("open_price"), at, "open_price"),
      sl: readNumber(cell("sl"), at, "sl"),
      tp: readNumber(cell("tp"), at, "tp"),
      closePrice: readNumber(cell("close_price"), at, "close_price"),
      commission: readNumber(cell("commission"), at, "commission"),
      taxes: readNumber(cell("taxes"), at, "taxes"),
      swap: readNumber(cell("swap"), at, "swap"),
      profit: readNumber(cell("profit"), at, "profit"),
      comment,
      closeReason: reason === "sl" ? "SL" : reason === "tp" ? "TP" : closeReasonOf(comment),
    };
    if (trade.symbol === "profit" || (trade.openPrice.isZero() && trade.closePrice.isZero())) {
      out.aggregates.push(trade);
      out.skipped.aggregate++;
    } else {
      out.trades.push(trade);
    }
  }
  return out;
}
