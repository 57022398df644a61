import { invalid, type Candle, type SymbolSpec } from "../../core/index.ts";
import type { QuotePoint } from "./paper-types.ts";

/** Where inside its minute each synthetic quote of an M1 bar sits: open, first extreme, second extreme, close. */
export const BAR_POINT_OFFSETS_MS = [0, 15_000, 30_000, 45_000] as const;

/**
 * The four quotes the venue replays for one M1 bar when no ticks exist. Bar prices are bids (MetaTrader's
 * convention); the path is O→H→L→C when the high is at least as near the open as the low, else O→L→H→C, so
 * the extreme nearer the open is visited first. Each ask is bid + the bar's spread (its spread at the close,
 * used for all four points), else the symbol's typical spread, rounded to the symbol's digits.
 */
export function barQuotePoints(bar: Candle, spec: SymbolSpec, typicalSpread: number | undefined): QuotePoint[] {
  const spread = bar.spread ?? typicalSpread;
  if (spread === undefined || !(spread >= 0)) {
    throw invalid(`typicalSpreads.${spec.symbol}`, "bars without a spread need the symbol's typical spread (price units)");
  }
  const highFirst = bar.high - bar.open <= bar.open - bar.low;
  const path = highFirst ? [bar.open, bar.high, bar.low, bar.close] : [bar.open, bar.low, bar.high, bar.close];
  const scale = 10 ** spec.digits;
  return path.map((bid, i) => {
    const time = bar.time + BAR_POINT_OFFSETS_MS[i]!;
    return { symbol: spec.symbol, time, bid, ask: Math.round((bid + spread) * scale) / scale, receivedAt: time };
  });
}
