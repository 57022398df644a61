import { setMaxListeners } from "node:events";
import cron from "node-cron";
import { invalid, notFound, RiskloopError } from "../../core/index.ts";
import type { AnyJobDefinition } from "./define-job.ts";
import { describeError } from "./error-policy.ts";
import { checkEnqueueOptions, deadLetterId, JobCatalog } from "./job-catalog.ts";
import {
  RUN_HISTORY,
  type DeadLetter,
  type EnqueueOptions,
  type EnqueueResult,
  type JobRef,
  type JobRuntime,
  type JobStatus,
  type PartitionedJobRef,
  type ResolvedRuntimeOptions,
  type RunOutcome,
  type RunRecord,
  type StartWorkersOptions,
} from "./job-runtime.ts";
import { MemoryLane, type LaneItem } from "./memory-lane.ts";
import { partitionOf } from "./partition-key.ts";
import { judgeAttempt, runWithInlineRetries, settleWithin, startAttempt, type AttemptResult, type AttemptVerdict } from "./run-attempt.ts";
import { JobsErrors } from "./runtime.errors.ts";

interface MemoryJob {
  def: AnyJobDefinition;
  attempts: number;
  lanes: MemoryLane[];
  /** Attempts holding a slot, across lanes; a `skip`-overlap job starts nothing while this is above 0. */
  running: number;
  delayed: number;
  counts: { completed: number; failed: number; skipped: number };
  recent: RunRecord[];
  dead: Map<string, DeadLetter>;
}

/**
 * Data and results pass through JSON, as they do on BullMQ, so a job behaves the same in both modes (a Decimal
 * arrives as its string, later changes by the caller do not leak in, unserialisable data fails at enqueue).
 */
function viaJson<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

interface Waiter {
  resolve(outcome: RunOutcome): void;
  reject(err: unknown): void;
}

/**
 * Single-process runtime: node-cron and timers for schedules, memory lanes for queues, the same error policy,
 * overlap rule and dead letters as on BullMQ. Queued work does not survive a restart.
 */
export class InProcessRuntime implements JobRuntime {
  readonly mode = "in-process";
  private readonly catalog = new JobCatalog<MemoryJob>();
  private readonly shutdown = new AbortController();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly schedules: Array<() => void> = [];
  private readonly inflight = new Set<Promise<void>>();
  private readonly waiters = new Map<string, Waiter>();
  /** Undefined until `startWorkers`; then the jobs this process runs (undefined `only` = all). */
  private workersFor: { only: ReadonlySet<string> | undefined } | undefined;
  private closed = false;
  private seq = 0;

  constructor(private readonly opts: ResolvedRuntimeOptions) {
    // Every running attempt listens to the shutdown signal; thousands at once are expected, not a leak.
    setMaxListeners(0, this.shutdown.signal);
  }

  async register(jobs: readonly AnyJobDefinition[]): Promise<void> {
    this.assertOpen();
    const added = this.catalog.add(jobs, (def) => ({
      def,
      attempts: def.attempts ?? this.opts.defaultAttempts,
      lanes: def.kind === "partitioned" ? Array.from({ length: def.partitions }, () => new MemoryLane(1)) : [new MemoryLane(this.opts.concurrency)],
      running: 0,
      delayed: 0,
      counts: { completed: 0, failed: 0, skipped: 0 },
      recent: [],
      dead: new Map(),
    }));
    for (const job of added) if (this.runsHere(job)) this.activate(job);
  }

  async enqueue<D>(ref: JobRef<D>, data: D, opts: EnqueueOptions = {}): Promise<EnqueueResult> {
    this.assertOpen();
    checkEnqueueOptions(opts);
    const job = this.catalog.plain(ref);
    return { jobId: this.admit(job, 0, { jobId: opts.jobId ?? this.nextId(), data: viaJson(data), attempt: 1 }, opts.delayMs) };
  }

  async enqueuePartitioned<D>(ref: PartitionedJobRef<D>, key: string, data: D, opts: { jobId?: string } = {}): Promise<EnqueueResult> {
    this.assertOpen();
    checkEnqueueOptions(opts);
    const job = this.catalog.partitioned(ref);
    const partition = partitionOf(key, job.def.partitions);
    return { jobId: this.admit(job, partition, { jobId: opts.jobId ?? this.nextId(), data: viaJson(data), attempt: 1, key }), partition };
  }

  async runNow<D, R>(ref: JobRef<D>, data: D): Promise<RunOutcome<R>> {
    this.assertOpen();
    const job = this.catalog.plain(ref);
    if (!this.runsHere(job)) throw invalid("runNow", `no worker runs "${job.def.name}" in this process: call startWorkers() first`);
    const jobId = this.nextId();
    // The waiter goes in before the job is admitted: a skipped run settles synchronously.
    const outcome = new Promise<RunOutcome>((resolve, reject) => this.waiters.set(`${job.def.name}/${jobId}`, { resolve, reject }));
    this.admit(job, 0, { jobId, data: viaJson(data), attempt: 1 });
    return outcome as Promise<RunOutcome<R>>;
  }

