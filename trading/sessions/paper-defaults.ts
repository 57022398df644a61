import { invalid, type SymbolSpec } from "../../core/index.ts";
import type { MarketDataReader } from "../../analysis/market-data/index.ts";

/** Replay settings of a paper account, as its `paperSettings` column holds them (see registerPaperBroker). */
export interface StoredPaperSettings {
  symbols?: string[];
  from?: number | string;
  to?: number | string;
  initialBalance?: string;
  state?: unknown;
  [key: string]: unknown;
}

const M1_MS = 60_000;

interface Recorded {
  symbol: string;
  from: number;
  to: number;
}

/**
 * The latest stretch of time recorded for the most symbols at once, and those symbols. One replay clock drives
 * every symbol of a paper account, so symbols recorded in different years cannot share one: a symbol outside the
 * stretch would only ever answer "market closed".
 */
function sharedStretch(recorded: readonly Recorded[]): { symbols: string[]; from: number; to: number } {
  let best: Recorded[] = [];
  let bestAt = -Infinity;
  // The overlap is largest at some symbol's start: count the symbols recorded there.
  for (const at of recorded.map((r) => r.from)) {
    const live = recorded.filter((r) => r.from <= at && at < r.to);
    if (live.length > best.length || (live.length === best.length && at > bestAt)) [best, bestAt] = [live, at];
  }
  return { symbols: best.map((r) => r.symbol), from: Math.max(...best.map((r) => r.from)), to: Math.min(...best.map((r) => r.to)) };
}

/**
 * Settings for a paper account created without a replay window: the instruments with recorded ticks or M1 bars
 * (those in `symbols` when given), replayed over the latest stretch that the most of them share, from the
 * account's balance. Instruments recorded only outside that stretch are left out of the account. Throws
 * CORE_ERR_INVALID when nothing is recorded, since a paper account without prices cannot quote or fill.
 */
export async function defaultPaperSettings(reader: MarketDataReader, instruments: readonly SymbolSpec[], balance: string, symbols?: readonly string[]): Promise<StoredPaperSettings> {
  const stored = new Set(await reader.symbols());
  const recorded: Recorded[] = [];
  for (const spec of instruments) {
    if (!stored.has(spec.symbol) || (symbols && !symbols.includes(spec.symbol))) continue;
    const coverage = await reader.coverage(spec.symbol);
    const ranges = [coverage.ticks && { from: coverage.ticks.from, to: coverage.ticks.to + 1 }, coverage.candles.M1 && { from: coverage.candles.M1.from, to: coverage.candles.M1.to + M1_MS }].filter((r) => !!r);
    if (ranges.length > 0) recorded.push({ symbol: spec.symbol, from: Math.min(...ranges.map((r) => r.from)), to: Math.max(...ranges.map((r) => r.to)) });
  }
  if (recorded.length === 0) throw invalid("paperSettings", "no instrument has recorded ticks or M1 bars to replay: import market data first");
  return { ...sharedStretch(recorded), ...(Number(balance) > 0 ? { initialBalance: balance } : {}) };
}
