import { RiskloopError, type ErrorKind } from "../../core/index.ts";
import { brokerError, brokerErrorKind, isBrokerError, type BrokerErrorCode } from "../broker/index.ts";

/** One venue code: its number, our code, and whether the trade may have executed anyway. */
export interface TradeCodeEntry {
  numeric: number;
  code: BrokerErrorCode;
  /** The outcome is unknown: look the order up by client id before any retry. */
  ambiguous?: true;
}

/**
 * MetaApi trade return codes (`TradeError.stringCode`/`numericCode`): MetaApi's own negative codes, MT5
 * `TRADE_RETCODE_*` (https://www.mql5.com/en/docs/constants/errorswarnings/enum_trade_return_codes) and MT4
 * `ERR_*` (https://docs.mql4.com/constants/errors); see https://metaapi.cloud/docs/client/models/metatraderTradeResponse/.
 * Success codes (ERR_NO_ERROR, TRADE_RETCODE_PLACED/DONE/DONE_PARTIAL/NO_CHANGES) never arrive as errors.
 */
export const METAAPI_TRADE_CODES: Readonly<Record<string, TradeCodeEntry>> = {
  TRADE_RETCODE_DISCONNECTED_DURING_TRADE: { numeric: -11, code: "TRD_ERR_OUTCOME_UNKNOWN", ambiguous: true },
  TRADE_RETCODE_DISCONNECTED_BEFORE_TRADE: { numeric: -10, code: "TRD_ERR_NOT_CONNECTED" },
  ERR_PIP_SIZE_NOT_DEFINED: { numeric: -9, code: "TRD_ERR_INVALID_REQUEST" },
  ERR_INVESTOR: { numeric: -8, code: "TRD_ERR_TRADE_DISABLED" },
  ERR_TRADE_TIMED_OUT: { numeric: -7, code: "TRD_ERR_TIMEOUT", ambiguous: true },
  ERR_NO_QUOTES: { numeric: -6, code: "TRD_ERR_NO_PRICES" },
  ERR_NOT_SYNCHRONIZED: { numeric: -5, code: "TRD_ERR_NOT_SYNCHRONIZED" },
  TRADE_RETCODE_ORDER_TYPE_NOT_SUPPORTED: { numeric: -4, code: "TRD_ERR_UNSUPPORTED" },
  TRADE_RETCODE_UNKNOWN: { numeric: -1, code: "TRD_ERR_OUTCOME_UNKNOWN", ambiguous: true },
  ERR_MARKET_UNKNOWN_SYMBOL: { numeric: 4301, code: "TRD_ERR_UNKNOWN_SYMBOL" },
  ERR_TRADE_POSITION_NOT_FOUND: { numeric: 4753, code: "TRD_ERR_POSITION_NOT_FOUND" },
  ERR_TRADE_ORDER_NOT_FOUND: { numeric: 4754, code: "TRD_ERR_ORDER_NOT_FOUND" },
  TRADE_RETCODE_REQUOTE: { numeric: 10004, code: "TRD_ERR_REQUOTE" },
  TRADE_RETCODE_REJECT: { numeric: 10006, code: "TRD_ERR_BROKER_REJECTED" },
  TRADE_RETCODE_CANCEL: { numeric: 10007, code: "TRD_ERR_BROKER_REJECTED" },
  TRADE_RETCODE_ERROR: { numeric: 10011, code: "TRD_ERR_BROKER_BUSY" },
  TRADE_RETCODE_TIMEOUT: { numeric: 10012, code: "TRD_ERR_TIMEOUT", ambiguous: true },
  TRADE_RETCODE_INVALID: { numeric: 10013, code: "TRD_ERR_INVALID_REQUEST" },
  TRADE_RETCODE_INVALID_VOLUME: { numeric: 10014, code: "TRD_ERR_INVALID_VOLUME" },
  TRADE_RETCODE_INVALID_PRICE: { numeric: 10015, code: "TRD_ERR_INVALID_PRICE" },
  TRADE_RETCODE_INVALID_STOPS: { numeric: 10016, code: "TRD_ERR_INVALID_STOPS" },
  TRADE_RETCODE_TRADE_DISABLED: { numeric: 10017, code: "TRD_ERR_TRADE_DISABLED" },
  TRADE_RETCODE_MARKET_CLOSED: { numeric: 10018, code: "TRD_ERR_MARKET_CLOSED" },
  TRADE_RETCODE_NO_MONEY: { numeric: 10019, code: "TRD_ERR_NO_MONEY" },
  TRADE_RETCODE_PRICE_CHANGED: { numeric: 10020, code: "TRD_ERR_REQUOTE" },
  TRADE_RETCODE_PRICE_OFF: { numeric: 10021, code: "TRD_ERR_NO_PRICES" },
  TRADE_RETCODE_INVALID_EXPIRATION: { numeric: 10022, code: "TRD_ERR_INVALID_REQUEST" },
  TRADE_RETCODE_ORDER_CHANGED: { numeric: 10023, code: "TRD_ERR_BROKER_BUSY" },
  TRADE_RETCODE_TOO_MANY_REQUESTS: { numeric: 10024, code: "TRD_ERR_RATE_LIMITED" },
  TRADE_RETCODE_SERVER_DISABLES_AT: { numeric: 10026, code: "TRD_ERR_TRADE_DISABLED" },
  TRADE_RETCODE_CLIENT_DISABLES_AT: { numeric: 10027, code: "TRD_ERR_TRADE_DISABLED" },
  TRADE_RETCODE_LOCKED: { numeric: 10028, code: "TRD_ERR_BROKER_BUSY" },
  TRADE_RETCODE_FROZEN: { numeric: 10029, code: "TRD_ERR_FROZEN" },
  TRADE_RETCODE_INVALID_FILL: { numeric: 10030, code: "TRD_ERR_UNSUPPORTED" },
  TRADE_RETCODE_CONNECTION: { numeric: 10031, code: "TRD_ERR_NOT_CONNECTED" },
  TRADE_RETCODE_ONLY_REAL: { numeric: 10032, code: "TRD_ERR_UNSUPPORTED" },
  TRADE_RETCODE_LIMIT_ORDERS: { numeric: 10033, code: "TRD_ERR_LIMIT_REACHED" },
  TRADE_RETCODE_LIMIT_VOLUME: { numeric: 10034, code: "TRD_ERR_LIMIT_REACHED" },
  TRADE_RETCODE_INVALID_ORDER: { numeric: 10035, code: "TRD_ERR_INVALID_REQUEST" },
  TRADE_RETCODE_POSITION_CLOSED: { numeric: 10036, code: "TRD_ERR_POSITION_NOT_FOUND" },
  TRADE_RETCODE_INVALID_CLOSE_VOLUME: { numeric: 10038, code: "TRD_ERR_INVALID_VOLUME" },
  TRADE_RETCODE_CLOSE_ORDER_EXIST: { numeric: 10039, code: "TRD_ERR_BROKER_REJECTED" },
  TRADE_RETCODE_LIMIT_POSITIONS: { numeric: 10040, code: "TRD_ERR_LIMIT_REACHED" },
  TRADE_RETCODE_REJECT_CANCEL: { numeric: 10041, code: "TRD_ERR_BROKER_REJECTED" },
  TRADE_RETCODE_LONG_ONLY: { numeric: 10042, code: "TRD_ERR_UNSUPPORTED" },
  TRADE_RETCODE_SHORT_ONLY: { numeric: 10043, code: "TRD_ERR_UNSUPPORTED" },
  TRADE_RETCODE_CLOSE_ONLY: { numeric: 10044, code: "TRD_ERR_UNSUPPORTED" },
  TRADE_RETCODE_FIFO_CLOSE: { numeric: 10045, code: "TRD_ERR_UNSUPPORTED" },
  TRADE_RETCODE_HEDGE_PROHIBITED: { numeric: 10046, code: "TRD_ERR_UNSUPPORTED" },
  ERR_NO_RESULT: { numeric: 1, code: "TRD_ERR_OUTCOME_UNKNOWN", ambiguous: true },
  ERR_COMMON_ERROR: { numeric: 2, code: "TRD_ERR_BROKER_REJECTED" },
  ERR_INVALID_TRADE_PARAMETERS: { numeric: 3, code: "TRD_ERR_INVALID_REQUEST" },
  ERR_SERVER_BUSY: { numeric: 4, code: "TRD_ERR_BROKER_BUSY" },
  ERR_OLD_VERSION: { numeric: 5, code: "TRD_ERR_TRADE_DISABLED" },
  ERR_NO_CONNECTION: { numeric: 6, code: "TRD_ERR_NOT_CONNECTED" },
  ERR_NOT_ENOUGH_RIGHTS: { numeric: 7, code: "TRD_ERR_TRADE_DISABLED" },
  ERR_TOO_FREQUENT_REQUESTS: { numeric: 8, code: "TRD_ERR_RATE_LIMITED" },
  ERR_MALFUNCTIONAL_TRADE: { numeric: 9, code: "TRD_ERR_BROKER_REJECTED" },
  ERR_ACCOUNT_DISABLED: { numeric: 64, code: "TRD_ERR_TRADE_DISABLED" },
  ERR_INVALID_ACCOUNT: { numeric: 65, code: "TRD_ERR_TRADE_DISABLED" },
  ERR_TRADE_TIMEOUT: { numeric: 128, code: "TRD_ERR_TIMEOUT", ambiguous: true },
  ERR_INVALID_PRICE: { numeric: 129, code: "TRD_ERR_INVALID_PRICE" },
  ERR_INVALID_STOPS: { numeric: 130, code: "TRD_ERR_INVALID_STOPS" },
  ERR_INVALID_TRADE_VOLUME: { numeric: 131, code: "TRD_ERR_INVALID_VOLUME" },
  ERR_MARKET_CLOSED: { numeric: 132, code: "TRD_ERR_MARKET_CLOSED" },
  ERR_TRADE_DISABLED: { numeric: 133, code: "TRD_ERR_TRADE_DISABLED" },
  ERR_NOT_ENOUGH_MONEY: { numeric: 134, code: "TRD_ERR_NO_MONEY" },
  ERR_PRICE_CHANGED: { numeric: 135, code: "TRD_ERR_REQUOTE" },
  ERR_OFF_QUOTES: { numeric: 136, code: "TRD_ERR_NO_PRICES" },
  ERR_BROKER_BUSY: { numeric: 137, code: "TRD_ERR_BROKER_BUSY" },
  ERR_REQUOTE: { numeric: 138, code: "TRD_ERR_REQUOTE" },
  ERR_ORDER_LOCKED: { numeric: 139, code: "TRD_ERR_BROKER_BUSY" },
  ERR_LONG_POSITIONS_ONLY_ALLOWED: { numeric: 140, code: "TRD_ERR_UNSUPPORTED" },
  ERR_TOO_MANY_REQUESTS: { numeric: 141, code: "TRD_ERR_RATE_LIMITED" },
  ERR_TRADE_MODIFY_DENIED: { numeric: 145, code: "TRD_ERR_FROZEN" },
  ERR_TRADE_CONTEXT_BUSY: { numeric: 146, code: "TRD_ERR_BROKER_BUSY" },
  ERR_TRADE_EXPIRATION_DENIED: { numeric: 147, code: "TRD_ERR_INVALID_REQUEST" },
  ERR_TRADE_TOO_MANY_ORDERS: { numeric: 148, code: "TRD_ERR_LIMIT_REACHED" },
  ERR_TRADE_HEDGE_PROHIBITED: { numeric: 149, code: "TRD_ERR_UNSUPPORTED" },
  ERR_TRADE_PROHIBITED_BY_FIFO: { numeric: 150, code: "TRD_ERR_UNSUPPORTED" },
};

