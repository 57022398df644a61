import { dec, type Decimal, type Side, type SymbolSpec } from "../../core/index.ts";
import type { QuotePoint } from "./paper-types.ts";

type Route = { kind: "same" } | { kind: "pair"; symbol: string; divide: boolean } | { kind: "none" };

/** The minimum a position needs for valuation. */
export interface Valued {
  symbol: string;
  side: Side;
  volume: Decimal;
  openPrice: number;
}

/**
 * Money maths of the paper account. Amounts in a symbol's quote currency are converted to the account currency
 * at the current mid of a pair that links the two (JPY → USD divides by the USDJPY mid; GBP → USD multiplies by
 * the GBPUSD mid). Margin is volume × contract size × current mid × margin rate, so a USDJPY lot on a USD account
 * needs exactly contract × rate dollars, as at MetaTrader. Money is rounded to cents where it is booked or shown.
 */
export class PaperMoney {
  readonly #specs: ReadonlyMap<string, SymbolSpec>;
  readonly #quotes: ReadonlyMap<string, QuotePoint>;
  readonly #currency: string;
  readonly #routes = new Map<string, Route>();

  constructor(specs: ReadonlyMap<string, SymbolSpec>, quotes: ReadonlyMap<string, QuotePoint>, currency: string) {
    this.#specs = specs;
    this.#quotes = quotes;
    this.#currency = currency;
  }

  /** True when amounts in `currency` can be converted now (a linking pair exists and is quoted). */
  canConvert(currency: string): boolean {
    const route = this.#route(currency);
    return route.kind === "same" || (route.kind === "pair" && this.#quotes.has(route.symbol));
  }

  /** Converts an amount in `currency` to the account currency (unrounded). */
  convert(amount: Decimal, currency: string): Decimal {
    const route = this.#route(currency);
    if (route.kind === "same") return amount;
    if (route.kind === "none") throw new Error(`no pair converts ${currency} to ${this.#currency}`);
    const mid = midOf(this.#quote(route.symbol));
    return route.divide ? amount.div(mid) : amount.mul(mid);
  }

  /** Margin of `volume` lots of a symbol at its current mid, in account currency (unrounded). */
  margin(spec: SymbolSpec, volume: Decimal): Decimal {
    const notional = volume.mul(spec.contractSize).mul(midOf(this.#quote(spec.symbol)));
    return this.convert(notional.mul(spec.marginRate), spec.quoteCurrency);
  }

  /** Profit of a position closed at `price`, in account currency, rounded to cents. */
  profit(p: Valued, price: Decimal, volume: Decimal = p.volume): Decimal {
    const spec = this.#specs.get(p.symbol)!;
    const move = p.side === "BUY" ? price.minus(p.openPrice) : dec(p.openPrice).minus(price);
    return cents(this.convert(move.mul(volume).mul(spec.contractSize), spec.quoteCurrency));
  }

  /** Floating profit at the current quote (long closes at the bid, short at the ask). */
  floating(p: Valued): Decimal {
    const q = this.#quote(p.symbol);
    return this.profit(p, dec(p.side === "BUY" ? q.bid : q.ask));
  }

  /** Hot-path floating profit and margin as binary floats, for the stop-out check on every quote. */
  floatingFast(p: Valued & { volumeNum: number }, spec: SymbolSpec): { profit: number; margin: number } {
    const q = this.#quote(p.symbol);
    const rate = this.#rateFast(spec.quoteCurrency);
    const move = p.side === "BUY" ? q.bid - p.openPrice : p.openPrice - q.ask;
    const lots = p.volumeNum * spec.contractSize;
    return { profit: move * lots * rate, margin: lots * ((q.bid + q.ask) / 2) * spec.marginRate * rate };
  }

  #rateFast(currency: string): number {
    const route = this.#route(currency);
    if (route.kind !== "pair") return 1;
    const q = this.#quote(route.symbol);
    const mid = (q.bid + q.ask) / 2;
    return route.divide ? 1 / mid : mid;
  }

  #quote(symbol: string): QuotePoint {
    const q = this.#quotes.get(symbol);
    if (!q) throw new Error(`no quote for ${symbol} yet`);
    return q;
  }

  #route(currency: string): Route {
    let route = this.#routes.get(currency);
    if (route) return route;
    route = { kind: "none" };
    if (currency === this.#currency) route = { kind: "same" };
    else {
      for (const spec of this.#specs.values()) {
        const base = spec.baseCurrency ?? spec.symbol.slice(0, 3);
        if (base === this.#currency && spec.quoteCurrency === currency) route = { kind: "pair", symbol: spec.symbol, divide: true };
        else if (base === currency && spec.quoteCurrency === this.#currency) route = { kind: "pair", symbol: spec.symbol, divide: false };
        if (route.kind === "pair") break;
      }
    }
    this.#routes.set(currency, route);
    return route;
  }
}

/** Money rounded to cents (half to even); a zero is always +0, so no "-0" can differ across a JSON round trip. */
export function cents(amount: Decimal): Decimal {
  const rounded = amount.toDecimalPlaces(2);
  return rounded.isZero() ? dec(0) : rounded;
}

/** Mid of a quote as an exact decimal. */
export function midOf(q: QuotePoint): Decimal {
  return dec(q.bid).plus(q.ask).div(2);
}
