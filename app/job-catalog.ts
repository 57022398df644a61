import type { AnyJobDefinition } from "../jobs/index.ts";
import { retrainSlippageJob } from "../jobs/retrain.job.ts";
import { driftCheckJob } from "../jobs/drift.job.ts";
import { copyFanoutJob, copySuperviseJob } from "../jobs/copy-fanout.job.ts";
import { providerMetricsJob } from "../jobs/provider-metrics.job.ts";
import { claimsPruneJob } from "../jobs/claims-prune.job.ts";
import { recordedJob } from "../jobs/recorded-job.ts";
import type { Container } from "./container.ts";

/**
 * Every job the service runs; API processes enqueue and schedule them, workers (or `serve` without Redis) run
 * them. Each is wrapped once here so that every run, of every job, is recorded in `job_runs`.
 */
export function jobCatalog(c: Container): AnyJobDefinition[] {
  const recorded = { defaultAttempts: c.config.value.jobs.defaultAttempts, logger: c.logger, clock: c.clock };
  const copyJobs = [copyFanoutJob(c), copySuperviseJob(c)]; // logged per copy in copy_events; a job_runs row per copy would double its writes
  return [...[retrainSlippageJob(c), driftCheckJob(c), providerMetricsJob(c), claimsPruneJob(c)].map((def) => recordedJob(c.db.prisma, def, recorded)), ...copyJobs];
}
