import type { AnyJobDefinition } from "../jobs/index.ts";
import { retrainSlippageJob } from "../jobs/retrain.job.ts";
import type { Container } from "./container.ts";

/** Every job the service runs; API processes enqueue and schedule them, workers (or `serve` without Redis) run them. */
export function jobCatalog(c: Container): AnyJobDefinition[] {
  return [retrainSlippageJob(c)];
}
