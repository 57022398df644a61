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

/**
 * Settings for a paper account created without any: every instrument with recorded ticks or M1 bars, replayed
 * over the whole recorded range, starting from the account's balance. Throws CORE_ERR_INVALID when nothing is
 * recorded, since a paper account without prices cannot quote or fill.
 */
export async function defaultPaperSettings(reader: MarketDataReader, instruments: readonly SymbolSpec[], balance: string): Promise<StoredPaperSettings> {
  const recorded = new Set(await reader.symbols());
  const symbols: string[] = [];
  let from = Infinity;
  let to = -Infinity;
  for (const spec of instruments) {
    if (!recorded.has(spec.symbol)) continue;
    const coverage = await reader.coverage(spec.symbol);
    const ranges = [coverage.ticks && { from: coverage.ticks.from, to: coverage.ticks.to + 1 }, coverage.candles.M1 && { from: coverage.candles.M1.from, to: coverage.candles.M1.to + M1_MS }];
    for (const range of ranges) {
      if (!range) continue;
      from = Math.min(from, range.from);
      to = Math.max(to, range.to);
      if (!symbols.includes(spec.symbol)) symbols.push(spec.symbol);
    }
  }
  if (symbols.length === 0) throw invalid("paperSettings", "no instrument has recorded ticks or M1 bars to replay: import market data first");
  return { symbols, from, to, ...(Number(balance) > 0 ? { initialBalance: balance } : {}) };
}
