import { CoreErrors, Decimal, RiskloopError } from "../../core/index.ts";
import { parseBrokerTime } from "../score/index.ts";
import type { StatementCloseReason } from "./statement.ts";

/** Where a row sits, for error messages: `file:line`. */
export interface RowPlace {
  file: string;
  line: number;
}

/** The error for one bad row: `file:line: field reason`, nothing committed. */
export function badRow(at: RowPlace, field: string, reason: string): RiskloopError {
  return new RiskloopError(CoreErrors.CORE_ERR_INVALID, `${at.file}:${at.line}: ${field} ${reason}`, { file: at.file, line: at.line, field });
}

/** A printed number: MT4 writes thousands with spaces ("12 428.00") and HTML adds non-breaking ones. */
export function readNumber(text: string, at: RowPlace, field: string): Decimal {
  const s = text.replace(/[\s\u00a0]/g, "");
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) throw badRow(at, field, `is not a number: "${text}"`);
  return new Decimal(s);
}

/** An MT4 broker time (`YYYY.MM.DD HH:MM[:SS]`) converted to UTC epoch ms by `toUtc`. */
export function readTime(text: string, at: RowPlace, field: string, toUtc: (wallMs: number) => number): number {
  try {
    return toUtc(parseBrokerTime(text));
  } catch {
    throw badRow(at, field, `is not a time (YYYY.MM.DD HH:MM:SS): "${text}"`);
  }
}

/** Exit label from the comment: MT4 appends `[sl]`/`[tp]` when a stop or limit closed the trade; `so:` starts a stop-out. */
export function closeReasonOf(comment: string): StatementCloseReason {
  if (/\[sl\]/i.test(comment)) return "SL";
  if (/\[tp\]/i.test(comment)) return "TP";
  return /^so:/i.test(comment.trim()) ? "STOP_OUT" : "UNKNOWN";
}

/** The first number of a printed summary figure ("1 896.06 (518.80%)" → 1896.06); null when there is none. */
export function summaryNumber(text: string | undefined): Decimal | null {
  const m = text === undefined ? null : /^[-+]?[\d\s\u00a0]*\.?\d+/.exec(text.trim());
  return m ? new Decimal(m[0].replace(/[\s\u00a0]/g, "")) : null;
}
