import type { AnyJobDefinition } from "../jobs/index.ts";
import { retrainSlippageJob } from "../jobs/retrain.job.ts";
import { driftCheckJob } from "../jobs/drift.job.ts";
import { providerMetricsJob } from "../jobs/provider-metrics.job.ts";
import { recordedJob } from "../jobs/recorded-job.ts";
import type { Container } from "./container.ts";

/**
 * Every job the service runs; API processes enqueue and schedule them, workers (or `serve` without Redis) run
 * them. Each is wrapped once here so that every run, of every job, is recorded in `job_runs`.
 */
export function jobCatalog(c: Container): AnyJobDefinition[] {
  const recorded = { defaultAttempts: c.config.value.jobs.defaultAttempts, logger: c.logger, clock: c.clock };
  return [...[retrainSlippageJob(c), driftCheckJob(c), providerMetricsJob(c)].map((def) => recordedJob(c.db.prisma, def, recorded))];
}
