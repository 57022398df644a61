import { describe, expect, it } from "vitest";
import "../broker/index.ts";
import "./execution.errors.ts";
import { retryable } from "./execution-journal.ts";

describe("retryable", () => {
  it("lets a request be sent again only when a failure proved nothing executed", () => {
    for (const code of ["TRD_ERR_NOT_CONNECTED", "TRD_ERR_TIMEOUT", "TRD_ERR_REQUOTE", "TRD_ERR_MARKET_CLOSED", "TRD_ERR_RATE_LIMITED"]) expect(retryable(code), code).toBe(true);
    for (const code of ["TRD_ERR_OUTCOME_UNKNOWN", "TRD_ERR_INVALID_VOLUME", "TRD_ERR_NO_MONEY", "TRD_ERR_TRADE_DISABLED", "NOT_A_CODE"]) expect(retryable(code), code).toBe(false);
    expect(retryable(null)).toBe(false);
  });
});
