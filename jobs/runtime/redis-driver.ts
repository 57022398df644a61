import { createRequire } from "node:module";
import { RiskloopError } from "../../core/index.ts";
import { JobsErrors } from "./runtime.errors.ts";

/**
 * BullMQ 6 made its Redis driver an optional peer dependency and loads `ioredis` lazily with `require` from its
 * own folder; this resolves it the same way, so a missing driver is reported at start, not as a connection loop.
 */
export function redisDriverAvailable(): boolean {
  try {
    const fromHere = createRequire(import.meta.url);
    createRequire(fromHere.resolve("bullmq")).resolve("ioredis");
    return true;
  } catch {
    return false;
  }
}

/** Throws a fatal `JOBS_ERR_REDIS_DRIVER` when `ioredis` cannot be loaded. */
export function assertRedisDriver(): void {
  if (!redisDriverAvailable()) {
    throw new RiskloopError(JobsErrors.JOBS_ERR_REDIS_DRIVER, "REDIS_URL is set but the 'ioredis' package is not installed (add ioredis to dependencies)");
  }
}
