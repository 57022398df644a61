import { randomBytes } from "node:crypto";
import { setImmediate as yieldTurn } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CoreErrors, createLogger, dec, invalid, RiskloopError, type Decimal } from "../../core/index.ts";
import { eventually } from "../../test/kit/eventually.ts";
import { REDIS_URL, requireServices, serviceAvailable } from "../../test/kit/services.ts";
import type { BullmqRuntime } from "./bullmq-runtime.ts";
import { createJobRuntime } from "./create-job-runtime.ts";
import { defineJob, definePartitionedJob, type JobContext } from "./define-job.ts";
import type { JobRuntime } from "./job-runtime.ts";
import { partitionOf } from "./partition-key.ts";
import { redisDriverAvailable } from "./redis-driver.ts";
import { JobsErrors } from "./runtime.errors.ts";

/** Creates runtimes for one test and tears them all down afterwards (closing, and purging Redis keys). */
interface RuntimeHarness {
  create(): JobRuntime;
  cleanup(): Promise<void>;
}

const logger = createLogger({ level: "silent" });

function inProcessHarness(): RuntimeHarness {
  const made: JobRuntime[] = [];
  return {
    create() {
      const rt = createJobRuntime({ logger, closeGraceMs: 2000 });
      made.push(rt);
      return rt;
    },
    async cleanup() {
      await Promise.all(made.map((rt) => rt.close()));
    },
  };
}

/** Runtimes of one test share a fresh key prefix, like worker processes of one deployment. */
function bullmqHarness(): RuntimeHarness {
  const prefix = `rltest-${process.pid}-${randomBytes(4).toString("hex")}`;
  const made: JobRuntime[] = [];
  return {
    create() {
      const rt = createJobRuntime({ redisUrl: REDIS_URL, logger, prefix, closeGraceMs: 2000 });
      made.push(rt);
      return rt;
    },
    async cleanup() {
      await Promise.all(made.map((rt) => rt.close()));
      await (made[0] as BullmqRuntime | undefined)?.purge();
    },
  };
}

function driverPresent(): boolean {
  if (redisDriverAvailable()) return true;
  const reason = "ioredis is not installed (BullMQ 6 needs it as a peer dependency)";
  if (requireServices) throw new Error(`${reason}, and RISKLOOP_REQUIRE_SERVICES=1 forbids skipping`);
  console.warn(`[skipped] BullMQ runtime suites: ${reason}`);
  return false;
}

const redisReady = (await serviceAvailable("redis")) && driverPresent();

/** A promise the test opens by hand. */
function gate(): { wait: Promise<void>; open(): void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

const unavailable = () => new RiskloopError(CoreErrors.CORE_ERR_UNAVAILABLE, "broker down");

/** Waits for the attempt's signal to abort, then throws its reason, as a cooperative handler would. */
async function untilAborted(ctx: JobContext): Promise<never> {
  await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve, { once: true }));
  throw ctx.signal.reason;
}

/** Handles the process holds, by kind (sockets and timers are what keep vitest from exiting). */
function openHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

