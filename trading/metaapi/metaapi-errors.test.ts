import { describe, expect, it } from "vitest";
import { registeredErrorCodes } from "../../core/index.ts";
import { brokerError } from "../broker/index.ts";
import { metaapiFixtures } from "./fixtures/metaapi-fixtures.ts";
import { METAAPI_ERROR_CLASSES, METAAPI_TRADE_CODES, mapMetaapiError, toBrokerError } from "./metaapi-errors.ts";

const tradeError = (numericCode: number, stringCode?: string) => Object.assign(new Error("trade failed"), { name: "TradeError", numericCode, stringCode });
const sdkError = (name: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(`${name} happened`), { name }, extra);

describe("MetaApi trade return codes", () => {
  it("map to registered broker codes, with distinct numbers", () => {
    const numbers = Object.values(METAAPI_TRADE_CODES).map((e) => e.numeric);
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const entry of Object.values(METAAPI_TRADE_CODES)) expect(registeredErrorCodes().has(entry.code)).toBe(true);
  });

  it.each([
    [10004, "TRADE_RETCODE_REQUOTE", "TRD_ERR_REQUOTE", "transient"],
    [10006, "TRADE_RETCODE_REJECT", "TRD_ERR_BROKER_REJECTED", "invalid"],
    [10013, "TRADE_RETCODE_INVALID", "TRD_ERR_INVALID_REQUEST", "invalid"],
    [10014, "TRADE_RETCODE_INVALID_VOLUME", "TRD_ERR_INVALID_VOLUME", "invalid"],
    [10016, "TRADE_RETCODE_INVALID_STOPS", "TRD_ERR_INVALID_STOPS", "invalid"],
    [10018, "TRADE_RETCODE_MARKET_CLOSED", "TRD_ERR_MARKET_CLOSED", "transient"],
    [10019, "TRADE_RETCODE_NO_MONEY", "TRD_ERR_NO_MONEY", "invalid"],
    [10021, "TRADE_RETCODE_PRICE_OFF", "TRD_ERR_NO_PRICES", "transient"],
    [10024, "TRADE_RETCODE_TOO_MANY_REQUESTS", "TRD_ERR_RATE_LIMITED", "rate_limited"],
    [10046, "TRADE_RETCODE_HEDGE_PROHIBITED", "TRD_ERR_UNSUPPORTED", "invalid"],
    [-8, "ERR_INVESTOR", "TRD_ERR_TRADE_DISABLED", "fatal"],
    [131, "ERR_INVALID_TRADE_VOLUME", "TRD_ERR_INVALID_VOLUME", "invalid"],
    [134, "ERR_NOT_ENOUGH_MONEY", "TRD_ERR_NO_MONEY", "invalid"],
    [138, "ERR_REQUOTE", "TRD_ERR_REQUOTE", "transient"],
  ])("%i %s → %s (%s), refused, venue code kept", (numeric, stringCode, code, kind) => {
    expect(mapMetaapiError(tradeError(numeric, stringCode))).toEqual({ code, kind, message: "trade failed", brokerCode: stringCode, ambiguous: false, refused: true });
  });

  it("marks codes after which the trade may have executed as ambiguous, not refused", () => {
    for (const [numeric, name] of [[-11, "TRADE_RETCODE_DISCONNECTED_DURING_TRADE"], [-7, "ERR_TRADE_TIMED_OUT"], [10012, "TRADE_RETCODE_TIMEOUT"], [128, "ERR_TRADE_TIMEOUT"], [-1, "TRADE_RETCODE_UNKNOWN"]] as const) {
      expect(mapMetaapiError(tradeError(numeric, name))).toMatchObject({ ambiguous: true, refused: false });
    }
  });

  it("falls back to the numeric code when the string code is missing, and to BROKER_REJECTED for unknown codes", () => {
    expect(mapMetaapiError(tradeError(10016))).toMatchObject({ code: "TRD_ERR_INVALID_STOPS", brokerCode: "TRADE_RETCODE_INVALID_STOPS" });
    expect(mapMetaapiError(tradeError(99999, "TRADE_RETCODE_SOMETHING_NEW"))).toMatchObject({ code: "TRD_ERR_BROKER_REJECTED", brokerCode: "TRADE_RETCODE_SOMETHING_NEW", refused: true });
  });

  it("maps every recorded trade error payload", () => {
    const codes = metaapiFixtures.tradeErrors().map((e) => mapMetaapiError(Object.assign(new Error(e.message), e)).code);
    expect(codes).toEqual(["TRD_ERR_INVALID_VOLUME", "TRD_ERR_INVALID_STOPS", "TRD_ERR_REQUOTE", "TRD_ERR_MARKET_CLOSED", "TRD_ERR_NO_MONEY", "TRD_ERR_TIMEOUT"]);
  });
});

