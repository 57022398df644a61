import { Decimal as DecimalJs } from "decimal.js";

/**
 * Exact decimal for money, prices and volumes at boundaries (API, database, broker). Hot numeric paths may
 * convert to numbers internally, but every value that is stored or sent goes through this type.
 */
export const Decimal = DecimalJs.clone({ precision: 34, rounding: DecimalJs.ROUND_HALF_EVEN });
export type Decimal = InstanceType<typeof Decimal>;
export type DecimalInput = Decimal | string | number;

export function dec(value: DecimalInput): Decimal {
  return value instanceof Decimal ? value : new Decimal(value);
}

/** Rounds a volume down to a multiple of `step` (brokers reject volumes off the step). */
export function floorToStep(value: DecimalInput, step: DecimalInput): Decimal {
  const s = dec(step);
  return dec(value).div(s).floor().mul(s);
}

/** Rounds a price to the symbol's number of digits. */
export function roundToDigits(value: DecimalInput, digits: number): Decimal {
  return dec(value).toDecimalPlaces(digits, Decimal.ROUND_HALF_EVEN);
}
