import { invalid, RiskloopError } from "../../core/index.ts";
import type { AnyJobDefinition, JobDefinition, PartitionedJobDefinition } from "./define-job.ts";
import type { EnqueueOptions } from "./job-runtime.ts";
import { JobsErrors } from "./runtime.errors.ts";

interface Entry {
  def: AnyJobDefinition;
}

/** The jobs one runtime knows, each with the runtime's own state beside its definition. */
export class JobCatalog<T extends Entry> {
  private readonly entries = new Map<string, T>();

  /** Adds new definitions; re-registering the very same definition is a no-op, a different one with its name a conflict. */
  add(defs: readonly AnyJobDefinition[], make: (def: AnyJobDefinition) => T): T[] {
    const added: T[] = [];
    for (const def of defs) {
      const existing = this.entries.get(def.name);
      if (existing?.def === def) continue;
      if (existing || added.some((e) => e.def.name === def.name)) {
        throw new RiskloopError(JobsErrors.JOBS_ERR_DUPLICATE_JOB, `job "${def.name}" is already registered`, { job: def.name });
      }
      added.push(make(def));
    }
    for (const entry of added) this.entries.set(entry.def.name, entry);
    return added;
  }

  get(name: string): T {
    const entry = this.entries.get(name);
    if (!entry) throw new RiskloopError(JobsErrors.JOBS_ERR_UNKNOWN_JOB, `job "${name}" is not registered`, { job: name });
    return entry;
  }

  plain(ref: string | { name: string }): T & { def: JobDefinition } {
    const entry = this.get(typeof ref === "string" ? ref : ref.name);
    if (entry.def.kind !== "job") throw invalid("job", `"${entry.def.name}" is partitioned: use enqueuePartitioned`);
    return entry as T & { def: JobDefinition };
  }

  partitioned(ref: string | { name: string }): T & { def: PartitionedJobDefinition } {
    const entry = this.get(typeof ref === "string" ? ref : ref.name);
    if (entry.def.kind !== "partitioned") throw invalid("job", `"${entry.def.name}" is not partitioned: use enqueue`);
    return entry as T & { def: PartitionedJobDefinition };
  }

  values(): IterableIterator<T> {
    return this.entries.values();
  }
}

/**
 * Caller-chosen ids may not contain ":" (BullMQ's key separator) nor be all digits (the runtimes' own ids for
 * jobs enqueued without one), so the two can never collide.
 */
export function checkEnqueueOptions(opts: EnqueueOptions): void {
  if (opts.jobId !== undefined && (opts.jobId === "" || opts.jobId.includes(":") || /^\d+$/.test(opts.jobId) || opts.jobId.length > 200)) {
    throw invalid("jobId", `"${opts.jobId}" must be 1–200 characters, not all digits, without ":"`);
  }
  if (opts.delayMs !== undefined && !(opts.delayMs >= 0 && Number.isFinite(opts.delayMs))) {
    throw invalid("delayMs", "must be a finite number ≥ 0");
  }
}

/**
 * The dead letter id, `<job>.<jobId>` or `<job>.p<i>.<jobId>` for partitioned jobs (ids are unique per lane);
 * never all digits, which BullMQ refuses as a custom id.
 */
export function deadLetterId(job: string, jobId: string, partition: number | undefined): string {
  return partition === undefined ? `${job}.${jobId}` : `${job}.p${partition}.${jobId}`;
}
