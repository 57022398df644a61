import { randomUUID } from "node:crypto";
import { setMaxListeners } from "node:events";
import { hostname } from "node:os";
import { Queue, QueueEvents, UnrecoverableError, WaitingError, Worker, type ConnectionOptions, type Job, type JobsOptions, type RepeatOptions } from "bullmq";
import { CoreErrors, invalid, notFound, RiskloopError } from "../../core/index.ts";
import type { AnyJobDefinition, JobSchedule } from "./define-job.ts";
import { describeError, retryDelayMs } from "./error-policy.ts";
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
  type RunProgress,
  type RunRecord,
  type StartWorkersOptions,
} from "./job-runtime.ts";
import { takeOverlapLock, type OverlapLock } from "./overlap-lock.ts";
import { partitionOf } from "./partition-key.ts";
import { assertRedisDriver } from "./redis-driver.ts";
import { RedisJobStore, type RunCounter } from "./redis-job-store.ts";
import { judgeAttempt, runWithInlineRetries, settleWithin, startAttempt, type AttemptResult, type AttemptVerdict } from "./run-attempt.ts";
import { JobsErrors } from "./runtime.errors.ts";

/** What a BullMQ job carries: the caller's data (absent for scheduled runs) and, when partitioned, its key. */
interface Envelope {
  data?: unknown;
  key?: string;
}

interface BullJob {
  def: AnyJobDefinition;
  attempts: number;
  /** One queue, or `<name>.p<i>` per partition (BullMQ forbids ":" in queue names). */
  queues: Queue<Envelope>[];
  dead: Queue<DeadLetter>;
  events: Promise<QueueEvents> | undefined;
}

/** How often a worker process renews its membership among a partitioned job's consumers, and when it lapses. */
export const LANE_HEARTBEAT_MS = 1_000;
export const LANE_TTL_MS = 5_000;

/** The lanes of one partitioned job this process consumes: lane → its Worker. */
interface LaneWorkers {
  job: BullJob;
  members: readonly string[];
  running: Map<number, Worker>;
  /** Lanes handed back whose workers are closing and whose `released` hook has not returned yet. */
  closing: Set<number>;
  /** A take of lanes is under way (one at a time). */
  taking: boolean;
}

/**
 * The lanes a member takes: lane i goes to the member ranked i mod n among the n live members (sorted ids), so
 * every process computes the same split. A process that cannot see itself among them (Redis away at its first
 * heartbeat) takes every lane, as a lone worker would. A lane the split gives a process is consumed there only
 * once no other live process holds it (`RedisJobStore.takeLanes`): the previous holder gives it up after its
 * Worker closed and its `released` hook returned, so a lane's jobs, and whatever its hooks open, are never in two
 * processes.
 */
export function lanesOf(member: string, members: readonly string[], partitions: number): number[] {
  const rank = members.indexOf(member);
  const all = Array.from({ length: partitions }, (_, i) => i);
  return rank < 0 ? all : all.filter((lane) => lane % members.length === rank);
}

/** The return value that marks a run skipped by the no-overlap rule. */
const SKIPPED = { riskloopSkipped: "overlap" } as const;
/** Finished jobs BullMQ keeps per queue: the window in which a repeated jobId is still recognised. */
const KEEP_FINISHED = { count: 10_000 };

const isSkipped = (value: unknown) => typeof value === "object" && value !== null && "riskloopSkipped" in value;
const counterFor: Partial<Record<AttemptVerdict["end"], RunCounter>> = { completed: "completed", failed: "failed" };

function repeatOf(schedule: JobSchedule): Omit<RepeatOptions, "key"> {
  return "everyMs" in schedule ? { every: schedule.everyMs } : { pattern: schedule.cron, ...(schedule.timezone ? { tz: schedule.timezone } : {}) };
}

/**
 * Runtime on BullMQ 6: one queue per job (N for partitioned jobs, each with a global concurrency of 1), job
 * schedulers for schedules, a `<name>.dead` queue for dead letters. Processes that only enqueue never start
 * workers; `riskloop worker` processes do, on any number of machines.
 */