const BY_NUMERIC = new Map(Object.entries(METAAPI_TRADE_CODES).map(([name, e]) => [e.numeric, { name, ...e }]));

/**
 * SDK error classes (matched by `name`: the esm-node build does not export the classes). `ambiguous` marks
 * failures after which a trade may still have executed; NotFoundError's code depends on what was asked.
 */
export const METAAPI_ERROR_CLASSES: Readonly<Record<string, { code: BrokerErrorCode; ambiguous: boolean }>> = {
  TimeoutError: { code: "TRD_ERR_TIMEOUT", ambiguous: true },
  InternalError: { code: "TRD_ERR_BROKER_BUSY", ambiguous: true },
  ApiError: { code: "TRD_ERR_BROKER_BUSY", ambiguous: true },
  NotConnectedError: { code: "TRD_ERR_NOT_CONNECTED", ambiguous: false },
  NotSynchronizedError: { code: "TRD_ERR_NOT_SYNCHRONIZED", ambiguous: false },
  TooManyRequestsError: { code: "TRD_ERR_RATE_LIMITED", ambiguous: false },
  ValidationError: { code: "TRD_ERR_INVALID_REQUEST", ambiguous: false },
  NotFoundError: { code: "TRD_ERR_ACCOUNT_CONFIG", ambiguous: false },
  ConflictError: { code: "TRD_ERR_INVALID_REQUEST", ambiguous: false },
  UnauthorizedError: { code: "TRD_ERR_AUTH", ambiguous: false },
  ForbiddenError: { code: "TRD_ERR_AUTH", ambiguous: false },
};

