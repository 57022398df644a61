import type { BrokerErrorCode } from "../index.ts";

/** Venue code → our code; `ambiguous` when the order may have executed despite the error. */
export const TEMPLATE_ERROR_CODES: Readonly<Record<string, { code: BrokerErrorCode; ambiguous?: true }>> = {
  INVALID_VOLUME: { code: "TRD_ERR_INVALID_VOLUME" },
  INVALID_STOPS: { code: "TRD_ERR_INVALID_STOPS" },
  MARKET_CLOSED: { code: "TRD_ERR_MARKET_CLOSED" },
  NOT_ENOUGH_MONEY: { code: "TRD_ERR_NO_MONEY" },
  REQUOTE: { code: "TRD_ERR_REQUOTE" },
  TIMEOUT: { code: "TRD_ERR_TIMEOUT", ambiguous: true },
};
