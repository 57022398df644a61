import { conventionalPipSize, dec, invalid, type Decimal, type Side, type SymbolSpec } from "../../core/index.ts";
import type { ClosedTrade } from "../score/index.ts";
import { canonicalSymbol, netOf, scoreTradeOf, summaryNumber, type ParsedStatement, type StatementCashflow, type StatementTrade } from "../statements/index.ts";

/** One provider trade, as the replay re-lives it: exact prices for the intent, numbers for the money. */
export interface ReplayTrade {
  ticket: string;
  /** Canonical symbol (broker suffixes removed). */
  symbol: string;
  side: Side;
  volume: Decimal;
  openTime: number;
  closeTime: number;
  openPrice: Decimal;
  closePrice: number;
  /**
   * The stop loss when it protects the position (on the losing side of the open price). The statement prints the
   * stop in force at the close; one already trailed into profit says nothing about the stop at the open, so
   * such a trade replays as a signal without a stop loss.
   */
  stopLoss?: Decimal;
  takeProfit?: Decimal;
  profit: number;
  /** Commission, taxes and swap, signed. */
  costs: number;
  /** The provider's trade as its score sees it. */
  scored: ClosedTrade;
}

/** What the replay knows of a symbol: its specification and the money a price unit is worth per lot. */
export interface ReplayInstrument {
  spec: SymbolSpec;
  /** Account-currency value of one quote-currency unit, so that `contractSize × rate` is the money per price unit per lot. */
  quoteToAccountRate: number;
}

/** A provider's history ready to replay. */
export interface ReplayHistory {
  file: string;
  format: ParsedStatement["format"];
  currency: string;
  /** Opening trades in time order (ticket breaks ties). */
  trades: ReplayTrade[];
  /** Deposits and withdrawals after the first trade opened. */
  cashflows: { at: number; amount: number }[];
  startingBalance: number;
  startingBalanceSource: "option" | "statement";
  leverage: number;
  /** `implied`: the header prints none, so the lowest usual leverage that let the provider hold its own positions. */
  leverageSource: "option" | "statement" | "implied";
  instruments: Record<string, ReplayInstrument>;
}

/** Options of `replayHistoryOf`. */
export interface ReplayHistoryOptions {
  /** Overrides the starting balance found in the statement (required when it has none). */
  startingBalance?: number;
  /** Overrides the statement header's leverage (margin rate = 1 / leverage). @defaultValue the header's, else the implied one */
  leverage?: number;
  /** The statement's cash flows when the parsed statement does not carry them (see `statementCashflows`). */
  cashflows?: readonly StatementCashflow[];
}

/** Leverage tiers brokers commonly offer, lowest first. */
const LEVERAGE_TIERS = [100, 200, 300, 400, 500, 1000, 2000, 3000];

/** Lots per contract by convention: currency pairs 100 000 units, gold 100 oz, silver 5 000 oz, anything else 1. */
function contractSizeOf(symbol: string): number {
  if (symbol.startsWith("XAU")) return 100;
  if (symbol.startsWith("XAG")) return 5000;
  return /^[A-Z]{6}$/.test(symbol) && conventionalPipSize(symbol) < 1 ? 100_000 : 1;
}

