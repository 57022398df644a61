/**
 * Pip size by symbol-name convention, for data that arrives without a symbol specification (account
 * statements, fill files): JPY-quoted pairs and gold 0.01, silver 0.001, other currency pairs 0.0001,
 * anything else (indices, CFDs) 1 point. Live trading uses the broker's own specification instead.
 */
export function conventionalPipSize(symbol: string): number {
  const s = symbol.toUpperCase().replace(/[^A-Z]/g, "");
  if (s.startsWith("XAU") || s.startsWith("GOLD")) return 0.01;
  if (s.startsWith("XAG") || s.startsWith("SILVER")) return 0.001;
  if (/^[A-Z]{6}/.test(s) && s.slice(3, 6) === "JPY") return 0.01;
  if (/^(EUR|GBP|AUD|NZD|USD|CAD|CHF|JPY|SEK|NOK|DKK|SGD|HKD|ZAR|MXN|TRY|PLN|CNH)[A-Z]{3}/.test(s)) return 0.0001;
  return 1;
}
