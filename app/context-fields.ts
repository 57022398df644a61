import type { Logger } from "../core/index.ts";
import type { MarketContextService } from "../analysis/context/index.ts";
import type { ContextSource } from "../srm/index.ts";

/**
 * Feeds SRM the live market context. The decision is synchronous, so a symbol that is not warm yet answers
 * null (the decision degrades and says so) while its warm-up starts in the background for the next one.
 */
export function contextFieldsSource(context: MarketContextService, logger: Logger): ContextSource {
  const warming = new Set<string>();
  return (symbol, at) => {
    if (!context.isWarm(symbol)) {
      if (!warming.has(symbol)) {
        warming.add(symbol);
        context
          .warm(symbol, at)
          .catch((err: unknown) => logger.warn({ err, symbol }, "market context could not be warmed"))
          .finally(() => warming.delete(symbol));
      }
      return null;
    }
    try {
      const c = context.contextAt(symbol, at);
      return {
        atr: c.atr.M1.value,
        volatilityIndex: c.volatility.percentile === null ? null : c.volatility.percentile / 100,
        spread: c.spread?.current ?? null,
        session: c.session.primary,
      };
    } catch (err) {
      logger.debug({ err, symbol, at }, "no market context for this instant");
      return null;
    }
  };
}
