import { conventionalPipSize, TIMEFRAME_MS } from "../../core/index.ts";
import { DEFAULT_CONTEXT_PARAMS, MarketContextService, type ContextParams, type MarketContext } from "../../analysis/context/index.ts";
import type { MarketDataReader } from "../../analysis/market-data/index.ts";

/** The execution log's market context columns for one fill, in price units (null where the data did not allow). */
export interface FillContext {
  atr: number | null;
  volatilityIndex: number | null;
  spread: number | null;
}

/** Context per instant for one symbol, in the order of `times` (UTC epoch ms); null where nothing is known. */
export type FillContextLookup = (symbol: string, times: readonly number[]) => Promise<(FillContext | null)[]>;

/**
 * Context for fills of any symbols: one lookup call per symbol, answers in the order of `fills`. Symbols are
 * the canonical ones the market data is stored under.
 */
export async function contextOfEach(lookup: FillContextLookup, fills: readonly { symbol: string; time: number }[]): Promise<(FillContext | null)[]> {
  const bySymbol = new Map<string, number[]>();
  fills.forEach((f, i) => {
    const list = bySymbol.get(f.symbol);
    if (list) list.push(i);
    else bySymbol.set(f.symbol, [i]);
  });
  const out: (FillContext | null)[] = fills.map(() => null);
  for (const [symbol, indices] of bySymbol) {
    const found = await lookup(symbol, indices.map((i) => fills[i]!.time));
    indices.forEach((i, k) => (out[i] = found[k] ?? null));
  }
  return out;
}

/** A lookup that knows nothing: the fills keep only their session and day of the week. */
export const noFillContext: FillContextLookup = async (_symbol, times) => times.map(() => null);

/**
 * The columns from a market context: the ATR of the volatility timeframe (the same bars the volatility index
 * ranks) when that timeframe's bars are present and fresh at the instant, the index as a 0–1 fraction, and the
 * typical spread when a fresh quote exists. Null when none of them is known.
 */
export function fillContextOf(c: MarketContext): FillContext | null {
  const tf = c.volatility.timeframe;
  const q = c.dataQuality;
  const bars = !q.missingTimeframes.includes(tf) && !q.staleTimeframes.includes(tf);
  const atr = bars ? c.atr[tf].value : null;
  const volatilityIndex = bars && c.volatility.percentile !== null ? c.volatility.percentile / 100 : null;
  const spread = c.spread && !q.staleQuote && !q.noQuotes ? c.spread.typical : null;
  return atr === null && volatilityIndex === null && spread === null ? null : { atr, volatilityIndex, spread };
}

/**
 * Context from stored candles and ticks (analysis/context), computed only from data available at each
 * instant. Instants outside the stored bars of the volatility timeframe get null without reading anything.
 */
export function storedFillContext(reader: MarketDataReader, params: ContextParams = DEFAULT_CONTEXT_PARAMS): FillContextLookup {
  const service = new MarketContextService(reader, { params, pipSize: conventionalPipSize });
  const tf = params.volatilityTimeframe;
  const slack = params.barStaleBars * TIMEFRAME_MS[tf];
  return async (symbol, times) => {
    const out: (FillContext | null)[] = times.map(() => null);
    const range = (await reader.coverage(symbol)).candles[tf];
    if (!range) return out;
    const inside = times.flatMap((t, i) => (t > range.from && t <= range.to + slack && Number.isSafeInteger(t) ? [i] : []));
    if (inside.length === 0) return out;
    const contexts = await service.contextSeries(symbol, inside.map((i) => times[i]!));
    inside.forEach((i, k) => (out[i] = fillContextOf(contexts[k]!)));
    return out;
  };
}
