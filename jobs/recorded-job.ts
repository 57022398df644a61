import { systemClock, type Clock, type Logger } from "../core/index.ts";
import type { Prisma, PrismaClient } from "../prisma/index.ts";
import type { AnyJobDefinition, JobContext } from "./runtime/define-job.ts";
import { actionFor, describeError } from "./runtime/error-policy.ts";

/** Options of `recordedJob`. */
export interface RecordedJobOptions {
  /** Attempts of jobs that declare none (JOBS_DEFAULT_ATTEMPTS), to tell a retried failure from a final one. */
  defaultAttempts: number;
  logger: Logger;
  clock?: Clock;
}

/** A non-final row older than this is a leftover of a crashed process, not this run's earlier attempt. */
const ADOPT_WITHIN_MS = 24 * 3_600_000;

/**
 * Wraps a job's handler so every run is recorded in `job_runs`, whichever runtime executes it: one row per run
 * (name and queue job id), RUNNING with its attempt on each try, progress as the handler reports it, then
 * SUCCEEDED with the result, FAILED while a retry will follow, or DEAD once the error policy gives up (the run
 * is dead-lettered). A row the API created as QUEUED when it enqueued the run is taken over. Recording is
 * best-effort: a database hiccup is logged and never fails the job itself.
 */
export function recordedJob<T extends AnyJobDefinition>(prisma: PrismaClient, def: T, opts: RecordedJobOptions): T {
  const clock = opts.clock ?? systemClock;
  const attempts = def.attempts ?? opts.defaultAttempts;
  const log = opts.logger.child({ job: def.name, component: "job-runs" });
  const safely = async <R>(what: string, fn: () => Promise<R>): Promise<R | undefined> => {
    try {
      return await fn();
    } catch (err) {
      log.warn({ err }, `job run could not be recorded (${what})`);
      return undefined;
    }
  };

  const handler = async (ctx: JobContext, data: unknown): Promise<unknown> => {
    const runId = await safely("start", () => startRun(prisma, def.name, ctx, clock.now()));
    const progress = progressWriter((fraction) => (runId ? safely("progress", () => prisma.jobRun.update({ where: { id: runId }, data: { progress: fraction } })) : Promise.resolve()));
    const inner: JobContext = {
      jobId: ctx.jobId,
      attempt: ctx.attempt,
      get signal() {
        return ctx.signal;
      },
      get logger() {
        return ctx.logger;
      },
      progress(fraction, note) {
        ctx.progress(fraction, note);
        if (Number.isFinite(fraction)) progress.push(Math.min(1, Math.max(0, fraction)));
      },
    };
    const finish = async (data: Prisma.JobRunUpdateInput) => {
      await progress.flush();
      if (runId) await safely("finish", () => prisma.jobRun.update({ where: { id: runId }, data: { ...data, attempts: ctx.attempt, finishedAt: new Date(clock.now()) } }));
    };
    try {
      const result = await def.handler(inner, data);
      await finish({ status: "SUCCEEDED", progress: 1, error: null, ...(result === undefined ? {} : { result: JSON.parse(JSON.stringify(result)) as Prisma.InputJsonValue }) });
      return result;
    } catch (err) {
      const e = describeError(err);
      const final = actionFor(err) === "fail" || ctx.attempt >= attempts;
      await finish({ status: final ? "DEAD" : "FAILED", error: e.code ? `${e.code}: ${e.message}` : e.message });
      throw err;
    }
  };
  return Object.freeze({ ...def, handler }) as unknown as T;
}

/**
 * Marks ABANDONED the runs a stopped process left QUEUED or RUNNING, created before `startedAt`. Only for a
 * process that alone runs jobs on its database (the in-process runtime on the embedded one, which a single
 * process can open): its queue lived in memory, so nothing will ever finish those runs. Returns how many.
 */
export async function abandonOrphanedRuns(prisma: PrismaClient, startedAt: Date): Promise<number> {
  const { count } = await prisma.jobRun.updateMany({
    where: { status: { in: ["QUEUED", "RUNNING"] }, createdAt: { lt: startedAt } },
    data: { status: "ABANDONED", finishedAt: startedAt, error: "the process that queued or ran it stopped before it finished; in-process jobs do not outlive their process" },
  });
  return count;
}

/** Opens the run's row: the API's QUEUED row or this run's row from an earlier attempt, else a new one. */
async function startRun(prisma: PrismaClient, name: string, ctx: JobContext, now: number): Promise<string> {
  const running = { status: "RUNNING" as const, attempts: ctx.attempt, startedAt: new Date(now), finishedAt: null, error: null };
  const earlier = await prisma.jobRun.findFirst({
    where: { name, jobId: ctx.jobId, status: { in: ["QUEUED", "RUNNING", "FAILED"] }, createdAt: { gte: new Date(now - ADOPT_WITHIN_MS) } },
    orderBy: { createdAt: "desc" },
    select: { id: true },
  });
  if (earlier) {
    await prisma.jobRun.update({ where: { id: earlier.id }, data: running });
    return earlier.id;
  }
  return (await prisma.jobRun.create({ data: { name, jobId: ctx.jobId, ...running }, select: { id: true } })).id;
}

/** Progress writes one at a time, the latest value winning, so a chatty handler costs at most one write in flight. */
function progressWriter(write: (fraction: number) => Promise<unknown>) {
  let pending: number | undefined;
  let inflight: Promise<void> | undefined;
  const drain = async () => {
    while (pending !== undefined) {
      const next = pending;
      pending = undefined;
      await write(next);
    }
    inflight = undefined;
  };
  return {
    push(fraction: number) {
      pending = fraction;
      inflight ??= drain();
    },
    async flush() {
      await inflight;
    },
  };
}
