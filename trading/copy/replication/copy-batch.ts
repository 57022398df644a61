import { hotPath, type Logger } from "../../../core/index.ts";
import type { SrmService } from "../../../srm/index.ts";
import { copyDedupKey, OPENING_KINDS } from "../master-signal.ts";
import type { AttemptInfo, CopyBatchTask, CopyTarget } from "./copy-job.ts";
import type { LinkBook } from "./link-book.ts";
import { SNAPSHOT_MAX_AGE_MS } from "./link-snapshot.ts";
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
  links: LinkBook,
  attempt: AttemptInfo,
  opts: { attempts: number; backoffMs: number; logger: Logger; srm: Pick<SrmService, "claimAhead" | "releaseAhead"> },
): Promise<BatchReport> {
  let pending: CopyTarget[] = task.targets;
  for (let n = 1; ; n++) {
    const last = n >= opts.attempts;
    // A fresh batch decides on the links at the version the fan-out read (this process' book keeps them, or
    // reads them once); a late one or a retry reads them as they are now, once for the whole batch.
    const fresh = n === 1 && Date.now() - task.detectedAt <= SNAPSHOT_MAX_AGE_MS;
    const read = await links.of(task.signal.masterAccountId, fresh ? task.linksVersion : undefined);
    // A fresh batch of opens claims its keys in one statement now, while its copies decide, instead of after.
    const ahead = fresh && OPENING_KINDS.has(task.signal.kind) ? pending.filter((t) => read.byId.get(t.linkId)?.status === "ACTIVE").map((t) => copyDedupKey(task.signal.masterAccountId, task.signal.eventId, t.slaveAccountId)) : [];
    opts.srm.claimAhead(ahead);
    // Each copy is hot work of this process until its order is out (or it ends without one): fills and
    // records wait for the whole batch's orders rather than slow down the copies still deciding.
    const outcomes = await Promise.allSettled(
      pending.map((t) => {
        const sent = hotPath.begin();
        // A link missing from the read was paused or deleted since the fan-out: the copy reads it and says which.
        return replicator.copy({ type: "copy", signal: task.signal, detectedAt: task.detectedAt, linkId: t.linkId, slaveAccountId: t.slaveAccountId }, { number: n, last, onSent: sent, ...(attempt.signal ? { signal: attempt.signal } : {}) }, read.byId.get(t.linkId)).finally(sent);
      }),
    );
    // Claims of copies that ended before deciding (skipped by the rules, say) are given back; one left behind
    // only makes the key's next decider look its order up first.
    if (ahead.length > 0) await opts.srm.releaseAhead(ahead).catch((err: unknown) => opts.logger.warn({ err, eventId: task.signal.eventId }, "unused claims of a copy batch not given back"));
    attempt.signal?.throwIfAborted();
    const again = pending.filter((_, i) => outcomes[i]!.status === "rejected");
    if (again.length === 0) return { copies: task.targets.length, tries: n };
    if (last) throw (outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult).reason;
    opts.logger.debug({ eventId: task.signal.eventId, retrying: again.length, try: n }, "retrying copies whose broker failed transiently");
    await pause(opts.backoffMs * 2 ** (n - 1), attempt.signal);
    pending = again;
  }
}
