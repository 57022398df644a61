import { defineErrorCodes } from "../../core/index.ts";

/** Error codes raised by the job runtime itself (handlers raise their own areas' codes). */
export const JobsErrors = defineErrorCodes({
  JOBS_ERR_UNKNOWN_JOB: { kind: "not_found", description: "No job with this name is registered with the runtime." },
  JOBS_ERR_DUPLICATE_JOB: { kind: "conflict", description: "Two job definitions registered with one runtime share a name." },
  JOBS_ERR_TIMEOUT: { kind: "transient", description: "A job attempt ran past its timeoutMs and was aborted; it is retried while attempts remain." },
  JOBS_ERR_ABORTED: { kind: "transient", description: "A job attempt was aborted because its worker is shutting down; it is retried elsewhere while attempts remain." },
  JOBS_ERR_LOCK_LOST: { kind: "transient", description: "A no-overlap job lost its Redis lock while running (Redis unreachable or the lock expired), so it was aborted." },
  JOBS_ERR_CLOSED: { kind: "transient", description: "The job runtime is closing or closed and accepts no new work." },
  JOBS_ERR_REDIS_DRIVER: { kind: "fatal", description: "REDIS_URL is set but the ioredis package, which BullMQ 6 needs to reach Redis, is not installed." },
});
