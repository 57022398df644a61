import { dec } from "../../core/index.ts";

const CURRENCIES = new Set([
  "USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK", "PLN", "HUF", "CZK", "TRY", "ZAR",
  "MXN", "SGD", "HKD", "CNH", "RUB", "ILS", "THB", "INR", "KRW", "BRL", "CLP", "RON",
]);
const METALS = new Set(["XAU", "XAG", "XPT", "XPD"]);
const METAL_NAMES = ["GOLD", "SILVER"];

/** Letters of a broker symbol without prefixes/suffixes such as `#`, `.m`, `-pro`, upper-cased. */
function letters(symbol: string): string {
  return symbol.toUpperCase().replace(/[^A-Z]/g, "");
}

/** True for a currency pair (`EURUSD`, `USDJPY.m`) or a metal quoted in a currency (`XAUUSD`, `GOLD`). */
export function isFxOrMetal(symbol: string): boolean {
  const l = letters(symbol);
  if (METAL_NAMES.some((m) => l.startsWith(m))) return true;
  const base = l.slice(0, 3);
  const quote = l.slice(3, 6);
  return CURRENCIES.has(quote) && (CURRENCIES.has(base) || METALS.has(base));
}

/**
 * Pip size in price units, by one convention for every venue so SRM's pip distances mean the same thing:
 * - currency pairs and metals: 10 points when the symbol has an odd number of digits (fractional pricing:
 *   EURUSD 5 → 0.0001, USDJPY 3 → 0.01, XAUUSD 3 → 0.01), else 1 point (EURUSD 4 → 0.0001, XAUUSD 2 → 0.01).
 *   Gold's pip is therefore 0.01 at both 2 and 3 digits, as in core's SymbolSpec; some brokers call 0.1 a
 *   gold pip, and the venue's own figure is ignored here on purpose so accounts at different brokers agree.
 * - everything else (indices, CFDs, crypto): the venue's stated pip size, else 1 point.
 */
export function pipSizeFor(symbol: string, digits: number, point?: number, venuePipSize?: number): number {
  const p = dec(point ?? dec(10).pow(-digits));
  if (isFxOrMetal(symbol)) return (digits % 2 === 1 ? p.mul(10) : p).toNumber();
  return venuePipSize !== undefined && venuePipSize > 0 ? venuePipSize : p.toNumber();
}
