import { RiskloopError, type Logger } from "../../core/index.ts";
import type { AnyJobDefinition } from "./define-job.ts";
import { decideFailure } from "./error-policy.ts";
import type { RunProgress } from "./job-runtime.ts";
import { JobsErrors } from "./runtime.errors.ts";

/** A handler that ignores its aborted signal is given this long to return before its slot is freed anyway. */
export const ABANDON_AFTER_ABORT_MS = 30_000;

/** Everything one attempt needs besides the runtime that schedules it. */
export interface AttemptSpec {
  def: AnyJobDefinition;
  jobId: string;
  attempt: number;
  data: unknown;
  /** Any of these aborting aborts the attempt (shutdown, a lost no-overlap lock). */
  signals: readonly AbortSignal[];
  logger: Logger;
  onProgress(progress: RunProgress): void;
}

/** How the handler ended: its value, or what it threw (a timeout or abort included). */
export type AttemptResult = { ok: true; value: unknown } | { ok: false; error: unknown };

/** A started attempt. */
export interface Attempt {
  /** Settles as soon as the handler returns, throws, times out or is aborted. */
  result: Promise<AttemptResult>;
  /** Settles when the handler itself has returned (or was abandoned); slots and locks are held until then. */
  settled: Promise<void>;
}

function abortError(reason: unknown): RiskloopError {
  if (reason instanceof RiskloopError) return reason;
  return new RiskloopError(JobsErrors.JOBS_ERR_ABORTED, `attempt aborted: ${String(reason)}`);
}

/** Starts one attempt of a handler with its context, timeout and abort wiring. */
export function startAttempt(spec: AttemptSpec): Attempt {
  const { def, jobId, attempt } = spec;
  let abortedWith: { reason: unknown } | undefined;
  let controller: AbortController | undefined;
  let fail!: (err: RiskloopError) => void;
  const aborted = new Promise<never>((_, reject) => (fail = reject));
  const abort = (reason: unknown) => {
    if (abortedWith) return;
    abortedWith = { reason };
    controller?.abort(reason);
    fail(abortError(reason));
  };
  const links = spec.signals.map((source) => {
    const forward = () => abort(source.reason);
    source.addEventListener("abort", forward, { once: true });
    return { source, forward };
  });
  const timeout =
    def.timeoutMs === undefined
      ? undefined
      : setTimeout(() => abort(new RiskloopError(JobsErrors.JOBS_ERR_TIMEOUT, `${def.name} attempt ${attempt} exceeded ${def.timeoutMs} ms`)), def.timeoutMs);
  for (const source of spec.signals) if (source.aborted) abort(source.reason);

  let childLogger: Logger | undefined;
  // Both created on first use: tiny jobs that never look at them would otherwise pay for a pino child (with
  // redaction) and an AbortController more than for their own work.
  const logger = () => (childLogger ??= spec.logger.child({ job: def.name, jobId, attempt }));
  const ctx = {
    jobId,
    attempt,
    get signal() {
      if (!controller) {
        controller = new AbortController();
        if (abortedWith) controller.abort(abortedWith.reason);
      }
      return controller.signal;
    },
    get logger() {
      return logger();
    },
    progress(fraction: number, note?: string) {
      if (!Number.isFinite(fraction)) return;
      spec.onProgress({ fraction: Math.min(1, Math.max(0, fraction)), ...(note === undefined ? {} : { note }) });
    },
  };

  let handled: Promise<unknown>;
  try {
    // Work that starts after shutdown began is not started at all.
    handled = abortedWith ? aborted : Promise.resolve(def.handler(ctx, spec.data));
  } catch (err) {
    handled = Promise.reject(err);
  }
  const result = Promise.race([handled, aborted]).then(
    (value): AttemptResult => ({ ok: true, value }),
    (error: unknown): AttemptResult => ({ ok: false, error }),
  );
  void result.then(() => {
    clearTimeout(timeout);
    for (const { source, forward } of links) source.removeEventListener("abort", forward);
  });

  const returned = handled.then(
    () => true,
    () => true,
  );
  const settled = result.then(async () => {
    if (!abortedWith) return;
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ABANDON_AFTER_ABORT_MS);
      timer.unref();
    });
    const done = await Promise.race([returned, gaveUp]);
    clearTimeout(timer);
    if (!done) logger().warn("handler ignored its aborted signal; its slot is released anyway");
  });
  return { result, settled };
}

/**
 * How an attempt ended. `interrupted`: aborted because this worker is shutting down; it does not count as a
 * try (BullMQ puts the job back at the head of its queue; in-process work ends with the process).
 */
export type AttemptVerdict =
  | { end: "completed" }
  | { end: "interrupted" }
  | { end: "retrying"; delayMs: number }
  | { end: "failed" };

/** Applies the error policy to an attempt's result. */
export function judgeAttempt(result: AttemptResult, attempt: number, attempts: number, def: AnyJobDefinition, shutdown: AbortSignal): AttemptVerdict {
  if (result.ok) return { end: "completed" };
  if (shutdown.aborted && result.error instanceof RiskloopError && result.error.code === JobsErrors.JOBS_ERR_ABORTED) return { end: "interrupted" };
  const decision = decideFailure(result.error, attempt, attempts, def.backoff);
  return decision.action === "retry" ? { end: "retrying", delayMs: decision.delayMs } : { end: "failed" };
}

/** Outcome of a run that retried in place. */
export type InlineRunResult =
  | { end: "completed"; value: unknown; attempts: number }
  | { end: "failed" | "interrupted"; error: unknown; attempts: number };

/** Bookkeeping around each attempt: `begin` returns where its progress goes; `end` sees how it finished. */
export interface AttemptHooks {
  begin(attempt: number): (progress: RunProgress) => void;
  end(attempt: number, result: AttemptResult, verdict: AttemptVerdict): Promise<void> | void;
}

/**
 * Runs attempts back to back with the error policy's backoff until success, a final failure or shutdown; each
 * attempt has fully returned before the next starts, so a partitioned lane never lets a later job overtake.
 */
export async function runWithInlineRetries(
  spec: Omit<AttemptSpec, "attempt" | "onProgress">,
  attempts: number,
  shutdown: AbortSignal,
  hooks: AttemptHooks,
): Promise<InlineRunResult> {
  for (let attempt = 1; ; attempt++) {
    const run = startAttempt({ ...spec, attempt, onProgress: hooks.begin(attempt) });
    const result = await run.result;
    await run.settled;
    const verdict = judgeAttempt(result, attempt, attempts, spec.def, shutdown);
    await hooks.end(attempt, result, verdict);
    if (result.ok) return { end: "completed", value: result.value, attempts: attempt };
    if (verdict.end !== "retrying") return { end: verdict.end === "interrupted" ? "interrupted" : "failed", error: result.error, attempts: attempt };
    if (!(await pause(verdict.delayMs, shutdown))) return { end: "interrupted", error: abortError(shutdown.reason), attempts: attempt };
  }
}

/** Waits `ms` unless `signal` aborts first; resolves whether the full wait elapsed. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", stop);
      resolve(true);
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      resolve(false);
    };
    if (signal.aborted) stop();
    else signal.addEventListener("abort", stop, { once: true });
  });
}

/** Waits for all `tasks` to settle, or `ms`, whichever comes first; resolves whether they all settled. */
export async function settleWithin(tasks: Iterable<Promise<unknown>>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const all = Promise.allSettled([...tasks]).then(() => true);
  const done = await Promise.race([all, deadline]);
  clearTimeout(timer);
  return done;
}
