import type { Logger } from "../../core/index.ts";
import type { AnyJobDefinition, JobDefinition, JobSchedule, PartitionedJobDefinition } from "./define-job.ts";
import type { JobErrorInfo } from "./error-policy.ts";

/** Options of `enqueue`. */
export interface EnqueueOptions {
  /** Idempotency key: a second enqueue with an id the runtime still remembers is a no-op. No ":"; not all digits. */
  jobId?: string;
  /** Run no earlier than this many milliseconds from now. */
  delayMs?: number;
}

/** Where an enqueued job went. */
export interface EnqueueResult {
  jobId: string;
  /** The ordered lane the job went to (partitioned jobs only). */
  partition?: number;
}

/** What a handler last reported through `ctx.progress`. */
export interface RunProgress {
  fraction: number;
  note?: string;
}

/**
 * One attempt of a job, as `status` reports it. `retrying`: this attempt failed and another will follow;
 * `interrupted`: its worker shut down mid-attempt (the attempt does not count).
 */
export interface RunRecord {
  jobId: string;
  attempt: number;
  state: "active" | "completed" | "retrying" | "failed" | "skipped" | "interrupted";
  startedAt: number;
  finishedAt?: number;
  progress?: RunProgress;
  error?: JobErrorInfo;
  partition?: number;
}

/**
 * Queue depths (`waiting`, `active`, `delayed`, `dead`) are current; `completed`, `failed` (final failures)
 * and `skipped` count runs since the queue's prefix was created (in-process: since the runtime started).
 */
export interface JobCounts {
  waiting: number;
  active: number;
  delayed: number;
  completed: number;
  failed: number;
  skipped: number;
  dead: number;
}

/** A job's queue depths, run counts and recent runs. */
export interface JobStatus {
  name: string;
  kind: AnyJobDefinition["kind"];
  schedule: JobSchedule | undefined;
  counts: JobCounts;
  /** Most recent first, active runs (with live progress) before finished ones. */
  lastRuns: RunRecord[];
  /** A partitioned job on BullMQ: the live worker processes and the lanes each one consumes. */
  lanes?: LaneHolder[];
}

/** One worker process consuming lanes of a partitioned job (`<host>.<pid>.<random>`). */
export interface LaneHolder {
  worker: string;
  lanes: number[];
}

/** A job that failed for good, with what is needed to retry it. */
export interface DeadLetter {
  /** The dead letter's own id: `<job>.<jobId>`, or `<job>.p<i>.<jobId>` for partitioned jobs. */
  id: string;
  job: string;
  jobId: string;
  data: unknown;
  key?: string;
  partition?: number;
  attempts: number;
  error: JobErrorInfo;
  failedAt: number;
}

/** What `runNow` resolves to; failures are values here, since the caller asked to wait for the outcome. */
export type RunOutcome<R = unknown> =
  | { status: "completed"; jobId: string; attempts: number; result: R }
  | { status: "skipped"; jobId: string; reason: "overlap" }
  | { status: "failed"; jobId: string; attempts: number; error: JobErrorInfo };

/** Options of `startWorkers`. */
export interface StartWorkersOptions {
  /** Run only these jobs here (e.g. a training sandbox); default all registered. */
  only?: readonly string[];
}

/** A job, by name or by its definition (the definition also types the data). */
export type JobRef<D> = string | JobDefinition<D, unknown>;
/** A partitioned job, by name or by its definition. */
export type PartitionedJobRef<D> = string | PartitionedJobDefinition<D, unknown>;

/** Runs declared jobs: in-process (node-cron, memory) or on BullMQ (Redis), with identical outcome rules. */
export interface JobRuntime {
  readonly mode: "in-process" | "bullmq";
  /** Declares jobs (and, on BullMQ, upserts or removes their schedulers); every process that enqueues calls it. */
  register(jobs: readonly AnyJobDefinition[]): Promise<void>;
  enqueue<D>(job: JobRef<D>, data: D, opts?: EnqueueOptions): Promise<EnqueueResult>;
  /** Jobs with equal `key` run one at a time in enqueue order; `jobId` is unique per key's lane. */
  enqueuePartitioned<D>(job: PartitionedJobRef<D>, key: string, data: D, opts?: { jobId?: string }): Promise<EnqueueResult>;
  /** Enqueues and waits for the final outcome (after retries). Needs a worker running somewhere. */
  runNow<D, R = unknown>(job: string | JobDefinition<D, R>, data: D): Promise<RunOutcome<R>>;
  /** Starts consuming (and, in-process, the schedules). API processes never call it; worker processes do. */
  startWorkers(opts?: StartWorkersOptions): Promise<void>;
  status(name: string): Promise<JobStatus>;
  deadLetters(name: string): Promise<DeadLetter[]>;
  /** Takes a dead letter out and runs the job again from attempt 1, under its original job id. */
  retryDead(name: string, id: string): Promise<EnqueueResult>;
  /** Stops schedules and workers, aborts running handlers' signals, waits for them (bounded), releases connections. */
  close(): Promise<void>;
}

/** Settings shared by both runtimes (see jobs.config.ts for their environment variables). */
export interface JobRuntimeOptions {
  /** Set: BullMQ on this Redis. Unset: in-process. */
  redisUrl?: string;
  logger: Logger;
  /** Parallel runs per job per worker process. @defaultValue 4 */
  concurrency?: number;
  /** Redis key prefix; tests use a unique one. @defaultValue "riskloop" */
  prefix?: string;
  /** Attempts for jobs that do not declare their own. @defaultValue 3 */
  defaultAttempts?: number;
  /** How long `close()` waits for aborted handlers to return. @defaultValue 10000 */
  closeGraceMs?: number;
}

/** Runtime options with every default applied. */
export type ResolvedRuntimeOptions = Required<Omit<JobRuntimeOptions, "redisUrl">>;

/** Defaults shared by `createJobRuntime` and the config section. */
export const RUNTIME_DEFAULTS = { concurrency: 4, prefix: "riskloop", defaultAttempts: 3, closeGraceMs: 10_000 } as const;

/** How many finished runs `status` keeps per job. */
export const RUN_HISTORY = 20;
