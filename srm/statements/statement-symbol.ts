const CURRENCIES = new Set(
  "USD EUR GBP JPY CHF CAD AUD NZD SEK NOK DKK SGD HKD ZAR MXN TRY PLN HUF CZK CNH RUB ILS THB XAU XAG XPT XPD".split(" "),
);

const isPair = (s: string): boolean => s.length === 6 && CURRENCIES.has(s.slice(0, 3)) && CURRENCIES.has(s.slice(3));

/**
 * The symbol without a broker's decorations, upper case: `eurusd-2` → EURUSD, `xauusd@` → XAUUSD,
 * `eurgbpi` → EURGBP, `nq100_m` → NQ100. Fills and trades from different brokers then share one vocabulary
 * (the slippage model's symbol one-hot) and match stored market data.
 */
export function canonicalSymbol(raw: string): string {
  let s = raw.trim().toUpperCase().replace(/[@#!+]+$/, "");
  s = s.replace(/[-_.][A-Z0-9]{1,4}$/, "") || s;
  const pair = /^([A-Z]{6})[A-Z]{1,2}$/.exec(s);
  return pair && isPair(pair[1]!) ? pair[1]! : s;
}