/** The behaviour both runtimes must share. */
function describeRuntimeBehaviour(label: string, makeHarness: () => RuntimeHarness, skip: boolean): void {
  describe.skipIf(skip)(`${label}: shared job runtime behaviour`, () => {
    let harness: RuntimeHarness;
    let rt: JobRuntime;
    beforeEach(() => {
      harness = makeHarness();
      rt = harness.create();
    });
    afterEach(async () => harness.cleanup());

    it("runs an enqueued job, reports its result, progress and history", async () => {
      const sum = defineJob<{ a: number; b: number }, number>({
        name: "sum",
        handler: async (ctx, { a, b }) => {
          ctx.progress(0.5, "half way");
          return a + b;
        },
      });
      await rt.register([sum]);
      await rt.startWorkers();
      await expect(rt.runNow(sum, { a: 2, b: 3 })).resolves.toMatchObject({ status: "completed", result: 5, attempts: 1 });
      const { jobId } = await rt.enqueue(sum, { a: 1, b: 1 });
      const status = await eventually(async () => {
        const s = await rt.status("sum");
        expect(s.counts.completed).toBe(2);
        return s;
      });
      expect(status.counts).toMatchObject({ waiting: 0, active: 0, failed: 0, dead: 0, skipped: 0 });
      expect(status.lastRuns[0]).toMatchObject({ jobId, state: "completed", attempt: 1, progress: { fraction: 0.5, note: "half way" } });
    });

    it("holds enqueued and delayed jobs until a worker starts, counting them as waiting and delayed", async () => {
      let runs = 0;
      const later = defineJob({ name: "later", handler: async () => void runs++ });
      await rt.register([later]);
      await rt.enqueue(later, undefined);
      await rt.enqueue(later, undefined);
      await rt.enqueue(later, undefined, { delayMs: 60_000 });
      expect((await rt.status("later")).counts).toMatchObject({ waiting: 2, delayed: 1, active: 0, completed: 0 });
      await rt.startWorkers();
      await eventually(async () => expect((await rt.status("later")).counts).toMatchObject({ waiting: 0, delayed: 1, completed: 2 }));
      expect(runs).toBe(2);
    });

    it("passes data and results through JSON, so both modes hand handlers the same shapes", async () => {
      const seen: unknown[] = [];
      const echo = defineJob<{ at: Date; lot: Decimal }, { at: Date }>({
        name: "echo",
        handler: async (_ctx, data) => {
          seen.push(data);
          return { at: new Date(0) };
        },
      });
      await rt.register([echo]);
      await rt.startWorkers();
      const data = { at: new Date(Date.UTC(2024, 0, 2)), lot: dec("0.10") };
      await expect(rt.runNow(echo, data)).resolves.toMatchObject({ status: "completed", result: { at: "1970-01-01T00:00:00.000Z" } });
      expect(seen).toEqual([{ at: "2024-01-02T00:00:00.000Z", lot: "0.1" }]);
    });

    it("runs only the jobs named in startWorkers({ only }), leaving the others queued", async () => {
      const ran: string[] = [];
      const train = defineJob({ name: "train", handler: async () => void ran.push("train") });
      const report = defineJob({ name: "report", handler: async () => void ran.push("report") });
      await rt.register([train, report]);
      await rt.startWorkers({ only: ["train"] });
      await rt.enqueue(report, undefined);
      await rt.enqueue(train, undefined);
      await eventually(async () => expect((await rt.status("train")).counts.completed).toBe(1));
      expect((await rt.status("report")).counts).toMatchObject({ waiting: 1, completed: 0 });
      expect(ran).toEqual(["train"]);
    });

    it("retries transient failures with backoff, then succeeds", async () => {
      const seen: number[] = [];
      const flaky = defineJob({
        name: "flaky",
        attempts: 4,
        backoff: { type: "fixed", delayMs: 5 },
        handler: async (ctx) => {
          seen.push(ctx.attempt);
          if (ctx.attempt < 3) throw unavailable();
          return "ok";
        },
      });
      await rt.register([flaky]);
      await rt.startWorkers();
      await expect(rt.runNow(flaky, undefined)).resolves.toMatchObject({ status: "completed", result: "ok", attempts: 3 });
      expect(seen).toEqual([1, 2, 3]);
      const { lastRuns, counts } = await rt.status("flaky");
      expect(lastRuns.map((r) => r.state)).toEqual(["completed", "retrying", "retrying"]);
      expect(lastRuns[1]?.error).toMatchObject({ code: "CORE_ERR_UNAVAILABLE", kind: "transient" });
      expect(counts).toMatchObject({ completed: 1, failed: 0, dead: 0 });
    });

    it("fails an invalid job at once, without retry, into the dead letters", async () => {
      let calls = 0;
      const strict = defineJob<{ symbol: string }>({
        name: "strict",
        attempts: 5,
        backoff: { type: "fixed", delayMs: 1 },
        handler: async () => {
          calls++;
          throw invalid("symbol", "unknown symbol XYZ");
        },
      });
      await rt.register([strict]);
      await rt.startWorkers();
      const outcome = await rt.runNow(strict, { symbol: "XYZ" });
      expect(outcome).toMatchObject({ status: "failed", attempts: 1, error: { code: "CORE_ERR_INVALID", kind: "invalid" } });
      expect(calls).toBe(1);
      const dead = await rt.deadLetters("strict");
      expect(dead).toHaveLength(1);
      expect(dead[0]).toMatchObject({ id: `strict.${outcome.jobId}`, jobId: outcome.jobId, job: "strict", attempts: 1, data: { symbol: "XYZ" }, error: { kind: "invalid" } });
      expect((await rt.status("strict")).counts).toMatchObject({ failed: 1, dead: 1, completed: 0 });
    });

    it("dead-letters an unknown error after all attempts, and retryDead runs it again", async () => {
      let healthy = false;
      let calls = 0;
      const brittle = defineJob<{ n: number }, number>({
        name: "brittle",
        attempts: 3,
        backoff: { type: "exponential", delayMs: 2 },
        handler: async (_ctx, { n }) => {
          calls++;
          if (!healthy) throw new Error("socket hang up");
          return n * 2;
        },
      });
      await rt.register([brittle]);
      await rt.startWorkers();
      const { jobId } = await rt.enqueue(brittle, { n: 21 }, { jobId: "order-77" });
      const [letter] = await eventually(async () => {
        const dead = await rt.deadLetters("brittle");
        expect(dead).toHaveLength(1);
        return dead;
      });
      expect(calls).toBe(3);
      expect(letter).toMatchObject({ id: `brittle.${jobId}`, jobId: "order-77", attempts: 3, data: { n: 21 }, error: { message: "socket hang up" } });
      expect(letter?.error.kind).toBeUndefined();

      healthy = true;
      await expect(rt.retryDead("brittle", letter!.id)).resolves.toMatchObject({ jobId: "order-77" });
      await eventually(async () => expect((await rt.status("brittle")).counts).toMatchObject({ completed: 1, failed: 1, dead: 0 }));
      expect(calls).toBe(4);
      await expect(rt.retryDead("brittle", letter!.id)).rejects.toMatchObject({ code: "CORE_ERR_NOT_FOUND" });
    });

    it("treats a repeated jobId as the same job", async () => {
      const runs: string[] = [];
      const once = defineJob<string>({
        name: "once",
        handler: async (_ctx, tag) => {
          runs.push(tag);
        },
      });
      await rt.register([once]);
      await rt.startWorkers();
      const ids = await Promise.all([1, 2, 3].map((i) => rt.enqueue(once, `copy-${i}`, { jobId: "deal-9" })));
      expect(ids.map((r) => r.jobId)).toEqual(["deal-9", "deal-9", "deal-9"]);
      await eventually(async () => expect((await rt.status("once")).counts.completed).toBe(1));
      await rt.enqueue(once, "late copy", { jobId: "deal-9" });
      await rt.enqueue(once, "other", { jobId: "deal-10" });
      await eventually(async () => expect((await rt.status("once")).counts.completed).toBe(2));
      expect(runs.sort()).toEqual(["copy-1", "other"]);
      await expect(rt.enqueue(once, "x", { jobId: "a:b" })).rejects.toMatchObject({ code: "CORE_ERR_INVALID" });
    });

    it("never overlaps a no-overlap job: a second trigger while it runs is skipped and recorded", async () => {
      const started = gate();
      const release = gate();
      let active = 0;
      let maxActive = 0;
      let calls = 0;
      const retrain = defineJob({
        name: "retrain",
        overlap: "skip",
        handler: async () => {
          calls++;
          maxActive = Math.max(maxActive, ++active);
          started.open();
          await release.wait;
          active--;
          return "trained";
        },
      });
      await rt.register([retrain]);
      await rt.startWorkers();
      const first = rt.runNow(retrain, undefined);
      await started.wait;
      await expect(rt.runNow(retrain, undefined)).resolves.toMatchObject({ status: "skipped", reason: "overlap" });
      release.open();
      await expect(first).resolves.toMatchObject({ status: "completed", result: "trained" });
      expect([calls, maxActive]).toEqual([1, 1]);
      const status = await rt.status("retrain");
      expect(status.counts).toMatchObject({ completed: 1, skipped: 1 });
      expect(status.lastRuns.map((r) => r.state)).toEqual(["completed", "skipped"]);
      // The lock or flag is released: the next trigger runs.
      await expect(rt.runNow(retrain, undefined)).resolves.toMatchObject({ status: "completed" });
    });

    it("fails an attempt that exceeds timeoutMs as transient, aborting its signal", async () => {
      const reasons: unknown[] = [];
      const stuck = defineJob({
        name: "stuck",
        attempts: 2,
        timeoutMs: 30,
        backoff: { type: "fixed", delayMs: 1 },
        handler: async (ctx) => {
          ctx.signal.addEventListener("abort", () => reasons.push(ctx.signal.reason));
          return untilAborted(ctx);
        },
      });
      await rt.register([stuck]);
      await rt.startWorkers();
      await expect(rt.runNow(stuck, undefined)).resolves.toMatchObject({ status: "failed", attempts: 2, error: { code: JobsErrors.JOBS_ERR_TIMEOUT, kind: "transient" } });
      expect(reasons).toHaveLength(2);
      expect(reasons[0]).toMatchObject({ code: JobsErrors.JOBS_ERR_TIMEOUT });
    });

    it("keeps per-key order in partitioned jobs while different keys run in parallel", async () => {
      const keys = ["acct-1", "acct-2", "acct-3", "acct-4", "acct-5"];
      expect(new Set(keys.map((k) => partitionOf(k, 4))).size).toBeGreaterThan(1);
      const order: Array<{ key: string; seq: number }> = [];
      const perKeyActive = new Map<string, number>();
      let active = 0;
      let maxActive = 0;
      let maxPerKey = 0;
      const copy = definePartitionedJob<{ key: string; seq: number }>({
        name: "copy-order",
        partitions: 4,
        handler: async (_ctx, { key, seq }) => {
          maxActive = Math.max(maxActive, ++active);
          perKeyActive.set(key, (perKeyActive.get(key) ?? 0) + 1);
          maxPerKey = Math.max(maxPerKey, perKeyActive.get(key)!);
          await yieldTurn();
          order.push({ key, seq });
          perKeyActive.set(key, perKeyActive.get(key)! - 1);
          active--;
        },
      });
      await rt.register([copy]);
      await rt.startWorkers();
      await Promise.all(
        keys.map(async (key) => {
          for (let seq = 0; seq < 50; seq++) await rt.enqueuePartitioned(copy, key, { key, seq }, { jobId: `${key}.${seq}` });
        }),
      );
      await eventually(() => expect(order).toHaveLength(250), 15_000);
      for (const key of keys) {
        expect(order.filter((o) => o.key === key).map((o) => o.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i));
      }
      expect(maxPerKey).toBe(1);
      expect(maxActive).toBeGreaterThan(1);
      const switches = order.filter((o, i) => i > 0 && o.key !== order[i - 1]!.key).length;
      expect(switches).toBeGreaterThan(keys.length);
      await expect(rt.enqueue("copy-order", {})).rejects.toMatchObject({ code: "CORE_ERR_INVALID" });
      await eventually(async () => expect((await rt.status("copy-order")).counts).toMatchObject({ completed: 250, waiting: 0, active: 0 }));
    });

    it("retries a partitioned job in place, so the next job of its key waits", async () => {
      const order: string[] = [];
      const lane = definePartitionedJob<string>({
        name: "lane",
        partitions: 2,
        attempts: 3,
        backoff: { type: "fixed", delayMs: 5 },
        handler: async (ctx, tag) => {
          if (tag === "first" && ctx.attempt < 3) throw unavailable();
          order.push(`${tag}@${ctx.attempt}`);
        },
      });
      await rt.register([lane]);
      await rt.startWorkers();
      for (const tag of ["first", "second", "third"]) await rt.enqueuePartitioned(lane, "slave-1", tag);
      await eventually(() => expect(order).toEqual(["first@3", "second@1", "third@1"]));
    });

    it("fires schedules (every N ms, and cron with a seconds field) with undefined data", async () => {
      const ticks: unknown[] = [];
      const crons: unknown[] = [];
      const pulse = defineJob({ name: "pulse", schedule: { everyMs: 40 }, handler: async (_ctx, data) => void ticks.push(data) });
      const sweep = defineJob({ name: "sweep", schedule: { cron: "* * * * * *" }, handler: async (_ctx, data) => void crons.push(data) });
      await rt.register([pulse, sweep]);
      await rt.startWorkers();
      await eventually(() => expect(ticks.length).toBeGreaterThanOrEqual(3), 5000);
      await eventually(() => expect(crons.length).toBeGreaterThanOrEqual(1), 3000);
      expect([...ticks, ...crons].every((d) => d === undefined)).toBe(true);
      expect((await rt.status("sweep")).schedule).toEqual({ cron: "* * * * * *", timezone: "UTC" });
    });

    it("rejects unknown jobs and duplicate names", async () => {
      const a = defineJob({ name: "dup", handler: async () => 1 });
      const b = defineJob({ name: "dup", handler: async () => 2 });
      await rt.register([a]);
      await rt.register([a]);
      await expect(rt.register([b])).rejects.toMatchObject({ code: JobsErrors.JOBS_ERR_DUPLICATE_JOB });
      await expect(rt.enqueue("nope", {})).rejects.toMatchObject({ code: JobsErrors.JOBS_ERR_UNKNOWN_JOB });
      await expect(rt.status("nope")).rejects.toMatchObject({ code: JobsErrors.JOBS_ERR_UNKNOWN_JOB });
    });

    it("closes gracefully: running handlers see the abort, and no sockets or timers stay open", async () => {
      const baseline = openHandles();
      const own = harness.create();
      const started = gate();
      const reasons: unknown[] = [];
      const long = defineJob({
        name: "long",
        handler: async (ctx) => {
          started.open();
          ctx.signal.addEventListener("abort", () => reasons.push(ctx.signal.reason));
          return untilAborted(ctx);
        },
      });
      const tick = defineJob({ name: "tick", schedule: { everyMs: 20 }, handler: async () => undefined });
      const fan = definePartitionedJob({ name: "fan", partitions: 3, handler: async () => undefined });
      await own.register([long, tick, fan]);
      await own.startWorkers();
      await own.enqueuePartitioned(fan, "k", {});
      await own.enqueue(long, undefined);
      await started.wait;
      await own.close();
      expect(reasons).toHaveLength(1);
      expect(reasons[0]).toMatchObject({ code: JobsErrors.JOBS_ERR_ABORTED });
      await expect(own.enqueue(long, undefined)).rejects.toMatchObject({ code: JobsErrors.JOBS_ERR_CLOSED });
      await eventually(() => {
        const now = openHandles();
        for (const kind of ["TCPSocketWrap", "Timeout"]) expect(now[kind] ?? 0, kind).toBeLessThanOrEqual(baseline[kind] ?? 0);
      });
    });
  });
}

describeRuntimeBehaviour("in-process", inProcessHarness, false);
describeRuntimeBehaviour("bullmq", bullmqHarness, !redisReady);
