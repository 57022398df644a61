import { CoreErrors, RiskloopError, type Decimal } from "../../core/index.ts";
import { resolveTimeZone } from "../../analysis/market-data/index.ts";
import { canonicalSymbol, exitFillOf, readTextFile, type ExitFill } from "../statements/index.ts";
import { badRow, readNumber, readTime } from "../statements/statement-fields.ts";

/** One real SL/TP fill from a fills file, with the fill recomputed from its level and close price. */
export interface FillRow {
  statement: string;
  ticket: string;
  line: number;
  /** Canonical symbol (see `canonicalSymbol`). */
  symbol: string;
  size: Decimal;
  openPrice: Decimal;
  closeTime: number;
  fill: ExitFill;
  /** The file's own slippage column converted to pips: the target the models are scored against. */
  slippagePips: number;
}

/** The rows of a fills file, duplicates removed, and how many disagree with their own level and close price. */
export interface FillsFile {
  file: string;
  timeZone: string;
  rows: FillRow[];
  read: number;
  duplicates: number;
  /** Rows whose slippage column differs from level − close price (adverse positive) by more than 1e-6 pip. */
  inconsistent: number;
}

const REQUIRED = ["statement", "ticket", "symbol", "side", "size", "open_time", "close_time", "close_reason", "order_level", "close_price", "slippage_price_units_adverse_positive", "open_price"] as const;
type Name = (typeof REQUIRED)[number];

/**
 * Reads a file of real SL/TP fills with the columns of `sl_tp_fill_slippage.csv` (gzip'd or not). A fill
 * that appears twice (the same ticket, symbol, close time and price, e.g. two statements of one account) is
 * kept once. Broker times become UTC through `tz` (default UTC), as on import.
 */
export function readFillsFile(file: string, opts: { tz?: string } = {}): FillsFile {
  const lines = readTextFile(file).replace(/^\uFEFF/, "").split(/\r?\n/);
  const header = (lines[0] ?? "").split(",");
  const col = Object.fromEntries(REQUIRED.map((n) => [n, header.indexOf(n)])) as Record<Name, number>;
  const missing = REQUIRED.filter((n) => col[n] < 0);
  if (missing.length > 0) throw new RiskloopError(CoreErrors.CORE_ERR_INVALID, `${file}:1: not a fills file: missing columns ${missing.join(", ")}`, { file });
  const zone = resolveTimeZone(opts.tz ?? "UTC");

  const out: FillsFile = { file, timeZone: zone.label, rows: [], read: 0, duplicates: 0, inconsistent: 0 };
  const seen = new Set<string>();
  for (let i = 1; i < lines.length; i++) {
    if (lines[i] === "") continue;
    out.read++;
    const at = { file, line: i + 1 };
    const cells = lines[i]!.split(",");
    const cell = (n: Name): string => cells[col[n]] ?? "";
    const side = cell("side");
    const reason = cell("close_reason");
    if (side !== "buy" && side !== "sell") throw badRow(at, "side", `is neither buy nor sell: "${side}"`);
    if (reason !== "sl" && reason !== "tp") throw badRow(at, "close_reason", `is neither sl nor tp: "${reason}"`);
    const level = readNumber(cell("order_level"), at, "order_level");
    const closePrice = readNumber(cell("close_price"), at, "close_price");
    const closeTime = readTime(cell("close_time"), at, "close_time", zone.toUtc);
    const zero = level.minus(level);
    const fill = exitFillOf({ type: side, symbol: cell("symbol"), closeReason: reason === "sl" ? "SL" : "TP", sl: reason === "sl" ? level : zero, tp: reason === "tp" ? level : zero, closePrice });
    if (!fill) throw badRow(at, "order_level", "is 0: an SL/TP fill needs its level");
    const symbol = canonicalSymbol(cell("symbol"));
    const key = `${cell("ticket")}|${symbol}|${closeTime}|${closePrice.toFixed()}`;
    if (seen.has(key)) {
      out.duplicates++;
      continue;
    }
    seen.add(key);
    const slippagePips = readNumber(cell("slippage_price_units_adverse_positive"), at, "slippage_price_units_adverse_positive").div(fill.pipSize).toNumber();
    if (Math.abs(slippagePips - fill.slippagePips) > 1e-6) out.inconsistent++;
    out.rows.push({ statement: cell("statement"), ticket: cell("ticket"), line: at.line, symbol, size: readNumber(cell("size"), at, "size"), openPrice: readNumber(cell("open_price"), at, "open_price"), closeTime, fill, slippagePips });
  }
  if (out.rows.length === 0) throw new RiskloopError(CoreErrors.CORE_ERR_INVALID, `${file}: no fills to score`, { file });
  return out;
}