describe("MetaApi SDK error classes", () => {
  it("map to registered codes", () => {
    for (const entry of Object.values(METAAPI_ERROR_CLASSES)) expect(registeredErrorCodes().has(entry.code)).toBe(true);
  });

  it.each([
    ["TimeoutError", "TRD_ERR_TIMEOUT", true],
    ["InternalError", "TRD_ERR_BROKER_BUSY", true],
    ["NotConnectedError", "TRD_ERR_NOT_CONNECTED", false],
    ["NotSynchronizedError", "TRD_ERR_NOT_SYNCHRONIZED", false],
    ["UnauthorizedError", "TRD_ERR_AUTH", false],
    ["ForbiddenError", "TRD_ERR_AUTH", false],
    ["NotFoundError", "TRD_ERR_ACCOUNT_CONFIG", false],
  ])("%s → %s (ambiguous: %s)", (name, code, ambiguous) => {
    expect(mapMetaapiError(sdkError(name))).toMatchObject({ code, ambiguous, refused: false, brokerCode: name });
  });

  it("names what was not found from the call's context", () => {
    expect(mapMetaapiError(sdkError("NotFoundError"), { notFound: "TRD_ERR_UNKNOWN_SYMBOL" }).code).toBe("TRD_ERR_UNKNOWN_SYMBOL");
  });

  it("treats a ValidationError as the venue refusing the request", () => {
    expect(mapMetaapiError(sdkError("ValidationError"))).toMatchObject({ code: "TRD_ERR_INVALID_REQUEST", kind: "invalid", refused: true });
  });

  it("carries the recommended retry delay of a TooManyRequestsError", () => {
    const now = Date.parse("2024-05-14T12:00:00Z");
    const err = sdkError("TooManyRequestsError", { metadata: { recommendedRetryTime: "2024-05-14T12:00:30Z" } });
    expect(mapMetaapiError(err, { now })).toMatchObject({ code: "TRD_ERR_RATE_LIMITED", kind: "rate_limited", retryAfterMs: 30_000 });
  });

  it("treats an unknown failure as ambiguous and transient, and an unreachable venue as not connected", () => {
    expect(mapMetaapiError(new Error("socket hang up"))).toMatchObject({ code: "TRD_ERR_BROKER_BUSY", kind: "transient", ambiguous: true });
    expect(mapMetaapiError("boom")).toMatchObject({ message: "boom", ambiguous: true });
    const offline = sdkError("ApiError", { message: "ENOTFOUND. Request URL: https://mt-provisioning-api-v1.agiliumtrade.agiliumtrade.ai/users/current/accounts/x" });
    expect(mapMetaapiError(offline)).toMatchObject({ code: "TRD_ERR_NOT_CONNECTED", kind: "transient", ambiguous: true });
  });

  it("passes our own timeout through as ambiguous and builds thrown errors with the venue's code", () => {
    const mine = mapMetaapiError(brokerError("TRD_ERR_TIMEOUT", "no answer"));
    expect(mine).toMatchObject({ code: "TRD_ERR_TIMEOUT", ambiguous: true });
    const thrown = toBrokerError(mapMetaapiError(tradeError(10018, "TRADE_RETCODE_MARKET_CLOSED")), null, { accountId: "a1" });
    expect(thrown).toMatchObject({ code: "TRD_ERR_MARKET_CLOSED", kind: "transient" });
    expect(thrown.details).toMatchObject({ venue: "metaapi", brokerCode: "TRADE_RETCODE_MARKET_CLOSED", accountId: "a1" });
  });
});