export class BullmqRuntime implements JobRuntime {
  readonly mode = "bullmq";
  private readonly catalog = new JobCatalog<BullJob>();
  private readonly store: RedisJobStore;
  private readonly shutdown = new AbortController();
  private readonly workers: Worker[] = [];
  /** Partitioned jobs run here, with the lanes this process holds; see `lanesOf`. */
  private readonly lanes = new Map<string, LaneWorkers>();
  /** This process among a partitioned job's consumers: readable in `status`, unique per start. */
  private readonly member = `${hostname()}.${process.pid}.${randomUUID().slice(0, 8)}`;
  private heartbeat: NodeJS.Timeout | undefined;
  /** Lanes handed to another process: their workers finishing the running job, then the job's `released` hook; `close` waits for them too. */
  private readonly releasing = new Set<Promise<void>>();
  private readonly inflight = new Set<Promise<void>>();
  /** Producers fail fast while Redis is away (the API answers 503); workers wait for it (BullMQ requires null). */
  private readonly producer: ConnectionOptions;
  private readonly consumer: ConnectionOptions;
  /** Undefined until `startWorkers`; then the jobs this process runs (undefined `only` = all). */
  private workersFor: { only: ReadonlySet<string> | undefined } | undefined;
  private closed = false;

  constructor(
    private readonly redisUrl: string,
    private readonly opts: ResolvedRuntimeOptions,
  ) {
    assertRedisDriver();
    // Every running attempt listens to the shutdown signal; thousands at once are expected, not a leak.
    setMaxListeners(0, this.shutdown.signal);
    this.producer = { url: redisUrl, maxRetriesPerRequest: 2 };
    this.consumer = { url: redisUrl, maxRetriesPerRequest: null };
    this.store = new RedisJobStore(redisUrl, opts.prefix, opts.logger, RUN_HISTORY);
  }

  async register(jobs: readonly AnyJobDefinition[]): Promise<void> {
    this.assertOpen();
    const added = this.catalog.add(jobs, (def) => this.declare(def));
    await this.produce(() => Promise.all(added.map((job) => this.reconcile(job))));
    for (const job of added) if (this.runsHere(job)) this.spawn(job);
  }

  async enqueue<D>(ref: JobRef<D>, data: D, opts: EnqueueOptions = {}): Promise<EnqueueResult> {
    this.assertOpen();
    checkEnqueueOptions(opts);
    const job = this.catalog.plain(ref);
    const jobOpts = { ...this.jobOptions(job), ...(opts.jobId ? { jobId: opts.jobId } : {}), ...(opts.delayMs ? { delay: opts.delayMs } : {}) };
    const added = await this.produce(() => job.queues[0]!.add(job.def.name, { data }, jobOpts));
    return { jobId: added.id! };
  }

  async enqueuePartitioned<D>(ref: PartitionedJobRef<D>, key: string, data: D, opts: { jobId?: string } = {}): Promise<EnqueueResult> {
    this.assertOpen();
    checkEnqueueOptions(opts);
    const job = this.catalog.partitioned(ref);
    const partition = partitionOf(key, job.def.partitions);
    const jobOpts = { ...this.jobOptions(job), ...(opts.jobId ? { jobId: opts.jobId } : {}) };
    const added = await this.produce(() => job.queues[partition]!.add(job.def.name, { data, key }, jobOpts));
    return { jobId: added.id!, partition };
  }

  async runNow<D, R>(ref: JobRef<D>, data: D): Promise<RunOutcome<R>> {
    this.assertOpen();
    const job = this.catalog.plain(ref);
    const events = await this.produce(() => (job.events ??= this.openEvents(job)));
    const added = await this.produce(() => job.queues[0]!.add(job.def.name, { data }, this.jobOptions(job)));
    let stop = () => {};
    const closed = new Promise<never>((_, reject) => {
      const onClose = () => reject(new RiskloopError(JobsErrors.JOBS_ERR_CLOSED, "job runtime closed before the run finished"));
      this.shutdown.signal.addEventListener("abort", onClose, { once: true });
      stop = () => this.shutdown.signal.removeEventListener("abort", onClose);
    });
    try {
      // A final failure rejects here; the outcome is read back from the job and its dead letter either way.
      await Promise.race([added.waitUntilFinished(events).catch(() => undefined), closed]);
    } finally {
      stop();
    }
    return (await this.outcomeOf(job, added.id!)) as RunOutcome<R>;
  }