function median(xs: number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Symbol specifications from the statement itself. The money a price unit is worth per lot is the median over
 * the symbol's trades of |profit| / (|price move| × lots): it carries the contract size and the conversion to the
 * account currency, which the statement never prints. These are facts about the instrument, not outcomes, so
 * taking them from the whole statement gives the replay no look-ahead on performance. Digits are the most
 * decimals any of its prices shows (at least the pip's); volumes step by 0.01 (finer if the provider traded
 * finer) between the smallest and largest lot it traded (at least 0.01 to 100).
 */
function instrumentsOf(rows: readonly StatementTrade[], leverage: number): Record<string, ReplayInstrument> {
  const bySymbol = new Map<string, StatementTrade[]>();
  for (const t of rows) {
    const symbol = canonicalSymbol(t.symbol);
    const list = bySymbol.get(symbol);
    if (list) list.push(t);
    else bySymbol.set(symbol, [t]);
  }
  const out: Record<string, ReplayInstrument> = {};
  for (const [symbol, trades] of bySymbol) {
    const contractSize = contractSizeOf(symbol);
    const values = trades.flatMap((t) => {
      const move = t.closePrice.minus(t.openPrice).abs();
      return move.isZero() || t.profit.isZero() || t.size.isZero() ? [] : [t.profit.abs().div(move.mul(t.size)).toNumber()];
    });
    const pipSize = conventionalPipSize(symbol);
    // Printed prices drop trailing zeros, so never fewer digits than the pip has.
    const digits = Math.max(Math.round(-Math.log10(pipSize)), ...trades.flatMap((t) => [t.openPrice, t.closePrice, t.sl, t.tp].map((d) => d.decimalPlaces())));
    const volumeDigits = Math.max(2, ...trades.map((t) => t.size.decimalPlaces()));
    const smallest = trades.reduce((m, t) => (t.size.lt(m) ? t.size : m), dec("0.01"));
    const largest = trades.reduce((m, t) => (t.size.gt(m) ? t.size : m), dec(100));
    out[symbol] = {
      spec: {
        symbol,
        digits,
        pipSize,
        contractSize,
        minVolume: smallest,
        maxVolume: largest,
        volumeStep: dec(10).pow(-volumeDigits),
        marginRate: 1 / leverage,
        quoteCurrency: /^[A-Z]{6}$/.test(symbol) ? symbol.slice(3) : "USD",
      },
      quoteToAccountRate: (median(values) ?? contractSize) / contractSize,
    };
  }
  return out;
}

/**
 * The lowest usual leverage at which the provider could hold its own positions: the largest ratio, at any open,
 * of the notional of its open positions to its balance then (starting balance, results closed and cash flows
 * so far), rounded up to a broker tier (at most 1:3000). The statement proves its broker allowed that much.
 */
function impliedLeverage(rows: readonly StatementTrade[], instruments: Record<string, ReplayInstrument>, startingBalance: number, cashflows: readonly { at: number; amount: number }[]): number {
  const notional = (t: StatementTrade) => {
    const inst = instruments[canonicalSymbol(t.symbol)]!;
    return t.size.toNumber() * inst.spec.contractSize * t.openPrice.toNumber() * inst.quoteToAccountRate;
  };
  const closes = [...rows].sort((a, b) => a.closeTime - b.closeTime);
  let needed = 0;
  let closed = 0;
  let flows = 0;
  let balance = startingBalance;
  const open: StatementTrade[] = [];
  for (const t of rows) {
    for (; closed < closes.length && closes[closed]!.closeTime <= t.openTime; closed++) balance += netOf(closes[closed]!).toNumber();
    for (; flows < cashflows.length && cashflows[flows]!.at <= t.openTime; flows++) balance += cashflows[flows]!.amount;
    open.push(t);
    for (let i = open.length - 1; i >= 0; i--) if (open[i]!.closeTime <= t.openTime) open.splice(i, 1);
    if (balance > 0) needed = Math.max(needed, open.reduce((sum, o) => sum + notional(o), 0) / balance);
  }
  // A balance near zero with positions open implies absurd ratios; no broker offers more than the top tier.
  return LEVERAGE_TIERS.find((tier) => tier >= needed) ?? LEVERAGE_TIERS.at(-1)!;
}

/** The stop loss if it protects the position at the open; see `ReplayTrade.stopLoss`. */
function protectiveStop(t: StatementTrade): Decimal | undefined {
  if (!t.sl.gt(0)) return undefined;
  return (t.type === "buy" ? t.sl.lt(t.openPrice) : t.sl.gt(t.openPrice)) ? t.sl : undefined;
}

/**
 * Prepares a parsed statement for replay. The starting balance is the account's balance when the first trade
 * opened: the balance before the statement's first row (printed balance − closed trade P/L − deposits and
 * withdrawals), plus the cash flows dated before that trade and the broker aggregate rows. When that is not positive
 * the caller must give one. Later cash flows are kept apart (the replay applies them only on request).
 */
export function replayHistoryOf(st: ParsedStatement, opts: ReplayHistoryOptions = {}): ReplayHistory {
  if (st.trades.length === 0) throw invalid("statement", `${st.file} has no closed trades to replay`);
  const rows = [...st.trades].sort((a, b) => a.openTime - b.openTime || a.ticket.localeCompare(b.ticket));
  const firstOpen = rows[0]!.openTime;
  const given = opts.cashflows ?? st.cashflows;
  const cashflows = given.map((c) => ({ at: c.time, amount: c.amount.toNumber() }));

  let startingBalance = opts.startingBalance;
  const source = startingBalance === undefined ? "statement" : "option";
  if (startingBalance === undefined) {
    const [balance, closed, deposits] = [st.summary["Balance"], st.summary["Closed Trade P/L"], st.summary["Deposit/Withdrawal"]].map(summaryNumber);
    let opening = balance && closed && deposits ? balance.minus(closed).minus(deposits) : dec(0);
    for (const c of given) if (c.time < firstOpen) opening = opening.plus(c.amount);
    // Broker aggregate rows summarise the history before the itemised trades (dyk42's monthly "Summary trade
    // result" rows; the one for the month the itemised rows begin is dated after its first open).
    for (const a of st.aggregates) opening = opening.plus(netOf(a));
    startingBalance = opening.toNumber();
  }
  if (!(startingBalance > 0)) {
    throw invalid("balance", `${st.file} gives no positive starting balance (found ${startingBalance.toFixed(2)}): pass one with --balance`);
  }
  const printed = /^1:(\d+)$/.exec(st.header.leverage)?.[1];
  const later = cashflows.filter((c) => c.at >= firstOpen).sort((a, b) => a.at - b.at);
  const leverage = opts.leverage ?? (printed ? Number(printed) : impliedLeverage(rows, instrumentsOf(rows, 1), startingBalance, later));
  const instruments = instrumentsOf(rows, leverage);
  return {
    file: st.file,
    format: st.format,
    currency: st.header.currency || "USD",
    trades: rows.map((t) => {
      const stopLoss = protectiveStop(t);
      return {
        ticket: t.ticket,
        symbol: canonicalSymbol(t.symbol),
        side: t.type === "buy" ? "BUY" : "SELL",
        volume: t.size,
        openTime: t.openTime,
        closeTime: t.closeTime,
        openPrice: t.openPrice,
        closePrice: t.closePrice.toNumber(),
        ...(stopLoss ? { stopLoss } : {}),
        ...(t.tp.gt(0) ? { takeProfit: t.tp } : {}),
        profit: t.profit.toNumber(),
        costs: t.commission.plus(t.taxes).plus(t.swap).toNumber(),
        scored: scoreTradeOf(t),
      };
    }),
    cashflows: later,
    startingBalance,
    startingBalanceSource: source,
    leverage,
    leverageSource: opts.leverage !== undefined ? "option" : printed ? "statement" : "implied",
    instruments,
  };
}
