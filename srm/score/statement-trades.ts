import { invalid } from "../../core/index.ts";
import type { ClosedTrade, CloseReason } from "./closed-trade.ts";

const REQUIRED = ["status", "ticket", "open_time", "type", "size", "symbol", "open_price", "sl", "tp", "close_time", "close_price", "commission", "taxes", "swap", "profit", "close_reason", "comment"] as const;

/**
 * Reads the closed trades of a parsed MT4 statement (`*.trades.csv`: `status,ticket,open_time,type,size,symbol,
 * open_price,sl,tp,close_time,close_price,commission,taxes,swap,profit,close_reason,magic,comment`, CRLF or LF).
 * Open positions and broker aggregate rows (both prices 0, e.g. Alpari's "Summary trade result") are skipped;
 * `sl`/`tp` of 0 mean none; commission, taxes and swap become `costs`; times are broker time read as UTC;
 * a `so:` comment marks a stop-out. Comments are the last column, so commas inside them are kept.
 */
export function parseStatementTrades(csv: string): ClosedTrade[] {
  const lines = csv.split(/\r?\n/).filter((l) => l.length > 0);
  const header = (lines[0] ?? "").split(",");
  const col = Object.fromEntries(REQUIRED.map((name) => [name, header.indexOf(name)])) as Record<(typeof REQUIRED)[number], number>;
  const missing = REQUIRED.filter((name) => col[name] < 0);
  if (missing.length > 0) throw invalid("csv", `missing columns ${missing.join(", ")}`);
  const lastColumn = header.length - 1;

  const trades: ClosedTrade[] = [];
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i]!.split(",");
    const cells = raw.length > header.length ? [...raw.slice(0, lastColumn), raw.slice(lastColumn).join(",")] : raw;
    const cell = (name: (typeof REQUIRED)[number]): string => cells[col[name]] ?? "";
    const type = cell("type");
    if (cell("status") !== "closed" || (type !== "buy" && type !== "sell")) continue;
    const openPrice = num(cell("open_price"), i);
    const closePrice = num(cell("close_price"), i);
    if (openPrice === 0 && closePrice === 0) continue;
    const sl = num(cell("sl"), i);
    const tp = num(cell("tp"), i);
    trades.push({
      id: cell("ticket"),
      openTime: parseBrokerTime(cell("open_time")),
      closeTime: parseBrokerTime(cell("close_time")),
      profit: num(cell("profit"), i),
      costs: num(cell("commission"), i) + num(cell("taxes"), i) + num(cell("swap"), i),
      volume: num(cell("size"), i),
      symbol: cell("symbol"),
      side: type === "buy" ? "BUY" : "SELL",
      openPrice,
      closePrice,
      ...(sl > 0 ? { stopLoss: sl } : {}),
      ...(tp > 0 ? { takeProfit: tp } : {}),
      closeReason: closeReasonOf(cell("close_reason"), cell("comment")),
    });
  }
  return trades;
}

/** Parses MT4's `YYYY.MM.DD HH:MM:SS` as if it were UTC (statements do not state their server's zone). */
export function parseBrokerTime(text: string): number {
  const m = /^(\d{4})\.(\d{2})\.(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!m) throw invalid("time", `expected YYYY.MM.DD HH:MM:SS, got "${text}"`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
}

function closeReasonOf(reason: string, comment: string): CloseReason {
  if (reason === "sl") return "SL";
  if (reason === "tp") return "TP";
  return comment.startsWith("so:") ? "STOP_OUT" : "UNKNOWN";
}

function num(text: string, line: number): number {
  const n = Number(text);
  if (text === "" || !Number.isFinite(n)) throw invalid("csv", `line ${line + 1}: expected a number, got "${text}"`);
  return n;
}
