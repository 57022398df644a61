import { RiskloopError, defineErrorCodes, registeredErrorCodes, type ErrorKind } from "../../core/index.ts";
import type { Rejection } from "./broker-types.ts";

/**
 * Broker error codes, shared by every venue. Kinds say what happens next: `invalid` — do not retry the same
 * request; `transient` — retry later (with the same client order id); `rate_limited` — retry after the delay in
 * details; `fatal` — stop trading on the account and alert. The venue's own code is kept in `details.brokerCode`.
 */
export const BrokerErrors = defineErrorCodes({
  TRD_ERR_INVALID_REQUEST: { kind: "invalid", description: "The venue refused the request as malformed (bad parameters, expiration or order)." },
  TRD_ERR_INVALID_VOLUME: { kind: "invalid", description: "The volume is outside the symbol's min/max or off its volume step." },
  TRD_ERR_INVALID_PRICE: { kind: "invalid", description: "The order price is invalid for the order type or too far from the market." },
  TRD_ERR_INVALID_STOPS: { kind: "invalid", description: "Stop loss or take profit is on the wrong side of the price or inside the stops level." },
  TRD_ERR_UNKNOWN_SYMBOL: { kind: "invalid", description: "The venue does not know the symbol (check broker suffixes such as EURUSD.m)." },
  TRD_ERR_UNSUPPORTED: { kind: "invalid", description: "The venue or account does not allow this operation (order type, hedging, FIFO, long/short/close only)." },
  TRD_ERR_NO_MONEY: { kind: "invalid", description: "Not enough free margin for the order; reduce the volume." },
  TRD_ERR_LIMIT_REACHED: { kind: "invalid", description: "The account's limit on orders, positions or volume is reached." },
  TRD_ERR_BROKER_REJECTED: { kind: "invalid", description: "The venue rejected the request without a more specific reason." },
  TRD_ERR_POSITION_NOT_FOUND: { kind: "not_found", description: "The position does not exist or is already closed." },
  TRD_ERR_ORDER_NOT_FOUND: { kind: "not_found", description: "The pending order does not exist or is no longer working." },
  TRD_ERR_MARKET_CLOSED: { kind: "transient", description: "The market for the symbol is closed; retry when the session opens." },
  TRD_ERR_REQUOTE: { kind: "transient", description: "The price moved (requote or price changed); retry at the new price." },
  TRD_ERR_NO_PRICES: { kind: "transient", description: "The venue has no quotes to execute against right now." },
  TRD_ERR_FROZEN: { kind: "transient", description: "The order or position is too close to the market to change (freeze level)." },
  TRD_ERR_BROKER_BUSY: { kind: "transient", description: "The venue could not process the request now (busy, locked or internal error)." },
  TRD_ERR_TIMEOUT: {
    kind: "transient",
    description: "The venue did not answer in time; for orders a lookup by client order id proved nothing executed, so retry with the same id.",
  },
  TRD_ERR_OUTCOME_UNKNOWN: {
    kind: "transient",
    description: "The request may or may not have executed and no lookup could tell; retry only with the same client order id.",
  },
  TRD_ERR_NOT_CONNECTED: { kind: "transient", description: "The adapter is not connected to the venue (or the terminal to the broker); nothing was sent." },
  TRD_ERR_NOT_SYNCHRONIZED: { kind: "transient", description: "The venue connection is still synchronising account state; nothing was sent." },
  TRD_ERR_RATE_LIMITED: { kind: "rate_limited", description: "The venue throttled us; retry after details.retryAfterMs." },
  TRD_ERR_TRADE_DISABLED: { kind: "fatal", description: "Trading is disabled for the account or symbol (investor password, autotrading off, account disabled)." },
  TRD_ERR_AUTH: { kind: "fatal", description: "The venue refused our credentials or token." },
  TRD_ERR_ACCOUNT_CONFIG: { kind: "fatal", description: "The broker account is misconfigured (missing venue account id or token, or unknown at the venue)." },
  TRD_ERR_UNSUPPORTED_PLATFORM: { kind: "fatal", description: "No broker adapter is registered for the account's platform." },
});

/** One of the broker error codes above. */
export type BrokerErrorCode = keyof typeof BrokerErrors;

/** Details every broker error carries, so the execution log can keep the venue's own words. */
export interface BrokerErrorDetails {
  venue?: string;
  brokerCode?: string;
  brokerMessage?: string;
  [key: string]: unknown;
}

/** Builds the service error for a broker failure. */
export function brokerError(code: BrokerErrorCode, message: string, details?: BrokerErrorDetails, cause?: unknown): RiskloopError {
  return new RiskloopError(code, message, details, cause === undefined ? undefined : { cause });
}

/** The kind registered for a broker code. */
export function brokerErrorKind(code: BrokerErrorCode): ErrorKind {
  return registeredErrorCodes().get(code)!.kind;
}

/** True for a RiskloopError carrying one of the broker codes. */
export function isBrokerError(err: unknown): err is RiskloopError & { code: BrokerErrorCode } {
  return err instanceof RiskloopError && Object.hasOwn(BrokerErrors, err.code);
}

/** A rejection value (the expected outcome of a refused request), built from a broker code. */
export function rejection(
  code: BrokerErrorCode,
  message: string,
  timing: { requestedAt: number; respondedAt: number },
  brokerCode?: string,
): Rejection {
  return { status: "rejected", errorCode: code, errorKind: brokerErrorKind(code), message, ...timing, ...(brokerCode ? { brokerCode } : {}) };
}