  async startWorkers(opts: StartWorkersOptions = {}): Promise<void> {
    this.assertOpen();
    if (this.workersFor) throw invalid("startWorkers", "workers are already started");
    this.workersFor = { only: opts.only && new Set(opts.only) };
    for (const job of this.catalog.values()) if (this.runsHere(job)) this.spawn(job);
    await this.beat();
    this.heartbeat = setInterval(() => void this.beat(), LANE_HEARTBEAT_MS);
    this.heartbeat.unref();
    await this.produce(() => Promise.all(this.allWorkers().map((w) => w.waitUntilReady())));
  }

  /**
   * Renews this process' membership among each partitioned job's consumers and takes or hands back lanes when
   * the members changed. While Redis is away the last split stays in force.
   */
  private async beat(): Promise<void> {
    await Promise.all(
      [...this.lanes].map(async ([name, lanes]) => {
        try {
          const running = [...lanes.running.keys()];
          const [members, held] = await Promise.all([this.store.laneMembers(name, this.member, LANE_TTL_MS), this.store.renewHolds(name, this.member, LANE_TTL_MS)]);
          // Stalled past the ttl (a long synchronous task, say), this process may have lost lanes to another: it
          // stops them at once. (Only lanes it ran before asking: one taken meanwhile is not in the answer yet.)
          const mine = new Set(held);
          const lost = running.filter((lane) => lanes.running.has(lane) && !mine.has(lane));
          if (lost.length > 0) {
            this.opts.logger.warn({ job: name, lanes: lost }, "lanes taken over by another worker while this one stalled; stopping them here");
            this.handBack(lanes, lost, false);
          }
          if (members.join() === lanes.members.join()) return void this.take(lanes);
          lanes.members = members;
          this.assign(lanes);
        } catch (err) {
          this.opts.logger.warn({ err, job: name }, "lane membership not renewed; keeping the current lanes");
        }
      }),
    );
  }

  /** The plain jobs' workers and those of the lanes this process holds. */
  private allWorkers(): Worker[] {
    return [...this.workers, ...[...this.lanes.values()].flatMap((l) => [...l.running.values()])];
  }

  /**
   * Closes the Workers of lanes the split no longer gives this process (each finishes its running job), tells the
   * job's `released` hook and gives the lanes up; then takes the lanes it gives this process (`take`).
   */
  private assign(lanes: LaneWorkers): void {
    if (this.closed) return;
    const mine = new Set(lanesOf(this.member, lanes.members, lanes.job.queues.length));
    this.opts.logger.info({ job: lanes.job.def.name, lanes: [...mine], workers: lanes.members.length }, "lanes assigned to this worker");
    this.handBack(lanes, [...lanes.running.keys()].filter((lane) => !mine.has(lane)), true);
    void this.take(lanes);
  }

  /**
   * Closes these lanes' Workers (each finishes its running job), tells the job's `released` hook, then gives the
   * holds up (`give`; not for lanes another process already took) unless the split gave a lane back meanwhile.
   */
  private handBack(lanes: LaneWorkers, released: number[], give: boolean): void {
    if (released.length === 0) return;
    const closings: Promise<void>[] = [];
    for (const lane of released) {
      const worker = lanes.running.get(lane)!;
      lanes.running.delete(lane);
      lanes.closing.add(lane);
      closings.push(worker.close().catch((err: unknown) => this.opts.logger.warn({ err, lane }, "a handed-back lane's worker did not close cleanly")));
    }
    const handedBack = Promise.all(closings)
      .then(() => this.tell(lanes, "released", released))
      .then(() => {
        for (const lane of released) lanes.closing.delete(lane);
        // A lane the split gave back to this process meanwhile stays held (and is taken up again below).
        const now = new Set(this.closed ? [] : lanesOf(this.member, lanes.members, lanes.job.queues.length));
        return give ? this.store.giveLanes(lanes.job.def.name, this.member, released.filter((lane) => !now.has(lane))) : undefined;
      })
      .catch((err: unknown) => this.opts.logger.warn({ err, job: lanes.job.def.name, lanes: released }, "handed-back lanes not given up; they lapse with this process' holds"))
      .then(() => this.take(lanes));
    this.releasing.add(handedBack);
    void handedBack.finally(() => this.releasing.delete(handedBack));
  }

