import cron from "node-cron";
import { invalid, type Logger } from "../../core/index.ts";

/** What a handler gets besides its data. */
export interface JobContext {
  readonly jobId: string;
  /** 1 on the first try, 2 on the first retry, and so on. */
  readonly attempt: number;
  /** Aborted when the attempt times out, the worker shuts down, or a no-overlap lock is lost. */
  readonly signal: AbortSignal;
  /** Reports progress as a fraction in [0, 1] with an optional note; visible through `status`. */
  progress(fraction: number, note?: string): void;
  readonly logger: Logger;
}

/** A recurring trigger: a cron expression (5 fields, or 6 with seconds) in a time zone, or a fixed period. */
export type JobSchedule = { cron: string; timezone?: string } | { everyMs: number };

/** How long to wait before a retry: `fixed` waits `delayMs`, `exponential` waits `delayMs * 2^(attempt-1)`. */
export interface BackoffPolicy {
  type: "exponential" | "fixed";
  delayMs: number;
}

/** The work itself: gets its context and data, returns a JSON-serialisable result. */
export type JobHandler<D, R> = (ctx: JobContext, data: D) => Promise<R>;

/** `skip`: a trigger arriving while a run of the same job is in progress is recorded as skipped, not run. */
export type OverlapPolicy = "skip" | "allow";

interface CommonSpec<D, R> {
  name: string;
  /** Total tries including the first; defaults to the runtime's `defaultAttempts` (JOBS_DEFAULT_ATTEMPTS). */
  attempts?: number;
  /** @defaultValue `{ type: "exponential", delayMs: 1000 }` */
  backoff?: BackoffPolicy;
  /** Per attempt; the attempt's signal is aborted and it fails as transient when exceeded. */
  timeoutMs?: number;
  handler: JobHandler<D, R>;
}

/** What `defineJob` accepts. */
export interface JobSpec<D, R> extends CommonSpec<D, R> {
  /** Scheduled runs receive `undefined` as data. Cron times default to UTC. */
  schedule?: JobSchedule;
  /** @defaultValue `"skip"` for scheduled jobs, `"allow"` otherwise */
  overlap?: OverlapPolicy;
}

/**
 * Told which lanes of a partitioned job this process takes up and hands back, where worker processes share them
 * (BullMQ); an in-process runtime holds every lane for good and calls neither.
 */
export interface LaneHooks {
  /** This process now consumes these lanes: at its start, or when another worker left. */
  taken?(lanes: readonly number[]): void | Promise<void>;
  /** This process no longer consumes these lanes (another worker joined) and their running jobs have ended. */
  released?(lanes: readonly number[]): void | Promise<void>;
}

/** What `definePartitionedJob` accepts. */
export interface PartitionedJobSpec<D, R> extends CommonSpec<D, R> {
  /** Number of ordered lanes; jobs with one key always land in the same lane. */
  partitions: number;
  lanes?: LaneHooks;
}

interface CommonDefinition<D, R> {
  readonly name: string;
  readonly attempts: number | undefined;
  readonly backoff: BackoffPolicy;
  readonly timeoutMs: number | undefined;
  readonly handler: JobHandler<D, R>;
}

/** A declared job, runnable by either runtime. */
export interface JobDefinition<D = unknown, R = unknown> extends CommonDefinition<D, R> {
  readonly kind: "job";
  readonly schedule: JobSchedule | undefined;
  readonly overlap: OverlapPolicy;
}

/** A declared job whose runs are strictly ordered per key (e.g. per slave account). */
export interface PartitionedJobDefinition<D = unknown, R = unknown> extends CommonDefinition<D, R> {
  readonly kind: "partitioned";
  readonly partitions: number;
  readonly lanes: LaneHooks | undefined;
}

/** Either kind of definition, as `register` takes them (`any`: each handler stays typed where it is declared). */
export type AnyJobDefinition = JobDefinition<any, any> | PartitionedJobDefinition<any, any>;

/** Job names are kebab-case so that the runtime can derive `<name>.dead` and `<name>.p<i>` queue names. */
export const JOB_NAME = /^[a-z][a-z0-9-]{0,62}$/;

const DEFAULT_BACKOFF: BackoffPolicy = { type: "exponential", delayMs: 1000 };

function positiveInt(fieldName: string, value: number | undefined, max: number): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > max)) {
    throw invalid(fieldName, `must be an integer in [1, ${max}], got ${value}`);
  }
}

function checkCommon<D, R>(spec: CommonSpec<D, R>): CommonDefinition<D, R> {
  if (!JOB_NAME.test(spec.name)) throw invalid("job.name", `"${spec.name}" must be kebab-case (a-z, 0-9, -), starting with a letter`);
  positiveInt(`${spec.name}.attempts`, spec.attempts, 100);
  positiveInt(`${spec.name}.timeoutMs`, spec.timeoutMs, 2 ** 31 - 1);
  const backoff = spec.backoff ?? DEFAULT_BACKOFF;
  if (!(backoff.delayMs >= 0) || !Number.isFinite(backoff.delayMs)) throw invalid(`${spec.name}.backoff.delayMs`, "must be a finite number ≥ 0");
  return { name: spec.name, attempts: spec.attempts, backoff, timeoutMs: spec.timeoutMs, handler: spec.handler };
}

function checkSchedule(name: string, schedule: JobSchedule): JobSchedule {
  if ("everyMs" in schedule) {
    positiveInt(`${name}.schedule.everyMs`, schedule.everyMs, 2 ** 31 - 1);
    return { everyMs: schedule.everyMs };
  }
  if (!cron.validate(schedule.cron)) throw invalid(`${name}.schedule.cron`, `"${schedule.cron}" is not a valid cron expression`);
  const timezone = schedule.timezone ?? "UTC";
  try {
    new Intl.DateTimeFormat("en", { timeZone: timezone });
  } catch {
    throw invalid(`${name}.schedule.timezone`, `"${timezone}" is not an IANA time zone`);
  }
  return { cron: schedule.cron, timezone };
}

/** The one way to declare a job: validated once, then run in-process or on BullMQ unchanged. */
export function defineJob<D = undefined, R = unknown>(spec: JobSpec<D, R>): JobDefinition<D, R> {
  const common = checkCommon(spec);
  const schedule = spec.schedule && checkSchedule(spec.name, spec.schedule);
  return Object.freeze({ ...common, kind: "job", schedule, overlap: spec.overlap ?? (schedule ? "skip" : "allow") });
}

/** Declares a job whose runs with the same key execute strictly in order, different keys in parallel. */
export function definePartitionedJob<D, R = unknown>(spec: PartitionedJobSpec<D, R>): PartitionedJobDefinition<D, R> {
  const common = checkCommon(spec);
  positiveInt(`${spec.name}.partitions`, spec.partitions, 1024);
  return Object.freeze({ ...common, kind: "partitioned", partitions: spec.partitions, lanes: spec.lanes });
}
