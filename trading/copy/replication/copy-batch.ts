import type { Logger } from "../../../core/index.ts";
import type { PrismaClient } from "../../../prisma/index.ts";
import type { AttemptInfo, CopyBatchTask, CopyTarget } from "./copy-job.ts";
import type { Replicator } from "./replicator.ts";

/** How many copies of a batch ended, and how many tries the slowest needed. */
export interface BatchReport {
  copies: number;
  tries: number;
}

const pause = (ms: number, signal: AbortSignal | undefined) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

/**
 * Runs a batch's copies concurrently. A copy that asks for another try (its slave's broker failed transiently)
 * is tried again with exponential backoff, alone, up to `attempts` tries in all; its last try logs the failure.
 * Anything else thrown (the database gone) fails the job, whose retry redoes the batch: every copy is
 * idempotent, so the ones already made are only looked up.
 */
export async function runBatch(
  task: CopyBatchTask,
  replicator: Replicator,
  prisma: PrismaClient,
  attempt: AttemptInfo,
  opts: { attempts: number; backoffMs: number; logger: Logger },
): Promise<BatchReport> {
  let pending: CopyTarget[] = task.targets;
  for (let n = 1; ; n++) {
    const last = n >= opts.attempts;
    // One read of every slave's account for the whole batch, instead of one per copy.
    const slaves = new Map((await prisma.brokerAccount.findMany({ where: { id: { in: pending.map((t) => t.slaveAccountId) } } })).map((a) => [a.id, a]));
    const outcomes = await Promise.allSettled(
      pending.map((t) => {
        const slave = slaves.get(t.slaveAccountId);
        return slave ? replicator.copy({ type: "copy", signal: task.signal, detectedAt: task.detectedAt, ...t }, { number: n, last, ...(attempt.signal ? { signal: attempt.signal } : {}) }, slave) : null;
      }),
    );
    attempt.signal?.throwIfAborted();
    const again = pending.filter((_, i) => outcomes[i]!.status === "rejected");
    if (again.length === 0) return { copies: task.targets.length, tries: n };
    if (last) throw (outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult).reason;
    opts.logger.debug({ eventId: task.signal.eventId, retrying: again.length, try: n }, "retrying copies whose broker failed transiently");
    await pause(opts.backoffMs * 2 ** (n - 1), attempt.signal);
    pending = again;
  }
}