  /**
   * Starts Workers for the lanes the split gives this process that it can take (no other live process holds
   * them), and tells the job's `taken` hook. Lanes still held elsewhere are tried again at the next heartbeat.
   */
  private async take(lanes: LaneWorkers): Promise<void> {
    const name = lanes.job.def.name;
    const wanted = lanesOf(this.member, lanes.members, lanes.job.queues.length).filter((lane) => !lanes.running.has(lane) && !lanes.closing.has(lane));
    if (this.closed || lanes.taking || wanted.length === 0) return;
    lanes.taking = true;
    try {
      const got = await this.store.takeLanes(name, this.member, wanted, LANE_TTL_MS);
      // The split may have moved while the take was under way: a lane no longer this process' goes back at once.
      const mine = new Set(this.closed ? [] : lanesOf(this.member, lanes.members, lanes.job.queues.length));
      const taken = got.filter((lane) => mine.has(lane) && !lanes.running.has(lane) && !lanes.closing.has(lane));
      await this.store.giveLanes(name, this.member, got.filter((lane) => !mine.has(lane) && !lanes.running.has(lane) && !lanes.closing.has(lane)));
      for (const lane of taken) lanes.running.set(lane, this.worker(lanes.job, lane));
      if (taken.length > 0) this.opts.logger.info({ job: name, taken, waiting: wanted.filter((lane) => !got.includes(lane)) }, "lanes taken up by this worker");
      await this.tell(lanes, "taken", taken);
    } catch (err) {
      this.opts.logger.warn({ err, job: name, lanes: wanted }, "lanes not taken; trying again at the next heartbeat");
    } finally {
      lanes.taking = false;
    }
  }

  private async tell(lanes: LaneWorkers, what: "taken" | "released", changed: number[]): Promise<void> {
    const def = lanes.job.def;
    if (changed.length === 0 || def.kind !== "partitioned") return;
    try {
      await def.lanes?.[what]?.(changed);
    } catch (err) {
      this.opts.logger.warn({ err, job: def.name, lanes: changed }, `the job's ${what}-lanes hook failed`);
    }
  }

  async status(name: string): Promise<JobStatus> {
    const job = this.catalog.get(name);
    // Read-your-writes within this process; runs finished by other workers show within RUN_LOG_FLUSH_MS.
    await this.store.flush();
    const [depths, counters, dead, recent, active, members] = await this.produce(() =>
      Promise.all([
        Promise.all(job.queues.map((q) => q.getJobCounts("wait", "active", "delayed"))),
        this.store.counters(name),
        job.dead.getJobCountByTypes("wait"),
        this.store.recentRuns(name, RUN_HISTORY),
        Promise.all(job.queues.map((q) => q.getActive(0, RUN_HISTORY - 1))),
        job.def.kind === "partitioned" ? this.store.liveLaneMembers(name, LANE_TTL_MS) : undefined,
      ]),
    );
    const depth = (type: string) => depths.reduce((n, d) => n + (d[type] ?? 0), 0);
    const activeRuns = active.flatMap((jobs, index) =>
      jobs.map((bull): RunRecord => ({
        jobId: bull.id!,
        attempt: bull.attemptsMade + 1,
        state: "active",
        startedAt: bull.processedOn ?? bull.timestamp,
        ...(typeof bull.progress === "object" ? { progress: bull.progress as unknown as RunProgress } : {}),
        ...(job.def.kind === "partitioned" ? { partition: index } : {}),
      })),
    );
    return {
      name,
      kind: job.def.kind,
      schedule: job.def.kind === "job" ? job.def.schedule : undefined,
      counts: { waiting: depth("wait"), active: depth("active"), delayed: depth("delayed"), ...counters, dead },
      lastRuns: [...activeRuns, ...recent].slice(0, RUN_HISTORY),
      ...(members ? { lanes: members.map((worker) => ({ worker, lanes: lanesOf(worker, members, job.queues.length) })) } : {}),
    };
  }

