import { CoreErrors, RiskloopError, invalid } from "../../core/index.ts";
import type { MarketFacts } from "../../srm/index.ts";
import { isBrokerError } from "../broker/index.ts";
import type { BrokerSession } from "./broker-session.ts";

type Quote = NonNullable<MarketFacts["quote"]>;

/** The venue's quote for a symbol, or null when it has none (not yet quoted, or the venue says no prices). */
export async function sessionQuote(session: BrokerSession, symbol: string): Promise<Quote | null> {
  try {
    const p = await session.port.fetchPrice(symbol);
    return { bid: p.bid.toNumber(), ask: p.ask.toNumber(), time: p.time };
  } catch (err) {
    if (isBrokerError(err) && err.code === "TRD_ERR_NO_PRICES") return null;
    throw err;
  }
}

/**
 * Market facts for an SRM decision from the account's own broker session: the symbol specification and
 * quote the venue itself states, the quote-to-account conversion from the venue's quotes of the linking pair,
 * and the venue's now (recorded time on a paper account). An unknown symbol is CORE_ERR_INVALID on `symbol`.
 */
export async function sessionMarketFacts(session: BrokerSession, symbol: string): Promise<MarketFacts> {
  let spec;
  try {
    spec = await session.spec(symbol);
  } catch (err) {
    if (isBrokerError(err) && err.code === "TRD_ERR_UNKNOWN_SYMBOL") throw invalid("symbol", `${symbol} is not traded on this account`);
    throw err;
  }
  const quote = await sessionQuote(session, spec.symbol);
  return { spec, quote, quoteToAccountRate: await conversionRate(session, spec.quoteCurrency), at: session.now() };
}

/** Account-currency value of one unit of `currency`, from the mid of a pair the venue quotes; never a guess. */
async function conversionRate(session: BrokerSession, currency: string): Promise<number> {
  const account = session.currency;
  if (currency === account) return 1;
  for (const [pair, invert] of [[`${currency}${account}`, false], [`${account}${currency}`, true]] as const) {
    const q = await sessionQuote(session, pair).catch((err: unknown) => {
      if (isBrokerError(err) && err.code === "TRD_ERR_UNKNOWN_SYMBOL") return null;
      throw err;
    });
    if (q) return invert ? 2 / (q.bid + q.ask) : (q.bid + q.ask) / 2;
  }
  throw new RiskloopError(CoreErrors.CORE_ERR_UNAVAILABLE, `the venue quotes no ${currency}/${account} pair to convert ${currency} into ${account}`, { currency, account });
}
