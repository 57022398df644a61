import { BullmqRuntime } from "./bullmq-runtime.ts";
import { InProcessRuntime } from "./in-process-runtime.ts";
import { RUNTIME_DEFAULTS, type JobRuntime, type JobRuntimeOptions, type ResolvedRuntimeOptions } from "./job-runtime.ts";

/** BullMQ when `redisUrl` is set, in-process otherwise; the same job declarations run on either. */
export function createJobRuntime(opts: JobRuntimeOptions): JobRuntime {
  const resolved: ResolvedRuntimeOptions = {
    logger: opts.logger,
    concurrency: opts.concurrency ?? RUNTIME_DEFAULTS.concurrency,
    prefix: opts.prefix ?? RUNTIME_DEFAULTS.prefix,
    defaultAttempts: opts.defaultAttempts ?? RUNTIME_DEFAULTS.defaultAttempts,
    closeGraceMs: opts.closeGraceMs ?? RUNTIME_DEFAULTS.closeGraceMs,
  };
  return opts.redisUrl ? new BullmqRuntime(opts.redisUrl, resolved) : new InProcessRuntime(resolved);
}
