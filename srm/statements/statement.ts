import type { Decimal } from "../../core/index.ts";

/** How a closed trade ended, as the statement labels it (`[sl]`/`[tp]` in the comment, `so:` for a stop-out). */
export type StatementCloseReason = "SL" | "TP" | "STOP_OUT" | "UNKNOWN";

/**
 * One closed buy or sell row of an MT4 statement. Prices, volumes and money stay exact decimals; times are
 * UTC epoch ms after the statement's time zone was applied. `line` is where the row starts in its file.
 */
export interface StatementTrade {
  ticket: string;
  line: number;
  openTime: number;
  closeTime: number;
  type: "buy" | "sell";
  size: Decimal;
  /** The symbol as the broker wrote it (lower case, broker suffixes kept). */
  symbol: string;
  openPrice: Decimal;
  /** Zero means no stop loss (MT4's convention). */
  sl: Decimal;
  tp: Decimal;
  closePrice: Decimal;
  commission: Decimal;
  taxes: Decimal;
  swap: Decimal;
  profit: Decimal;
  comment: string;
  closeReason: StatementCloseReason;
}

/** A balance or credit row: deposit, withdrawal, interest, broker adjustment. */
export interface StatementCashflow {
  ticket: string;
  line: number;
  time: number;
  comment: string;
  amount: Decimal;
}

/** Rows a statement holds that are not imported as closed trades, by reason. */
export interface SkippedRows {
  /** Broker aggregate rows ("Summary trade result": symbol `profit`, prices 0). */
  aggregate: number;
  /** Positions still open when the statement was printed. */
  open: number;
  /** Pending orders that were cancelled, deleted or expired. */
  cancelled: number;
  /** Pending orders still working when the statement was printed. */
  working: number;
  /** Balance and credit rows (cash flows). */
  cashflow: number;
}

/** The statement's own account header, as printed (empty strings where the broker left a field blank). */
export interface StatementHeader {
  broker: string;
  account: string;
  currency: string;
  leverage: string;
}

/** Everything read from one statement file. */
export interface ParsedStatement {
  file: string;
  format: "mt4-html" | "trades-csv";
  /** The file's name without folders and extensions, e.g. `mamolas_dr_DetailedStatement`. */
  stem: string;
  /** What the broker-time → UTC conversion was, e.g. "UTC" or "UTC+02:00". */
  timeZone: string;
  header: StatementHeader;
  trades: StatementTrade[];
  /** The aggregate rows, kept apart so totals can still be reconciled with the statement's own figures. */
  aggregates: StatementTrade[];
  cashflows: StatementCashflow[];
  skipped: SkippedRows;
  /** MT4's printed figures by label (e.g. "Total Net Profit" → "378 480.12"); empty when the file has none. */
  summary: Record<string, string>;
}

/** A statement row's net result in account currency: profit plus commission, taxes and swap. */
export function netOf(t: StatementTrade): Decimal {
  return t.profit.plus(t.commission).plus(t.taxes).plus(t.swap);
}

/** The zero counts a parser starts from. */
export function noSkips(): SkippedRows {
  return { aggregate: 0, open: 0, cancelled: 0, working: 0, cashflow: 0 };
}