/** Socket-level failures (no route, DNS, reset): the venue was not reachable, though a trade in flight may still have arrived. */
const NETWORK = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)\b/;

/** A MetaApi failure in our terms. */
export interface MappedMetaapiError {
  code: BrokerErrorCode;
  kind: ErrorKind;
  message: string;
  brokerCode?: string;
  /** The request may have executed: look it up by client id before any retry. */
  ambiguous: boolean;
  /** The venue answered and refused: the caller gets a rejection value rather than an exception. */
  refused: boolean;
  retryAfterMs?: number;
}

/** What the call was about, where that changes the mapping. */
export interface MapContext {
  /** Our code for NotFoundError in this call (unknown symbol, position or order); default: account not found. */
  notFound?: BrokerErrorCode;
  now?: number;
}

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  numericCode?: unknown;
  stringCode?: unknown;
  metadata?: { recommendedRetryTime?: unknown };
}

/** Maps any error thrown by the SDK (or by our own timeouts) to a broker code, kind and retry guidance. */
export function mapMetaapiError(err: unknown, context: MapContext = {}): MappedMetaapiError {
  const e = (typeof err === "object" && err !== null ? err : { message: String(err) }) as ErrorLike;
  const message = typeof e.message === "string" && e.message ? e.message : "MetaApi request failed";
  if (isBrokerError(err)) {
    const ambiguous = err.code === "TRD_ERR_TIMEOUT" || err.code === "TRD_ERR_OUTCOME_UNKNOWN";
    return { code: err.code, kind: err.kind, message, ambiguous, refused: false };
  }
  if (err instanceof RiskloopError) return { code: "TRD_ERR_BROKER_BUSY", kind: "transient", message, ambiguous: true, refused: false };
  if (e.name === "TradeError") {
    const byName = typeof e.stringCode === "string" ? METAAPI_TRADE_CODES[e.stringCode] : undefined;
    const byNumber = typeof e.numericCode === "number" ? BY_NUMERIC.get(e.numericCode) : undefined;
    const entry = byName ?? byNumber;
    const brokerCode = typeof e.stringCode === "string" ? e.stringCode : byNumber?.name ?? String(e.numericCode);
    const code = entry?.code ?? "TRD_ERR_BROKER_REJECTED";
    const ambiguous = entry?.ambiguous === true;
    return { code, kind: brokerErrorKind(code), message, brokerCode, ambiguous, refused: !ambiguous };
  }
  const name = typeof e.name === "string" ? e.name : "";
  if (NETWORK.test(message) && (name === "ApiError" || !METAAPI_ERROR_CLASSES[name])) {
    return { code: "TRD_ERR_NOT_CONNECTED", kind: "transient", message, brokerCode: name || undefined, ambiguous: true, refused: false };
  }
  const cls = METAAPI_ERROR_CLASSES[name];
  if (!cls) return { code: "TRD_ERR_BROKER_BUSY", kind: "transient", message, brokerCode: name || undefined, ambiguous: true, refused: false };
  const code = name === "NotFoundError" && context.notFound ? context.notFound : cls.code;
  const mapped: MappedMetaapiError = { code, kind: brokerErrorKind(code), message, brokerCode: name, ambiguous: cls.ambiguous, refused: name === "ValidationError" };
  const retryAt = e.metadata?.recommendedRetryTime;
  if (name === "TooManyRequestsError" && retryAt !== undefined) {
    const at = new Date(retryAt as string | Date).getTime();
    if (Number.isFinite(at)) mapped.retryAfterMs = Math.max(0, at - (context.now ?? Date.now()));
  }
  return mapped;
}

/** The RiskloopError to throw for a mapped failure, keeping the venue's code in details. */
export function toBrokerError(mapped: MappedMetaapiError, cause: unknown, details: Record<string, unknown> = {}): RiskloopError {
  return brokerError(
    mapped.code,
    mapped.message,
    {
      venue: "metaapi",
      ...(mapped.brokerCode ? { brokerCode: mapped.brokerCode } : {}),
      brokerMessage: mapped.message,
      ...(mapped.retryAfterMs !== undefined ? { retryAfterMs: mapped.retryAfterMs } : {}),
      ...details,
    },
    cause,
  );
}