  async deadLetters(name: string): Promise<DeadLetter[]> {
    const job = this.catalog.get(name);
    const jobs = await this.produce(() => job.dead.getJobs(["wait"], 0, 999));
    return jobs.map((j) => j.data).sort((a, b) => b.failedAt - a.failedAt);
  }

  async retryDead(name: string, id: string): Promise<EnqueueResult> {
    this.assertOpen();
    const job = this.catalog.get(name);
    return this.produce(async () => {
      const dead = await job.dead.getJob(id);
      if (!dead) throw notFound("dead letter", id);
      const letter = dead.data;
      const queue = job.queues[letter.partition ?? 0]!;
      const original = await queue.getJob(letter.jobId);
      if (original && (await original.isFailed())) await original.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true });
      else await queue.add(job.def.name, { data: letter.data, ...(letter.key === undefined ? {} : { key: letter.key }) }, { ...this.jobOptions(job), jobId: letter.jobId });
      await dead.remove();
      return { jobId: letter.jobId, ...(letter.partition === undefined ? {} : { partition: letter.partition }) };
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    // Leaving first lets the other workers count this process out at their next heartbeat; they take its lanes
    // once it gave them up below (its holds are renewed until then).
    const holding = setInterval(() => {
      for (const name of this.lanes.keys()) this.store.renewHolds(name, this.member, LANE_TTL_MS).catch(() => {});
    }, LANE_HEARTBEAT_MS);
    await Promise.allSettled([...this.lanes.keys()].map((name) => this.store.leaveLanes(name, this.member)));
    this.shutdown.abort(new RiskloopError(JobsErrors.JOBS_ERR_ABORTED, "job runtime is closing"));
    // Handlers see the abort at once; a processor returns as soon as its attempt does (bounded by the abandon delay).
    await Promise.all([...this.allWorkers().map((w) => w.close()), ...this.releasing]);
    await Promise.allSettled([...this.lanes].map(([name, lanes]) => this.store.giveLanes(name, this.member, [...lanes.running.keys()])));
    clearInterval(holding);
    if (!(await settleWithin(this.inflight, this.opts.closeGraceMs))) {
      this.opts.logger.warn({ running: this.inflight.size }, "handlers still running after the close grace period; their locks will expire");
    }
    const jobs = [...this.catalog.values()];
    await Promise.allSettled(jobs.map(async (job) => (await job.events)?.close()));
    await Promise.allSettled(jobs.flatMap((job) => [...job.queues, job.dead].map((q) => q.close())));
    await this.store.close();
  }

