import { describe, expect, it } from "vitest";
import { CoreErrors, defineErrorCodes, RiskloopError, type ErrorKind } from "../../core/index.ts";
import { actionFor, decideFailure, describeError, KIND_ACTION, MAX_RETRY_DELAY_MS, retryDelayMs } from "./error-policy.ts";

const TestErrors = defineErrorCodes({
  JOBSTEST_ERR_INTERNAL: { kind: "internal", description: "Test: unexpected failure." },
  JOBSTEST_ERR_UNAUTH: { kind: "unauthenticated", description: "Test: expired credentials." },
  JOBSTEST_ERR_FATAL: { kind: "fatal", description: "Test: broken deployment." },
});

const byKind: Record<ErrorKind, RiskloopError> = {
  transient: new RiskloopError(CoreErrors.CORE_ERR_UNAVAILABLE, "db down"),
  rate_limited: new RiskloopError(CoreErrors.CORE_ERR_RATE_LIMITED, "slow down"),
  internal: new RiskloopError(TestErrors.JOBSTEST_ERR_INTERNAL, "oops"),
  invalid: new RiskloopError(CoreErrors.CORE_ERR_INVALID, "bad"),
  not_found: new RiskloopError(CoreErrors.CORE_ERR_NOT_FOUND, "gone"),
  conflict: new RiskloopError(CoreErrors.CORE_ERR_CONFLICT, "dup"),
  forbidden: new RiskloopError(CoreErrors.CORE_ERR_FORBIDDEN, "no"),
  unauthenticated: new RiskloopError(TestErrors.JOBSTEST_ERR_UNAUTH, "who"),
  fatal: new RiskloopError(TestErrors.JOBSTEST_ERR_FATAL, "broken"),
};

describe("error policy", () => {
  it("retries transient, rate-limited and internal errors and fails every other kind at once", () => {
    const retried = Object.entries(byKind).filter(([, err]) => actionFor(err) === "retry").map(([kind]) => kind);
    expect(retried.sort()).toEqual(["internal", "rate_limited", "transient"]);
    for (const [kind, err] of Object.entries(byKind)) expect(actionFor(err)).toBe(KIND_ACTION[kind as ErrorKind]);
  });

  it("retries errors it does not know, up to the attempts", () => {
    const backoff = { type: "fixed", delayMs: 100 } as const;
    expect(decideFailure(new TypeError("x is undefined"), 1, 3, backoff)).toEqual({ action: "retry", delayMs: 100 });
    expect(decideFailure("a string", 2, 3, backoff)).toEqual({ action: "retry", delayMs: 100 });
    expect(decideFailure(new Error("still"), 3, 3, backoff)).toEqual({ action: "fail", reason: "exhausted" });
    expect(decideFailure(byKind.invalid, 1, 3, backoff)).toEqual({ action: "fail", reason: "unrecoverable" });
  });

  it("computes fixed and exponential backoff, honours a longer retryAfterMs, and caps the delay", () => {
    expect([1, 2, 3, 4].map((a) => retryDelayMs({ type: "exponential", delayMs: 500 }, a))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 5].map((a) => retryDelayMs({ type: "fixed", delayMs: 250 }, a))).toEqual([250, 250]);
    const limited = new RiskloopError(CoreErrors.CORE_ERR_RATE_LIMITED, "429", { retryAfterMs: 7000 });
    expect(retryDelayMs({ type: "exponential", delayMs: 500 }, 1, limited)).toBe(7000);
    expect(retryDelayMs({ type: "exponential", delayMs: 500 }, 6, limited)).toBe(16_000);
    expect(retryDelayMs({ type: "exponential", delayMs: 1000 }, 40)).toBe(MAX_RETRY_DELAY_MS);
  });

  it("describes errors as plain data", () => {
    expect(describeError(byKind.conflict)).toEqual({ message: "dup", code: "CORE_ERR_CONFLICT", kind: "conflict" });
    expect(describeError(new Error("plain"))).toEqual({ message: "plain" });
    expect(describeError(42)).toEqual({ message: "42" });
  });
});
