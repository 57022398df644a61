import { CoreErrors, RiskloopError, registeredErrorCodes, type Logger } from "../../../core/index.ts";
import type { CopyEventStatus, ExecutionLog, Position } from "../../../prisma/index.ts";
import type { DecisionRecord } from "../../../srm/index.ts";
import type { ExecutionOutcome } from "../../execution/index.ts";
import type { EffectiveSettings } from "../rules/copy-settings.ts";
import type { CopyReason } from "../rules/lot-scaling.ts";
import type { CopyTask } from "./copy-job.ts";
import type { CopyTiming } from "./copy-recorder.ts";
import type { LinkSnapshot, SlaveSnapshot } from "./link-snapshot.ts";

/** One copy in progress: its task, link, combined settings and the wall-clock marks of its stages. */
export interface CopyContext {
  task: CopyTask;
  link: LinkSnapshot;
  settings: EffectiveSettings;
  /** The slave's account with its money from its live session, once the copy has the session (`Replicator`). */
  slave: SlaveSnapshot | undefined;
  startedAt: number;
  /** Aborted when the worker shuts down: a dying worker stops between stages and writes nothing more. */
  abort: AbortSignal | undefined;
  /** Told when the copy's order is handed to the broker (the batch's hot work ends there). */
  onSent: (() => void) | undefined;
  decidedAt?: number;
  /** When the order was handed to the slave's broker (`markSent`). */
  sentAt?: number;
  /** When the slave's broker answered it (`markAnswered`), before anything of the answer was recorded. */
  answeredAt?: number;
  finishedAt?: number;
}

/**
 * The `onSent` to hand execution: notes when the order went out, then tells the caller's own `onSent`. (The
 * execution log's row cannot say: on the hot path it is written after the order.)
 */
export function markSent(ctx: CopyContext, then: (() => void) | undefined): () => void {
  return () => {
    ctx.sentAt = Date.now();
    then?.();
  };
}

/** The `onAnswered` to hand execution: notes when the broker answered, so its acknowledgement excludes our records. */
export function markAnswered(ctx: CopyContext): () => void {
  return () => {
    ctx.answeredAt = Date.now();
  };
}

/** What a copy ended with, before it is written to the log. */
export interface CopyResult {
  status: CopyEventStatus;
  reasons: CopyReason[];
  intentId?: string;
  execution?: ExecutionLog;
  /** The slave's position the execution opened or closed, as it left it. */
  position?: Position | null;
  slippagePips?: number | null;
  detail?: Record<string, unknown>;
  /** The slave's broker failed in a way worth trying again (the job is retried unless this was its last attempt). */
  retry?: unknown;
}

export const skipped = (reason: CopyReason, detail: Record<string, unknown> = {}): CopyResult => ({ status: "SKIPPED", reasons: [reason], detail });

/**
 * One log result for a signal carried out on several copies of a master position (a netting master that added to
 * it): FAILED (retried as a whole; the copies already done are only looked up) when one failed, COPIED when any
 * was done, else SKIPPED; every copy's reasons, and per copy its status and slave position.
 */
export function combinedResult(results: readonly CopyResult[]): CopyResult {
  if (results.length === 1) return results[0]!;
  const failed = results.find((r) => r.status === "FAILED");
  const done = results.find((r) => r.status !== "SKIPPED" && r.status !== "FAILED");
  const lead = failed ?? done ?? results[0]!;
  const result: CopyResult = {
    status: failed ? "FAILED" : done ? "COPIED" : "SKIPPED",
    reasons: results.flatMap((r) => r.reasons),
    detail: { ...lead.detail, copies: results.map((r) => ({ status: r.status, slavePositionId: r.detail?.slavePositionId ?? null, intentId: r.intentId ?? null })) },
    slippagePips: done?.slippagePips ?? null,
  };
  if (lead.intentId) result.intentId = lead.intentId;
  if (lead.execution) result.execution = lead.execution;
  const retry = results.find((r) => r.retry !== undefined);
  if (retry) result.retry = retry.retry;
  return result;
}

/** The decision's reasons in the copy log's shape. */
export function decisionReasons(d: DecisionRecord): CopyReason[] {
  return d.decision.reasons.map((r) => ({ code: r.code, text: r.text }));
}

/** True for error codes whose kind says a later attempt may succeed. */
export function transientCode(code: string | null | undefined): boolean {
  const kind = code ? registeredErrorCodes().get(code)?.kind : undefined;
  return kind === "transient" || kind === "rate_limited";
}

/** An execution that did not fill or place: FAILED with the broker's reason, retried only when transient. */
export function failedExecution(outcome: ExecutionOutcome, reasons: CopyReason[]): CopyResult {
  const e = outcome.execution;
  const code = e.errorCode ?? "TRD_ERR_REJECTED";
  const unknown = outcome.status === "UNKNOWN";
  const text = unknown ? `the broker's answer was lost (${e.error ?? "timeout"}); the order is looked up by its client id before any retry` : `the slave's broker refused: ${e.error ?? code}`;
  const result: CopyResult = { status: "FAILED", reasons: [...reasons, { code, text }], intentId: e.intentId ?? undefined, execution: e };
  return unknown || transientCode(code) ? { ...result, retry: new RiskloopError(CoreErrors.CORE_ERR_UNAVAILABLE, text, { code }) } : result;
}

/** Turns an error thrown while copying into a log result: invalid input is a skip, anything else a failure. */
export function errorResult(err: unknown, logger: Logger, ctx: CopyContext): CopyResult {
  if (err instanceof RiskloopError && err.kind === "invalid") return skipped({ code: "COPY_INVALID", text: err.message });
  const code = err instanceof RiskloopError ? err.code : "CORE_ERR_INTERNAL";
  const text = err instanceof Error ? err.message : String(err);
  if (!(err instanceof RiskloopError)) logger.error({ err, linkId: ctx.link.id, eventId: ctx.task.signal.eventId }, "copy failed unexpectedly");
  const retry = !(err instanceof RiskloopError) || err.kind === "transient" || err.kind === "rate_limited" || err.kind === "internal" || code === "TRD_ERR_IN_FLIGHT";
  return { status: "FAILED", reasons: [{ code, text }], ...(retry ? { retry: err } : {}) };
}

/**
 * The stage timings of a copy from its marks; dispatch and acknowledgement only when an order went out. The
 * acknowledgement ends when the broker answered; without that mark (an answer found by lookup), when execution ended.
 */
export function timingOf(ctx: CopyContext): CopyTiming {
  const { signal, detectedAt } = ctx.task;
  const decided = ctx.decidedAt;
  const finished = ctx.finishedAt;
  const sent = ctx.sentAt !== undefined && decided !== undefined && finished !== undefined ? Math.min(Math.max(ctx.sentAt, decided), finished) : undefined;
  const answered = sent === undefined ? undefined : Math.min(Math.max(ctx.answeredAt ?? finished!, sent), finished!);
  return {
    detectionMs: Math.max(0, signal.receivedAt - signal.time),
    queueMs: Math.max(0, ctx.startedAt - detectedAt),
    decisionMs: decided === undefined ? null : decided - ctx.startedAt,
    dispatchMs: sent === undefined ? null : sent - decided!,
    ackMs: answered === undefined ? null : answered - sent!,
  };
}
