import { RiskloopError, type ErrorKind } from "../../core/index.ts";
import type { BackoffPolicy } from "./define-job.ts";

/** What a failed attempt leads to: try again later, or stop now. */
export type FailureAction = "retry" | "fail";

/**
 * The one mapping from error kind to job outcome. A retry cannot fix bad input, a missing or conflicting
 * resource, a refused permission or a broken deployment, so those fail at once; a dependency that is down or
 * throttling usually recovers, and an unexpected `internal` failure gets the benefit of the doubt.
 */
export const KIND_ACTION: Readonly<Record<ErrorKind, FailureAction>> = {
  transient: "retry",
  rate_limited: "retry",
  internal: "retry",
  invalid: "fail",
  not_found: "fail",
  conflict: "fail",
  forbidden: "fail",
  unauthenticated: "fail",
  fatal: "fail",
};

/** Retries never wait longer than this, whatever the backoff or a rate limiter asks for. */
export const MAX_RETRY_DELAY_MS = 3_600_000;

/** An error as it is stored with a run or a dead letter (plain data, survives JSON). */
export interface JobErrorInfo {
  message: string;
  code?: string;
  kind?: ErrorKind;
}

/** The decision after a failed attempt. */
export type FailureOutcome =
  | { action: "retry"; delayMs: number }
  | { action: "fail"; reason: "unrecoverable" | "exhausted" };

/** Maps an error to its action; errors that are not `RiskloopError`s are retried (unknown means maybe transient). */
export function actionFor(err: unknown): FailureAction {
  return err instanceof RiskloopError ? KIND_ACTION[err.kind] : "retry";
}

/**
 * Delay before the next try after `attempt` (1-based) failed. A rate-limited error may carry
 * `details.retryAfterMs`, which is honoured when it is longer than the backoff.
 */
export function retryDelayMs(backoff: BackoffPolicy, attempt: number, err?: unknown): number {
  const base = backoff.type === "fixed" ? backoff.delayMs : backoff.delayMs * 2 ** Math.max(0, attempt - 1);
  const asked = err instanceof RiskloopError ? err.details?.["retryAfterMs"] : undefined;
  const wanted = typeof asked === "number" && Number.isFinite(asked) ? Math.max(base, asked) : base;
  return Math.min(Math.round(wanted), MAX_RETRY_DELAY_MS);
}

/** Decides what happens after `attempt` of `attempts` failed with `err`. */
export function decideFailure(err: unknown, attempt: number, attempts: number, backoff: BackoffPolicy): FailureOutcome {
  if (actionFor(err) === "fail") return { action: "fail", reason: "unrecoverable" };
  if (attempt >= attempts) return { action: "fail", reason: "exhausted" };
  return { action: "retry", delayMs: retryDelayMs(backoff, attempt, err) };
}

/** Plain-data description of any thrown value. */
export function describeError(err: unknown): JobErrorInfo {
  if (err instanceof RiskloopError) return { message: err.message, code: err.code, kind: err.kind };
  if (err instanceof Error) return { message: err.message };
  return { message: String(err) };
}
