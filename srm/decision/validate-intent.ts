import { invalid, type SymbolSpec, type TradeIntent } from "../../core/index.ts";

/**
 * Consistency checks on an intent before any decision: malformed intents are errors (a 400 at the API),
 * never decisions. Volume must be positive, prices positive, and SL/TP on the correct side of the price.
 */
export function validateIntent(intent: TradeIntent, spec: SymbolSpec, quote: { bid: number; ask: number } | null): void {
  if (intent.symbol.toUpperCase() !== spec.symbol.toUpperCase()) throw invalid("symbol", `does not match the specification for ${spec.symbol}`);
  if (!intent.volume.gt(0)) throw invalid("volume", "must be greater than zero");
  if (intent.volume.gt(spec.maxVolume.mul(1000))) throw invalid("volume", `is absurd for ${spec.symbol} (max ${spec.maxVolume.toString()} per order)`);
  for (const [field, v] of [
    ["price", intent.price],
    ["stopLoss", intent.stopLoss],
    ["takeProfit", intent.takeProfit],
  ] as const) {
    if (v !== undefined && !v.gt(0)) throw invalid(field, "must be a positive price");
  }
  for (const level of intent.removeLevels ?? []) {
    if (intent.kind !== "MODIFY") throw invalid("removeLevels", "only a modification removes levels");
    if (intent[level] !== undefined) throw invalid("removeLevels", `${level} cannot be both set and removed`);
  }
  if (intent.kind !== "OPEN") return;
  const ref = intent.price?.toNumber() ?? (quote ? (intent.side === "BUY" ? quote.ask : quote.bid) : undefined);
  if (ref === undefined) return;
  const below = `must be below the ${intent.side} price ${ref}`;
  const above = `must be above the ${intent.side} price ${ref}`;
  const sl = intent.stopLoss?.toNumber();
  const tp = intent.takeProfit?.toNumber();
  if (intent.side === "BUY") {
    if (sl !== undefined && sl >= ref) throw invalid("stopLoss", below);
    if (tp !== undefined && tp <= ref) throw invalid("takeProfit", above);
  } else {
    if (sl !== undefined && sl <= ref) throw invalid("stopLoss", above);
    if (tp !== undefined && tp >= ref) throw invalid("takeProfit", below);
  }
  if (sl !== undefined && Math.abs(ref - sl) / ref > 0.5) throw invalid("stopLoss", "is more than 50% away from the price");
}
