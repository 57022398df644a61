import type { Logger } from "../core/index.ts";
import type { MarketContext, MarketContextService } from "../analysis/context/index.ts";
import type { ContextFields, ContextSource } from "../srm/index.ts";

const MINUTE = 60_000;
const HISTORY_CACHE = 512;

function fieldsOf(c: MarketContext): ContextFields {
  return {
    atr: c.atr.M1.value,
    volatilityIndex: c.volatility.percentile === null ? null : c.volatility.percentile / 100,
    spread: c.spread?.current ?? null,
    session: c.session.primary,
  };
}

/**
 * Feeds SRM and execution the market context. The live state answers in microseconds; an instant it cannot
 * answer (a symbol not warm yet, or a paper account living in recorded time) is computed from storage, cached
 * per symbol and minute, while the live state warms in the background for the next decision.
 */
export function contextFieldsSource(context: MarketContextService, logger: Logger): ContextSource {
  const warming = new Set<string>();
  const history = new Map<string, Promise<ContextFields | null>>();
  const computed = (symbol: string, at: number): Promise<ContextFields | null> => {
    const key = `${symbol}:${Math.floor(at / MINUTE)}`;
    let hit = history.get(key);
    if (!hit) {
      hit = context.computeAt(symbol, at).then(fieldsOf, (err: unknown) => {
        logger.debug({ err, symbol, at }, "no stored market context for this instant");
        return null;
      });
      if (history.size >= HISTORY_CACHE) history.delete(history.keys().next().value!);
      history.set(key, hit);
    }
    return hit;
  };
  return (symbol, at) => {
    if (!context.isWarm(symbol)) {
      if (!warming.has(symbol)) {
        warming.add(symbol);
        context
          .warm(symbol)
          .catch((err: unknown) => logger.warn({ err, symbol }, "market context could not be warmed"))
          .finally(() => warming.delete(symbol));
      }
      return computed(symbol, at);
    }
    try {
      return fieldsOf(context.contextAt(symbol, at));
    } catch {
      return computed(symbol, at);
    }
  };
}
