import { field } from "../core/index.ts";
import { RUNTIME_DEFAULTS } from "./runtime/job-runtime.ts";

/** Settings of the job runtime; the keys match `createJobRuntime`'s options so the section can be passed as is. */
export const jobsConfig = {
  redisUrl: field.url(
    "REDIS_URL",
    "Redis for BullMQ queues, schedulers and workers (redis:// or rediss://). Unset: jobs run in-process with node-cron and are lost on restart.",
    ["redis", "rediss"],
    // May carry a password, so it is kept out of logs and the config hash.
    { secret: true },
  ),
  concurrency: field.int("JOBS_CONCURRENCY", "Parallel runs per job in each worker process (partitioned jobs always run one per lane).", {
    default: RUNTIME_DEFAULTS.concurrency,
    min: 1,
    max: 1000,
  }),
  prefix: field.string("JOBS_PREFIX", "Redis key prefix of all queues; deployments sharing one Redis need different prefixes.", {
    default: RUNTIME_DEFAULTS.prefix,
    pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
  }),
  defaultAttempts: field.int("JOBS_DEFAULT_ATTEMPTS", "Tries (the first included) for jobs that do not declare `attempts`, before they are dead-lettered.", {
    default: RUNTIME_DEFAULTS.defaultAttempts,
    min: 1,
    max: 100,
  }),
};
