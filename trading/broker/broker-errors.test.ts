import { describe, expect, it } from "vitest";
import { RiskloopError, registeredErrorCodes } from "../../core/index.ts";
import { BrokerErrors, brokerError, brokerErrorKind, isBrokerError, rejection } from "./broker-errors.ts";

describe("broker error codes", () => {
  it("registers every TRD_ERR code with a kind that says what happens next and a description", () => {
    const codes = Object.keys(BrokerErrors);
    expect(codes.length).toBeGreaterThanOrEqual(20);
    for (const code of codes) {
      const spec = registeredErrorCodes().get(code);
      expect(code).toMatch(/^TRD_ERR_[A-Z0-9_]+$/);
      expect(["invalid", "not_found", "transient", "rate_limited", "fatal"]).toContain(spec?.kind);
      expect(spec!.description.length).toBeGreaterThan(20);
    }
  });

  it("classifies the codes callers branch on", () => {
    expect(brokerErrorKind("TRD_ERR_INVALID_VOLUME")).toBe("invalid");
    expect(brokerErrorKind("TRD_ERR_INVALID_STOPS")).toBe("invalid");
    expect(brokerErrorKind("TRD_ERR_NO_MONEY")).toBe("invalid");
    expect(brokerErrorKind("TRD_ERR_REQUOTE")).toBe("transient");
    expect(brokerErrorKind("TRD_ERR_MARKET_CLOSED")).toBe("transient");
    expect(brokerErrorKind("TRD_ERR_OUTCOME_UNKNOWN")).toBe("transient");
    expect(brokerErrorKind("TRD_ERR_NOT_CONNECTED")).toBe("transient");
    expect(brokerErrorKind("TRD_ERR_RATE_LIMITED")).toBe("rate_limited");
    expect(brokerErrorKind("TRD_ERR_AUTH")).toBe("fatal");
    expect(brokerErrorKind("TRD_ERR_POSITION_NOT_FOUND")).toBe("not_found");
  });

  it("keeps the venue's code in the details of a thrown error", () => {
    const err = brokerError("TRD_ERR_REQUOTE", "price moved", { venue: "metaapi", brokerCode: "TRADE_RETCODE_REQUOTE" });
    expect(err).toBeInstanceOf(RiskloopError);
    expect(err.kind).toBe("transient");
    expect(err.details?.brokerCode).toBe("TRADE_RETCODE_REQUOTE");
    expect(isBrokerError(err)).toBe(true);
    expect(isBrokerError(new RiskloopError("CORE_ERR_INVALID", "x"))).toBe(false);
  });

  it("builds rejection values with kind, venue code and timing", () => {
    const r = rejection("TRD_ERR_NO_MONEY", "not enough margin", { requestedAt: 10, respondedAt: 25 }, "TRADE_RETCODE_NO_MONEY");
    expect(r).toEqual({
      status: "rejected",
      errorCode: "TRD_ERR_NO_MONEY",
      errorKind: "invalid",
      message: "not enough margin",
      requestedAt: 10,
      respondedAt: 25,
      brokerCode: "TRADE_RETCODE_NO_MONEY",
    });
  });
});
