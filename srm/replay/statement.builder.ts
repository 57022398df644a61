import { Decimal } from "../../core/index.ts";
import type { ParsedStatement, StatementTrade } from "../statements/index.ts";

/** Tuesday 12 March 2024, 00:00 UTC; New York is on summer time, so its trading day turns at 21:00 UTC. */
export const REPLAY_DAY = Date.UTC(2024, 2, 12);
export const HOUR = 3_600_000;

/** Statement row fields as plain values; prices and money as strings so they stay exact. */
export interface RowSpec {
  ticket: string;
  open: number;
  close: number;
  type?: "buy" | "sell";
  size?: string;
  symbol?: string;
  openPrice?: string;
  closePrice?: string;
  sl?: string;
  tp?: string;
  profit: string;
  commission?: string;
  swap?: string;
  reason?: StatementTrade["closeReason"];
}

/** A EURUSD statement row; times are hours after `REPLAY_DAY`. */
export function aRow(r: RowSpec): StatementTrade {
  return {
    ticket: r.ticket,
    line: 0,
    openTime: REPLAY_DAY + r.open * HOUR,
    closeTime: REPLAY_DAY + r.close * HOUR,
    type: r.type ?? "buy",
    size: new Decimal(r.size ?? "1"),
    symbol: r.symbol ?? "eurusd",
    openPrice: new Decimal(r.openPrice ?? "1.1000"),
    sl: new Decimal(r.sl ?? "0"),
    tp: new Decimal(r.tp ?? "0"),
    closePrice: new Decimal(r.closePrice ?? "1.1000"),
    commission: new Decimal(r.commission ?? "0"),
    taxes: new Decimal(0),
    swap: new Decimal(r.swap ?? "0"),
    profit: new Decimal(r.profit),
    comment: "",
    closeReason: r.reason ?? "UNKNOWN",
  };
}

/** A parsed statement of `rows` with a printed leverage and summary, as the HTML and CSV readers return it. */
export function aStatement(rows: RowSpec[], over: Partial<ParsedStatement> = {}): ParsedStatement {
  return {
    file: "hand-made.htm",
    format: "mt4-html",
    stem: "hand-made",
    timeZone: "UTC",
    header: { broker: "Test", account: "1", currency: "USD", leverage: "1:1000" },
    trades: rows.map(aRow),
    aggregates: [],
    cashflows: [],
    skipped: { aggregate: 0, open: 0, cancelled: 0, working: 0, cashflow: 0 },
    summary: {},
    ...over,
  };
}
