import { CoreErrors, Decimal, RiskloopError } from "../../core/index.ts";

/**
 * A number from the venue as an exact decimal. JSON numbers arrive as binary floats; rounding to 15
 * significant digits (the most a double round-trips) drops noise such as 1.0812300000000001 → 1.08123.
 */
export function wireDecimal(n: number): Decimal {
  return new Decimal(n).toSignificantDigits(15);
}

/**
 * A money amount the venue computed in floating point (profit, swap, commission): its accumulated error
 * (85.25999999999966) exceeds what 15 significant digits remove, so it is also cut to 8 decimals, finer
 * than any account currency (satoshis included).
 */
export function wireMoney(n: number): Decimal {
  return wireDecimal(n).toDecimalPlaces(8);
}

/** A price where MetaTrader writes 0 (or nothing) for "none", as SL/TP are. */
export function optionalPrice(n: number | undefined | null): Decimal | undefined {
  return n === undefined || n === null || n === 0 ? undefined : wireDecimal(n);
}

/** An SDK time (a Date after the SDK's conversion, an ISO string before it) in epoch ms. */
export function wireTime(t: Date | string | undefined | null): number | undefined {
  if (t === undefined || t === null) return undefined;
  const ms = t instanceof Date ? t.getTime() : Date.parse(t);
  return Number.isFinite(ms) ? ms : undefined;
}

/** A venue payload broke the documented contract (an enum value we do not know). */
export function unexpectedPayload(what: string, value: unknown): RiskloopError {
  return new RiskloopError(CoreErrors.CORE_ERR_INTERNAL, `MetaApi sent an unexpected ${what}: ${String(value)}`, { venue: "metaapi", what, value });
}
