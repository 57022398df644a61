import { conventionalPipSize, Decimal, type Side } from "../../core/index.ts";
import type { StatementHeader, StatementTrade } from "./statement.ts";
import { canonicalSymbol } from "./statement-symbol.ts";

/** An SL or TP exit seen as an execution: the stop/limit level was the requested price, the close price the fill. */
export interface ExitFill {
  kind: "SL_FILL" | "TP_FILL";
  /** The closing order's side: a buy position is closed by a sell. */
  side: Side;
  level: Decimal;
  fill: Decimal;
  pipSize: number;
  /** Signed, adverse positive, in the symbol's pips: a buy's exit filled below its level slipped. */
  slippagePips: number;
}

/** The fields of a trade an exit fill is derived from (a statement row, or a row of a fills file). */
export type ExitSource = Pick<StatementTrade, "type" | "symbol" | "closeReason" | "sl" | "tp" | "closePrice">;

/**
 * The exit as a fill, or null when the trade did not close at a labelled SL/TP or the level is missing (0).
 * Slippage is computed exactly in decimals, then converted to pips with the conventional pip size of the
 * canonical symbol (`conventionalPipSize`, the same function training uses for the feature pips).
 */
export function exitFillOf(t: ExitSource): ExitFill | null {
  if (t.closeReason !== "SL" && t.closeReason !== "TP") return null;
  const level = t.closeReason === "SL" ? t.sl : t.tp;
  if (level.isZero()) return null;
  const pipSize = conventionalPipSize(canonicalSymbol(t.symbol));
  const adverse = t.type === "buy" ? level.minus(t.closePrice) : t.closePrice.minus(level);
  return {
    kind: t.closeReason === "SL" ? "SL_FILL" : "TP_FILL",
    side: t.type === "buy" ? "SELL" : "BUY",
    level,
    fill: t.closePrice,
    pipSize,
    slippagePips: adverse.div(new Decimal(pipSize)).toNumber(),
  };
}

/** SL fills at or above which a statement without a single slipped stop counts as probably demo. */
export const DEMO_MIN_SL_FILLS = 20;

/** Whether a statement looks like a demo account, and why. */
export interface DemoVerdict {
  probablyDemo: boolean;
  reasons: string[];
}

/**
 * Live stop orders fill at market and slip now and then (Alpari: 500 of 870 SL fills; OnFin: 206 of 212); a
 * demo server fills every stop exactly at its level. So: all of at least `DEMO_MIN_SL_FILLS` SL fills at zero
 * slippage, or a header that names a demo account, flags the statement as probably demo.
 */
export function demoVerdict(header: StatementHeader, fills: readonly ExitFill[]): DemoVerdict {
  const reasons: string[] = [];
  const sl = fills.filter((f) => f.kind === "SL_FILL");
  if (sl.length >= DEMO_MIN_SL_FILLS && sl.every((f) => f.slippagePips === 0)) {
    reasons.push(`all ${sl.length} SL fills filled exactly at their stop level (zero slippage); live stops slip now and then`);
  }
  if (/\bdemo|demostraci|d[ée]monstration/i.test(`${header.broker} ${header.account}`)) reasons.push(`the statement header says "${header.broker}"`);
  return { probablyDemo: reasons.length > 0, reasons };
}
