export { jobsConfig } from "./jobs.config.ts";
export { abandonOrphanedRuns } from "./recorded-job.ts";
export {
  defineJob,
  definePartitionedJob,
  JOB_NAME,
  type AnyJobDefinition,
  type BackoffPolicy,
  type JobContext,
  type JobDefinition,
  type JobHandler,
  type JobSchedule,
  type JobSpec,
  type OverlapPolicy,
  type PartitionedJobDefinition,
  type PartitionedJobSpec,
} from "./runtime/define-job.ts";
export {
  RUNTIME_DEFAULTS,
  type DeadLetter,
  type EnqueueOptions,
  type EnqueueResult,
  type JobCounts,
  type JobRuntime,
  type JobRuntimeOptions,
  type JobStatus,
  type RunOutcome,
  type RunProgress,
  type RunRecord,
  type StartWorkersOptions,
} from "./runtime/job-runtime.ts";
export { createJobRuntime } from "./runtime/create-job-runtime.ts";
export { InProcessRuntime } from "./runtime/in-process-runtime.ts";
export { BullmqRuntime } from "./runtime/bullmq-runtime.ts";
export { KIND_ACTION, type JobErrorInfo } from "./runtime/error-policy.ts";
export { partitionOf } from "./runtime/partition-key.ts";
export { redisDriverAvailable } from "./runtime/redis-driver.ts";
export { JobsErrors } from "./runtime/runtime.errors.ts";
export { startWorker, type SignalSource, type StartWorkerOptions, type WorkerHandle } from "./runtime/start-worker.ts";
export { redisPing } from "./redis-ping.ts";
export { bridgeEventBus } from "./redis-event-bridge.ts";