  /** Deletes every Redis key under this runtime's prefix (tests, decommissioning); works before or after `close`. */
  async purge(): Promise<number> {
    const store = new RedisJobStore(this.redisUrl, this.opts.prefix, this.opts.logger, RUN_HISTORY);
    try {
      return await store.purge();
    } finally {
      await store.close();
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new RiskloopError(JobsErrors.JOBS_ERR_CLOSED, "job runtime is closed");
  }

  private runsHere(job: BullJob): boolean {
    return this.workersFor !== undefined && (this.workersFor.only === undefined || this.workersFor.only.has(job.def.name));
  }

  /** Maps Redis and BullMQ failures to a transient error the API can answer with 503. */
  private async produce<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof RiskloopError) throw err;
      throw new RiskloopError(CoreErrors.CORE_ERR_UNAVAILABLE, `job queue unavailable: ${(err as Error).message}`, undefined, { cause: err });
    }
  }

  private queue<T>(name: string, keepFinished: boolean): Queue<T> {
    const queue = new Queue<T>(name, {
      connection: this.producer,
      prefix: this.opts.prefix,
      ...(keepFinished ? { defaultJobOptions: { removeOnComplete: KEEP_FINISHED, removeOnFail: KEEP_FINISHED } } : {}),
    });
    queue.on("error", (err) => this.opts.logger.warn({ err, queue: name }, "job queue error"));
    return queue;
  }

  private declare(def: AnyJobDefinition): BullJob {
    const names = def.kind === "partitioned" ? Array.from({ length: def.partitions }, (_, i) => `${def.name}.p${i}`) : [def.name];
    return {
      def,
      attempts: def.attempts ?? this.opts.defaultAttempts,
      queues: names.map((n) => this.queue<Envelope>(n, true)),
      dead: this.queue<DeadLetter>(`${def.name}.dead`, false),
      events: undefined,
    };
  }

  /** Brings Redis in line with the definition: lane concurrency, and the schedule (upserted, or removed when dropped). */
  private async reconcile(job: BullJob): Promise<void> {
    if (job.def.kind === "partitioned") {
      await Promise.all(job.queues.map((q) => q.setGlobalConcurrency(1)));
      return;
    }
    const queue = job.queues[0]!;
    if (job.def.schedule) {
      await queue.upsertJobScheduler(job.def.name, repeatOf(job.def.schedule), { name: job.def.name, data: {}, opts: this.jobOptions(job) });
    } else {
      await queue.removeJobScheduler(job.def.name);
    }
  }

  /** Partitioned jobs retry inside the processor (attempts: 1 here) so no later job of the lane overtakes a retry. */
  private jobOptions(job: BullJob): JobsOptions {
    if (job.def.kind === "partitioned") return { attempts: 1 };
    return { attempts: job.attempts, backoff: { type: "riskloop", delay: job.def.backoff.delayMs } };
  }

  /** Opened on the first `runNow` only: each QueueEvents holds a blocking connection. */
  private async openEvents(job: BullJob): Promise<QueueEvents> {
    const name = job.def.name;
    const events = new QueueEvents(name, { connection: this.consumer, prefix: this.opts.prefix });
    events.on("error", (err) => this.opts.logger.warn({ err, queue: name }, "queue events error"));
    try {
      await events.waitUntilReady();
      return events;
    } catch (err) {
      job.events = undefined;
      await events.close();
      throw err;
    }
  }

  /**
   * Starts consuming a job: a plain job's queue here, a partitioned job's lanes once its membership is known
   * (until the first heartbeat this process counts as the only member).
   */
  private spawn(job: BullJob): void {
    if (job.def.kind === "partitioned") {
      const lanes: LaneWorkers = { job, members: [this.member], running: new Map(), closing: new Set(), taking: false };
      this.lanes.set(job.def.name, lanes);
      this.assign(lanes);
      return;
    }
    this.workers.push(this.worker(job, undefined));
  }

  private worker(job: BullJob, partition: number | undefined): Worker {
    const { def } = job;
    const queue = job.queues[partition ?? 0]!;
    // A skip-overlap job needs a free slot for the second trigger, or it would wait instead of being skipped.
    const skipsOverlap = def.kind === "job" && def.overlap === "skip";
    const concurrency = partition !== undefined ? 1 : skipsOverlap ? Math.max(2, this.opts.concurrency) : this.opts.concurrency;
    // Two parameters, not three: BullMQ then skips a per-job AbortController (its signal only serves cancelJob).
    const worker = new Worker<Envelope>(queue.name, (bull, token) => this.process(job, partition, bull, token), {
      connection: this.consumer,
      prefix: this.opts.prefix,
      concurrency,
      settings: { backoffStrategy: (attemptsMade: number, _type?: string, err?: Error) => retryDelayMs(def.backoff, attemptsMade, err) },
    });
    worker.on("error", (err) => this.opts.logger.warn({ err, queue: queue.name }, "job worker error"));
    return worker;
  }

  private async process(job: BullJob, partition: number | undefined, bull: Job<Envelope>, token?: string): Promise<unknown> {
    const jobId = bull.id!;
    const envelope = bull.data ?? {};
    const signals = [this.shutdown.signal];
    const spec = { def: job.def, jobId, data: envelope.data, logger: this.opts.logger };
    const progressTo = (record: RunRecord) => (progress: RunProgress) => {
      record.progress = progress;
      bull.updateProgress({ ...progress }).catch((err: unknown) => this.opts.logger.debug({ err, jobId }, "progress not saved"));
    };

    if (partition !== undefined) {
      let record!: RunRecord;
      const run = await runWithInlineRetries({ ...spec, signals }, job.attempts, this.shutdown.signal, {
        begin: (attempt) => progressTo((record = { jobId, attempt, state: "active", startedAt: Date.now(), partition })),
        end: (_, result, verdict) => this.recordAttempt(job, record, result, verdict),
      });
      return this.conclude(job, partition, bull, token, run.end === "completed" ? { ok: true, value: run.value } : { ok: false, error: run.error }, run.end, run.attempts);
    }

    let lock: OverlapLock | undefined;
    if (job.def.kind === "job" && job.def.overlap === "skip") {
      lock = await takeOverlapLock(this.store, job.def.name, this.opts.logger);
      if (!lock) {
        const now = Date.now();
        this.store.recordRun(job.def.name, { jobId, attempt: bull.attemptsMade + 1, state: "skipped", startedAt: now, finishedAt: now }, "skipped");
        return SKIPPED;
      }
    }
    const attempt = bull.attemptsMade + 1;
    const record: RunRecord = { jobId, attempt, state: "active", startedAt: Date.now() };
    const run = startAttempt({ ...spec, attempt, signals: lock ? [...signals, lock.lost] : signals, onProgress: progressTo(record) });
    const held = run.settled.then(() => lock?.release());
    this.inflight.add(held);
    void held.finally(() => this.inflight.delete(held));
    const result = await run.result;
    const verdict = judgeAttempt(result, attempt, bull.opts.attempts ?? job.attempts, job.def, this.shutdown.signal);
    this.recordAttempt(job, record, result, verdict);
    return this.conclude(job, undefined, bull, token, result, verdict.end, attempt);
  }

  /** Hands the attempt's end to BullMQ: a value completes, an error retries, UnrecoverableError fails, WaitingError requeues. */
  private async conclude(
    job: BullJob,
    partition: number | undefined,
    bull: Job<Envelope>,
    token: string | undefined,
    result: AttemptResult,
    end: AttemptVerdict["end"],
    attempts: number,
  ): Promise<unknown> {
    if (result.ok) return result.value;
    if (end === "interrupted") {
      // Back to the head of the queue, uncounted, so another worker resumes it (in order, for a partition).
      await bull.moveToWait(token);
      throw new WaitingError();
    }
    if (end === "retrying") throw result.error instanceof Error ? result.error : new Error(String(result.error));
    const error = describeError(result.error);
    const id = deadLetterId(job.def.name, bull.id!, partition);
    const envelope = bull.data ?? {};
    const lanePart = partition === undefined ? {} : { key: envelope.key, partition };
    await job.dead.add(job.def.name, { id, job: job.def.name, jobId: bull.id!, data: envelope.data, ...lanePart, attempts, error, failedAt: Date.now() }, { jobId: id });
    this.opts.logger.warn({ job: job.def.name, jobId: bull.id, attempts, error }, "job failed for good; dead-lettered");
    throw new UnrecoverableError(error.message);
  }

  private recordAttempt(job: BullJob, record: RunRecord, result: AttemptResult, verdict: AttemptVerdict): void {
    record.state = verdict.end;
    record.finishedAt = Date.now();
    if (!result.ok) record.error = describeError(result.error);
    this.store.recordRun(job.def.name, record, counterFor[verdict.end]);
  }

  private async outcomeOf(job: BullJob, jobId: string): Promise<RunOutcome> {
    const bull = await this.produce(() => job.queues[0]!.getJob(jobId));
    if (!bull) throw notFound("job", jobId);
    if ((await this.produce(() => bull.getState())) === "completed") {
      return isSkipped(bull.returnvalue)
        ? { status: "skipped", jobId, reason: "overlap" }
        : { status: "completed", jobId, attempts: bull.attemptsMade, result: bull.returnvalue };
    }
    const dead = await this.produce(() => job.dead.getJob(deadLetterId(job.def.name, jobId, undefined)));
    return { status: "failed", jobId, attempts: bull.attemptsMade, error: dead?.data.error ?? { message: bull.failedReason } };
  }
}