  async startWorkers(opts: StartWorkersOptions = {}): Promise<void> {
    this.assertOpen();
    if (this.workersFor) throw invalid("startWorkers", "workers are already started");
    this.workersFor = { only: opts.only && new Set(opts.only) };
    for (const job of this.catalog.values()) if (this.runsHere(job)) this.activate(job);
  }

  async status(name: string): Promise<JobStatus> {
    const job = this.catalog.get(name);
    const sum = (pick: (lane: MemoryLane) => number) => job.lanes.reduce((n, lane) => n + pick(lane), 0);
    return {
      name,
      kind: job.def.kind,
      schedule: job.def.kind === "job" ? job.def.schedule : undefined,
      counts: { waiting: sum((l) => l.length), active: sum((l) => l.running), delayed: job.delayed, ...job.counts, dead: job.dead.size },
      lastRuns: job.recent
        .slice()
        .reverse()
        .sort((a, b) => Number(b.state === "active") - Number(a.state === "active"))
        .map((r) => structuredClone(r)),
    };
  }

  async deadLetters(name: string): Promise<DeadLetter[]> {
    return [...this.catalog.get(name).dead.values()].reverse().map((d) => structuredClone(d));
  }

  async retryDead(name: string, id: string): Promise<EnqueueResult> {
    this.assertOpen();
    const job = this.catalog.get(name);
    const letter = job.dead.get(id);
    if (!letter) throw notFound("dead letter", id);
    job.dead.delete(id);
    const partition = letter.partition ?? 0;
    job.lanes[partition]!.forget(letter.jobId);
    const item: LaneItem = { jobId: letter.jobId, data: letter.data, attempt: 1, ...(letter.key === undefined ? {} : { key: letter.key }) };
    return { jobId: this.admit(job, partition, item), ...(letter.partition === undefined ? {} : { partition }) };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const stop of this.schedules) stop();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.shutdown.abort(new RiskloopError(JobsErrors.JOBS_ERR_ABORTED, "job runtime is closing"));
    if (!(await settleWithin(this.inflight, this.opts.closeGraceMs))) {
      this.opts.logger.warn({ running: this.inflight.size }, "jobs still running after the close grace period; abandoning them");
    }
    for (const job of this.catalog.values()) {
      job.delayed = 0;
      for (const lane of job.lanes) lane.clear();
    }
    for (const waiter of this.waiters.values()) waiter.reject(new RiskloopError(JobsErrors.JOBS_ERR_CLOSED, "job runtime closed before the run finished"));
    this.waiters.clear();
  }

  private assertOpen(): void {
    if (this.closed) throw new RiskloopError(JobsErrors.JOBS_ERR_CLOSED, "job runtime is closed");
  }

  private nextId(): string {
    return String(++this.seq);
  }

  private runsHere(job: MemoryJob): boolean {
    return this.workersFor !== undefined && !this.closed && (this.workersFor.only === undefined || this.workersFor.only.has(job.def.name));
  }

  /** Queues an item unless its lane still remembers the id (idempotent enqueue); returns the id. */
  private admit(job: MemoryJob, partition: number, item: LaneItem, delayMs = 0): string {
    const lane = job.lanes[partition]!;
    if (lane.has(item.jobId)) return item.jobId;
    lane.claim(item.jobId);
    if (delayMs > 0) this.later(job, lane, item, delayMs);
    else {
      lane.push(item);
      this.pump(job, lane);
    }
    return item.jobId;
  }

  private later(job: MemoryJob, lane: MemoryLane, item: LaneItem, delayMs: number): void {
    job.delayed++;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      job.delayed--;
      lane.push(item);
      this.pump(job, lane);
    }, delayMs);
    this.timers.add(timer);
  }

  private activate(job: MemoryJob): void {
    for (const lane of job.lanes) this.pump(job, lane);
    const schedule = job.def.kind === "job" ? job.def.schedule : undefined;
    if (!schedule) return;
    const fire = () => {
      if (!this.closed) this.admit(job, 0, { jobId: this.nextId(), data: undefined, attempt: 1 });
    };
    if ("everyMs" in schedule) {
      const timer = setInterval(fire, schedule.everyMs);
      this.schedules.push(() => clearInterval(timer));
    } else {
      const log = this.opts.logger.child({ job: job.def.name, component: "node-cron" });
      const task = cron.schedule(schedule.cron, fire, {
        name: `${this.opts.prefix}:${job.def.name}`,
        timezone: schedule.timezone,
        logger: { info: (m) => log.debug(m), warn: (m) => log.warn(m), error: (m) => log.error(m), debug: (m) => log.debug(m) },
      });
      this.schedules.push(() => void task.destroy());
    }
  }

  private pump(job: MemoryJob, lane: MemoryLane): void {
    if (!this.runsHere(job)) return;
    for (let next = lane.peek(); next; next = lane.peek()) {
      if (job.def.kind === "job" && job.def.overlap === "skip" && job.running > 0) {
        lane.shift();
        this.skip(job, lane, next);
        continue;
      }
      if (lane.running >= lane.limit) return;
      lane.shift();
      this.start(job, lane, next);
    }
  }

  private start(job: MemoryJob, lane: MemoryLane, item: LaneItem): void {
    lane.running++;
    job.running++;
    const partition = job.def.kind === "partitioned" ? job.lanes.indexOf(lane) : undefined;
    const spec = { def: job.def, jobId: item.jobId, data: item.data, signals: [this.shutdown.signal], logger: this.opts.logger };
    let done: Promise<void>;
    if (partition === undefined) {
      const record = this.record(job, item.jobId, item.attempt, undefined);
      const attempt = startAttempt({ ...spec, attempt: item.attempt, onProgress: (p) => (record.progress = p) });
      void attempt.result.then((result) => this.afterAttempt(job, lane, item, record, result));
      done = attempt.settled;
    } else {
      let record: RunRecord;
      done = runWithInlineRetries(spec, job.attempts, this.shutdown.signal, {
        begin: (attempt) => {
          const current = this.record(job, item.jobId, attempt, partition);
          record = current;
          return (p) => (current.progress = p);
        },
        end: (attempt, result, verdict) => {
          this.finishRecord(job, record, result, verdict);
          if (verdict.end === "completed") this.succeed(job, lane, item.jobId, attempt, result);
          else if (verdict.end === "failed") this.bury(job, lane, item, attempt, result, partition);
        },
      }).then(() => undefined);
    }
    const tracked: Promise<void> = done
      .catch((err: unknown) => this.opts.logger.error({ err, job: job.def.name }, "job runtime bookkeeping failed"))
      .finally(() => {
        lane.running--;
        job.running--;
        this.inflight.delete(tracked);
        this.pump(job, lane);
      });
    this.inflight.add(tracked);
  }

  private afterAttempt(job: MemoryJob, lane: MemoryLane, item: LaneItem, record: RunRecord, result: AttemptResult): void {
    const verdict = judgeAttempt(result, item.attempt, job.attempts, job.def, this.shutdown.signal);
    this.finishRecord(job, record, result, verdict);
    if (verdict.end === "completed") this.succeed(job, lane, item.jobId, item.attempt, result);
    else if (verdict.end === "failed") this.bury(job, lane, item, item.attempt, result, undefined);
    else if (verdict.end === "retrying" && !this.closed) this.later(job, lane, { ...item, attempt: item.attempt + 1 }, verdict.delayMs);
  }

  private succeed(job: MemoryJob, lane: MemoryLane, jobId: string, attempts: number, result: AttemptResult): void {
    job.counts.completed++;
    lane.finish(jobId);
    this.settle(job, jobId, { status: "completed", jobId, attempts, result: result.ok ? viaJson(result.value) : undefined });
  }

  private bury(job: MemoryJob, lane: MemoryLane, item: LaneItem, attempts: number, result: AttemptResult, partition: number | undefined): void {
    const error = describeError(result.ok ? undefined : result.error);
    const id = deadLetterId(job.def.name, item.jobId, partition);
    job.counts.failed++;
    const lanePart = partition === undefined ? {} : { key: item.key, partition };
    job.dead.set(id, { id, job: job.def.name, jobId: item.jobId, data: item.data, ...lanePart, attempts, error, failedAt: Date.now() });
    lane.finish(item.jobId);
    this.opts.logger.warn({ job: job.def.name, jobId: item.jobId, attempts, error }, "job failed for good; dead-lettered");
    this.settle(job, item.jobId, { status: "failed", jobId: item.jobId, attempts, error });
  }

  private skip(job: MemoryJob, lane: MemoryLane, item: LaneItem): void {
    const now = Date.now();
    this.record(job, item.jobId, item.attempt, undefined, { state: "skipped", startedAt: now, finishedAt: now });
    job.counts.skipped++;
    lane.finish(item.jobId);
    this.settle(job, item.jobId, { status: "skipped", jobId: item.jobId, reason: "overlap" });
  }

  private settle(job: MemoryJob, jobId: string, outcome: RunOutcome): void {
    const key = `${job.def.name}/${jobId}`;
    this.waiters.get(key)?.resolve(outcome);
    this.waiters.delete(key);
  }

  private record(job: MemoryJob, jobId: string, attempt: number, partition: number | undefined, extra: Partial<RunRecord> = {}): RunRecord {
    const record: RunRecord = { jobId, attempt, state: "active", startedAt: Date.now(), ...(partition === undefined ? {} : { partition }), ...extra };
    job.recent.push(record);
    // Active records must stay visible however many runs finish meanwhile.
    while (job.recent.length > RUN_HISTORY) {
      const oldest = job.recent.findIndex((r) => r.state !== "active");
      if (oldest < 0) break;
      job.recent.splice(oldest, 1);
    }
    return record;
  }

  /** Records are kept in finishing order, as on BullMQ, so `lastRuns` reads most recently finished first. */
  private finishRecord(job: MemoryJob, record: RunRecord, result: AttemptResult, verdict: AttemptVerdict): void {
    const at = job.recent.indexOf(record);
    if (at >= 0) job.recent.splice(at, 1);
    job.recent.push(record);
    record.state = verdict.end;
    record.finishedAt = Date.now();
    if (!result.ok) record.error = describeError(result.error);
  }
}
