import { randomUUID } from "node:crypto";
import { RiskloopError, type Logger } from "../../core/index.ts";
import type { RedisJobStore } from "./redis-job-store.ts";
import { JobsErrors } from "./runtime.errors.ts";

/** Long enough to ride out a short Redis hiccup; renewed every third of it while the run lasts. */
export const OVERLAP_LOCK_TTL_MS = 30_000;

/** A held no-overlap lock; `lost` aborts when it can no longer be renewed. */
export interface OverlapLock {
  readonly lost: AbortSignal;
  release(): Promise<void>;
}

/**
 * Takes the job's cross-process no-overlap lock (SET NX PX with a random token) or returns undefined when
 * another run holds it. Renewal checks the token, so an expired-and-retaken lock is never extended by its
 * former owner, and release deletes only its own token.
 */
export async function takeOverlapLock(store: RedisJobStore, job: string, logger: Logger, ttlMs = OVERLAP_LOCK_TTL_MS): Promise<OverlapLock | undefined> {
  const token = randomUUID();
  if (!(await store.acquireLock(job, token, ttlMs))) return undefined;
  const lost = new AbortController();
  let renewedAt = Date.now();
  let released = false;
  const lose = (why: string) => {
    clearInterval(timer);
    if (released || lost.signal.aborted) return;
    logger.error({ job }, `no-overlap lock lost (${why}); aborting the run`);
    lost.abort(new RiskloopError(JobsErrors.JOBS_ERR_LOCK_LOST, `${job}: no-overlap lock lost (${why})`));
  };
  const timer = setInterval(() => {
    store.renewLock(job, token, ttlMs).then(
      (held) => {
        if (held) renewedAt = Date.now();
        else lose("taken over or expired");
      },
      (err: unknown) => {
        logger.warn({ err, job }, "could not renew the no-overlap lock");
        if (Date.now() - renewedAt >= ttlMs) lose("not renewed within its TTL");
      },
    );
  }, Math.max(10, Math.floor(ttlMs / 3)));
  return {
    lost: lost.signal,
    async release() {
      released = true;
      clearInterval(timer);
      await store.releaseLock(job, token).catch((err: unknown) => logger.warn({ err, job }, "could not release the no-overlap lock; it will expire"));
    },
  };
}
