import { field, type SectionValue } from "../../core/index.ts";

/** MetaApi (MT4/MT5) adapter settings. */
export const metaapiConfig = {
  token: field.optionalString("METAAPI_TOKEN", "MetaApi API token used when an account has no token of its own.", { secret: true }),
  region: field.optionalString("METAAPI_REGION", "MetaApi region to connect to (e.g. new-york, london); unset uses the account's region."),
  requestTimeoutMs: field.int("METAAPI_REQUEST_TIMEOUT_MS", "Timeout for one RPC or trade request before it counts as failed (a timed-out trade is looked up before any retry).", {
    default: 30_000,
    min: 1_000,
  }),
  connectTimeoutMs: field.int("METAAPI_CONNECT_TIMEOUT_MS", "Timeout for opening the streaming connection.", { default: 60_000, min: 1_000 }),
  syncTimeoutMs: field.int("METAAPI_SYNC_TIMEOUT_MS", "Timeout for the terminal state to synchronise after connecting.", { default: 120_000, min: 1_000 }),
  restRetries: field.int("METAAPI_REST_RETRIES", "Retries of MetaApi REST calls inside the SDK (0 fails fast without network).", { default: 2, min: 0, max: 10 }),
  reconnectBaseMs: field.int("METAAPI_RECONNECT_BASE_MS", "First reconnect delay; doubles per failed attempt.", { default: 1_000, min: 10 }),
  reconnectMaxMs: field.int("METAAPI_RECONNECT_MAX_MS", "Longest reconnect delay.", { default: 60_000, min: 10 }),
  reconnectJitter: field.number("METAAPI_RECONNECT_JITTER", "Fraction (0–1) of each reconnect delay removed at random.", { default: 0.2, min: 0, max: 1 }),
  reconnectMaxAttempts: field.int("METAAPI_RECONNECT_MAX_ATTEMPTS", "Consecutive failed reconnects before the account is marked failed; 0 retries forever.", {
    default: 0,
    min: 0,
  }),
  reconnectGraceMs: field.int("METAAPI_RECONNECT_GRACE_MS", "How long the SDK may take to restore a dropped link itself before the adapter rebuilds it.", {
    default: 30_000,
    min: 0,
  }),
  lookupDelayMs: field.int("METAAPI_LOOKUP_DELAY_MS", "Wait after an ambiguous trade failure before looking the order up by client id.", {
    default: 2_000,
    min: 0,
  }),
  submitMaxAttempts: field.int("METAAPI_SUBMIT_MAX_ATTEMPTS", "Sends of one order, counting resubmissions after a lookup proved the previous send absent.", {
    default: 2,
    min: 1,
    max: 5,
  }),
  fillWaitMs: field.int("METAAPI_FILL_WAIT_MS", "How long to wait for the fill's deal event before reading deal history for the fill price.", {
    default: 3_000,
    min: 0,
  }),
  historyLookbackMs: field.int("METAAPI_HISTORY_LOOKBACK_MS", "How far back deal and order history is replayed on connect and searched by client id.", {
    default: 7 * 86_400_000,
    min: 60_000,
  }),
  liveAccountId: field.optionalString("METAAPI_ACCOUNT_ID", "Tests: MetaApi account id (a demo account) the opt-in live suite trades on with METAAPI_TOKEN."),
  liveSymbol: field.string("METAAPI_LIVE_SYMBOL", "Tests: symbol the opt-in live suite trades (with the broker's suffix, e.g. EURUSD.m).", { default: "EURUSD" }),
};

/** The loaded values of `metaapiConfig`. */
export type MetaapiSettings = SectionValue<typeof metaapiConfig>;
