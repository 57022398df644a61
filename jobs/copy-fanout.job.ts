import type { Container } from "../app/container.ts";
import { COPY_FANOUT_JOB, type CopyJobData } from "../trading/copy/index.ts";
import { defineJob, definePartitionedJob } from "./runtime/define-job.ts";

/**
 * The copy fan-out: one job per (master signal, slave) or per link repair, partitioned by slave account so a
 * slave's copies run strictly in order while different slaves run in parallel (in-process lanes, or BullMQ
 * queues shared by every worker process). A copy whose slave broker failed transiently is retried in its lane;
 * the last attempt logs the failure instead of retrying. Where worker processes share the lanes, slave sessions
 * move with them.
 */
export function copyFanoutJob(c: Container) {
  const cfg = c.copyConfig;
  return definePartitionedJob<CopyJobData>({
    name: COPY_FANOUT_JOB,
    partitions: cfg.partitions,
    attempts: cfg.attempts,
    backoff: { type: "exponential", delayMs: 250 },
    handler: (ctx, data) => c.copy.engine.handle(data, { number: ctx.attempt, last: ctx.attempt >= cfg.attempts, signal: ctx.signal }),
    // The worker consuming a slave's lane holds its broker session.
    lanes: { taken: (lanes) => c.copy.engine.lanesTaken(lanes), released: (lanes) => c.copy.engine.lanesReleased(lanes) },
  });
}

/**
 * Copy supervision (every TRD_COPY_SUPERVISE_EVERY_MS): starts the copy engine in the worker that runs it
 * (watching masters, repairing every link once), watches masters of new links, and resumes fan-outs whose
 * copies went missing (a killed worker, a queue that was unreachable).
 */
export function copySuperviseJob(c: Container) {
  return defineJob({
    name: "copy-supervise",
    schedule: { everyMs: c.copyConfig.superviseEveryMs },
    attempts: 1,
    handler: async () => c.copy.engine.supervise(),
  });
}
