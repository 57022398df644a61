import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { setImmediate as yieldTurn } from "node:timers/promises";
import { Queue } from "bullmq";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../core/index.ts";
import { eventually } from "../../test/kit/eventually.ts";
import { REDIS_URL, serviceAvailable } from "../../test/kit/services.ts";
import { BullmqRuntime, LANE_HEARTBEAT_MS, lanesOf } from "./bullmq-runtime.ts";
import { defineJob, definePartitionedJob, type JobContext } from "./define-job.ts";
import { RUNTIME_DEFAULTS } from "./job-runtime.ts";
import { partitionOf } from "./partition-key.ts";
import { redisDriverAvailable } from "./redis-driver.ts";
import { JobsErrors } from "./runtime.errors.ts";

// job-runtime.test.ts reports (or, under RISKLOOP_REQUIRE_SERVICES, fails on) a missing Redis or driver.
const enabled = (await serviceAvailable("redis")) && redisDriverAvailable();
const logger = createLogger({ level: "silent" });

/** BullMQ runtimes sharing one fresh prefix stand in for worker processes of one deployment. */
function deployment() {
  const prefix = `rltest-${process.pid}-${randomBytes(4).toString("hex")}`;
  const made: BullmqRuntime[] = [];
  return {
    prefix,
    create(): BullmqRuntime {
      const rt = new BullmqRuntime(REDIS_URL, { ...RUNTIME_DEFAULTS, logger, prefix, closeGraceMs: 2000 });
      made.push(rt);
      return rt;
    },
    async cleanup(): Promise<void> {
      await Promise.all(made.map((rt) => rt.close()));
      await made[0]?.purge();
    },
  };
}

function gate(): { wait: Promise<void>; open(): void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

describe("lane split", () => {
  it("gives lane i to the member ranked i mod n, and every lane to a member that cannot see itself", () => {
    expect(lanesOf("a", ["a", "b"], 8)).toEqual([0, 2, 4, 6]);
    expect(lanesOf("b", ["a", "b"], 8)).toEqual([1, 3, 5, 7]);
    expect(lanesOf("c", ["a", "b", "c"], 8)).toEqual([2, 5]);
    expect(lanesOf("z", ["a", "b"], 4)).toEqual([0, 1, 2, 3]);
    expect(lanesOf("a", ["a"], 3)).toEqual([0, 1, 2]);
  });
});

describe.skipIf(!enabled)("bullmq: several worker processes", () => {
  let harness: ReturnType<typeof deployment>;
  afterEach(async () => harness.cleanup());

  it("hands partitions from one worker to another mid-stream and keeps every key in order", async () => {
    harness = deployment();
    const [api, w1, w2] = [harness.create(), harness.create(), harness.create()];
    const keys = ["slave-a", "slave-b", "slave-c", "slave-d", "slave-e"];
    const order: Array<{ key: string; seq: number; by: string }> = [];
    const perKey = new Map<string, number>();
    let maxPerKey = 0;
    let stuck = 0;
    // w1 stalls on each key's 26th job until it is shut down; w2 must take over from exactly there.
    const fanOut = (by: string) =>
      definePartitionedJob<{ key: string; seq: number }>({
        name: "copy-fanout",
        partitions: 4,
        handler: async (ctx, { key, seq }) => {
          perKey.set(key, (perKey.get(key) ?? 0) + 1);
          maxPerKey = Math.max(maxPerKey, perKey.get(key)!);
          try {
            if (by === "w1" && seq === 25) {
              stuck++;
              await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve, { once: true }));
              throw ctx.signal.reason;
            }
            await yieldTurn();
            order.push({ key, seq, by });
          } finally {
            perKey.set(key, perKey.get(key)! - 1);
          }
        },
      });
    await api.register([fanOut("api")]);
    await w1.register([fanOut("w1")]);
    await w2.register([fanOut("w2")]);
    await w1.startWorkers();
    await Promise.all(
      keys.map(async (key) => {
        for (let seq = 0; seq < 50; seq++) await api.enqueuePartitioned("copy-fanout", key, { key, seq }, { jobId: `deal-1.${key}.${seq}` });
      }),
    );
    const lanes = new Set(keys.map((k) => partitionOf(k, 4))).size;
    await eventually(() => expect(stuck).toBe(lanes), 10_000);
    await w2.startWorkers();
    await w1.close();
    await eventually(() => expect(order).toHaveLength(250), 15_000);
    for (const key of keys) {
      const mine = order.filter((o) => o.key === key);
      expect(mine.map((o) => o.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i));
      expect(mine.find((o) => o.seq === 25)?.by).toBe("w2");
    }
    expect(maxPerKey).toBe(1);
    expect(new Set(order.map((o) => o.by))).toEqual(new Set(["w1", "w2"]));
    // Workers write run counters in batches; another process sees them within RUN_LOG_FLUSH_MS.
    await eventually(async () => expect((await api.status("copy-fanout")).counts).toMatchObject({ completed: 250, failed: 0, waiting: 0, active: 0 }));
  });

  it("splits a partitioned job's lanes between worker processes, each lane on one of them, and hands a stopped worker's lanes to the others", async () => {
    harness = deployment();
    const [api, w1, w2] = [harness.create(), harness.create(), harness.create()];
    const partitions = 8;
    const ran = new Map<number, Set<string>>();
    // The lanes each worker holds by what its lane hooks were told (taken adds, released removes).
    const told: Record<string, Set<number>> = { w1: new Set(), w2: new Set() };
    const held = (w: string) => [...told[w]!].sort((a, b) => a - b).join(",");
    const fanOut = (by: string) =>
      definePartitionedJob<{ lane: number }>({
        name: "copy-fanout",
        partitions,
        handler: async (_ctx, { lane }) => {
          ran.set(lane, (ran.get(lane) ?? new Set()).add(by));
        },
        lanes: {
          taken: (lanes) => lanes.forEach((l) => told[by]?.add(l)),
          released: (lanes) => lanes.forEach((l) => told[by]?.delete(l)),
        },
      });
    // One key per lane.
    const keys = new Map<number, string>();
    for (let i = 0; keys.size < partitions; i++) if (!keys.has(partitionOf(`slave-${i}`, partitions))) keys.set(partitionOf(`slave-${i}`, partitions), `slave-${i}`);
    const round = async (tag: string) => {
      ran.clear();
      for (const [lane, key] of keys) for (let n = 0; n < 3; n++) await api.enqueuePartitioned("copy-fanout", key, { lane }, { jobId: `${tag}.${lane}.${n}` });
      await eventually(async () => expect((await api.status("copy-fanout")).counts).toMatchObject({ waiting: 0, active: 0 }), 10_000);
      return new Map([...ran].map(([lane, by]) => [lane, [...by].join()]));
    };
    await api.register([fanOut("api")]);
    await w1.register([fanOut("w1")]);
    await w2.register([fanOut("w2")]);
    await w1.startWorkers();
    await w2.startWorkers();
    // w1 sees w2 at its next heartbeat and hands half of its lanes over.
    await new Promise((r) => setTimeout(r, LANE_HEARTBEAT_MS * 1.5));
    const split = await round("a");
    expect([...split.keys()].sort()).toEqual([...keys.keys()].sort());
    const byWorker = (w: string) => [...split].filter(([, by]) => by === w).length;
    expect([byWorker("w1"), byWorker("w2")]).toEqual([partitions / 2, partitions / 2]);
    // Status names the holders, host and process first, with the same split.
    const holders = (await api.status("copy-fanout")).lanes!;
    expect(holders.map((h) => h.lanes.length)).toEqual([partitions / 2, partitions / 2]);
    expect(holders.every((h) => h.worker.startsWith(`${hostname()}.${process.pid}.`))).toBe(true);
    expect(new Set(holders.flatMap((h) => h.lanes))).toEqual(new Set(keys.keys()));
    // The lane hooks follow the split (a worker that started alone took every lane, then handed some back).
    const laneList = (w: string) => holders.find((h) => split.get(h.lanes[0]!) === w)!.lanes.join(",");
    await eventually(() => expect([held("w1"), held("w2")]).toEqual([laneList("w1"), laneList("w2")]));

    await w1.close();
    await new Promise((r) => setTimeout(r, LANE_HEARTBEAT_MS * 1.5));
    const after = await round("b");
    expect(new Set(after.values())).toEqual(new Set(["w2"]));
    expect(after.size).toBe(partitions);
    expect((await api.status("copy-fanout")).lanes!.map((h) => h.lanes.length)).toEqual([partitions]);
    expect(held("w2")).toBe(Array.from({ length: partitions }, (_, i) => i).join(","));
  });

  it("lets a joining worker consume a lane only after its previous holder closed it and its released hook returned", async () => {
    harness = deployment();
    const [api, w1, w2] = [harness.create(), harness.create(), harness.create()];
    const partitions = 4;
    const releasedAt = new Map<number, number>();
    const takenAt = new Map<number, number>();
    const ranBy = new Map<number, Array<{ by: string; at: number }>>();
    const fanOut = (by: string) =>
      definePartitionedJob<{ lane: number }>({
        name: "copy-fanout",
        partitions,
        handler: async (_ctx, { lane }) => {
          ranBy.set(lane, [...(ranBy.get(lane) ?? []), { by, at: Date.now() }]);
        },
        lanes: {
          // w1 takes its time to let go (closing broker sessions, say); w2 must not start on those lanes before.
          released: async (lanes) => {
            if (by !== "w1") return;
            await new Promise((r) => setTimeout(r, 1500));
            for (const l of lanes) releasedAt.set(l, Date.now());
          },
          taken: (lanes) => {
            if (by === "w2") for (const l of lanes) takenAt.set(l, Date.now());
          },
        },
      });
    const keys = new Map<number, string>();
    for (let i = 0; keys.size < partitions; i++) if (!keys.has(partitionOf(`slave-${i}`, partitions))) keys.set(partitionOf(`slave-${i}`, partitions), `slave-${i}`);
    await api.register([fanOut("api")]);
    await w1.register([fanOut("w1")]);
    await w2.register([fanOut("w2")]);
    await w1.startWorkers();
    await w2.startWorkers();
    // Work queued in every lane while the hand-over is under way.
    for (const [lane, key] of keys) await api.enqueuePartitioned("copy-fanout", key, { lane }, { jobId: `handover.${lane}` });
    await eventually(() => expect(takenAt.size).toBe(partitions / 2), 10_000);
    for (const [lane, at] of takenAt) {
      expect(releasedAt.get(lane), `lane ${lane} released by w1 before w2 took it`).toBeDefined();
      expect(at).toBeGreaterThanOrEqual(releasedAt.get(lane)!);
    }
    await eventually(() => expect(ranBy.size).toBe(partitions), 10_000);
    for (const [lane, runs] of ranBy) for (const run of runs) if (run.by === "w2") expect(run.at, `lane ${lane}`).toBeGreaterThanOrEqual(releasedAt.get(lane)!);
  });

  it("stops the lanes another worker took over while this one stalled past the lapse, then shares them out again", { timeout: 40_000 }, async () => {
    harness = deployment();
    const [w1, w2] = [harness.create(), harness.create()];
    const partitions = 4;
    const told: Record<string, Set<number>> = { w1: new Set(), w2: new Set() };
    const fanOut = (by: string) =>
      definePartitionedJob<{ lane: number }>({
        name: "copy-fanout",
        partitions,
        handler: async () => {},
        lanes: { taken: (lanes) => lanes.forEach((l) => told[by]!.add(l)), released: (lanes) => lanes.forEach((l) => told[by]!.delete(l)) },
      });
    await w1.register([fanOut("w1")]);
    await w2.register([fanOut("w2")]);
    await w1.startWorkers();
    await eventually(() => expect(told.w1!.size).toBe(partitions));
    // w1 stalls (a long synchronous task holds its event loop): no heartbeat, so its membership and holds lapse.
    const stalled = w1 as unknown as { heartbeat: NodeJS.Timeout; beat(): Promise<void> };
    clearInterval(stalled.heartbeat);
    await w2.startWorkers();
    await eventually(() => expect(told.w2!.size).toBe(partitions), 15_000);
    // w1 wakes: its first heartbeat finds the holds gone and stops those lanes, though the split gives it half.
    await stalled.beat();
    await eventually(() => expect(told.w1!.size).toBe(0), 10_000);
    // Beating again, it gets its half back through the ordinary hand-over, each lane in one process.
    stalled.heartbeat = setInterval(() => void stalled.beat(), LANE_HEARTBEAT_MS);
    await eventually(() => expect([told.w1!.size, told.w2!.size]).toEqual([partitions / 2, partitions / 2]), 15_000);
    expect(new Set([...told.w1!, ...told.w2!]).size).toBe(partitions);
  });

  it("skips a trigger while another process runs the same no-overlap job", async () => {
    harness = deployment();
    const [w1, w2] = [harness.create(), harness.create()];
    const started = gate();
    const release = gate();
    let calls = 0;
    const job = defineJob({
      name: "drawdown-watch",
      overlap: "skip",
      handler: async () => {
        calls++;
        started.open();
        await release.wait;
      },
    });
    await w1.register([job]);
    await w2.register([job]);
    await w1.startWorkers();
    const first = w1.runNow(job, undefined);
    await started.wait;
    await w2.startWorkers();
    // Enough triggers that w2, whose slots are free, takes some; every one must be skipped.
    const others = await Promise.all(Array.from({ length: 6 }, () => w2.runNow(job, undefined)));
    expect(others.every((o) => o.status === "skipped")).toBe(true);
    release.open();
    await expect(first).resolves.toMatchObject({ status: "completed" });
    expect(calls).toBe(1);
    await eventually(async () => expect((await w2.status("drawdown-watch")).counts).toMatchObject({ completed: 1, skipped: 6 }));
  });

  it("hands an interrupted job back on shutdown so another worker resumes it, attempt uncounted", async () => {
    harness = deployment();
    const [w1, w2] = [harness.create(), harness.create()];
    const started = gate();
    const seen: Array<{ by: string; attempt: number }> = [];
    const make = (by: string) =>
      defineJob({
        name: "provider-metrics",
        attempts: 1,
        handler: async (ctx: JobContext) => {
          seen.push({ by, attempt: ctx.attempt });
          if (by === "w2") return "done by w2";
          started.open();
          await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve, { once: true }));
          throw ctx.signal.reason;
        },
      });
    await w1.register([make("w1")]);
    await w2.register([make("w2")]);
    await w1.startWorkers();
    const { jobId } = await w1.enqueue("provider-metrics", undefined);
    await started.wait;
    await w1.close();
    await w2.startWorkers();
    await eventually(async () => expect((await w2.status("provider-metrics")).counts).toMatchObject({ completed: 1, failed: 0, dead: 0 }));
    expect(seen).toEqual([
      { by: "w1", attempt: 1 },
      { by: "w2", attempt: 1 },
    ]);
    const runs = (await w2.status("provider-metrics")).lastRuns;
    expect(runs.map((r) => [r.jobId, r.state])).toEqual([
      [jobId, "completed"],
      [jobId, "interrupted"],
    ]);
    expect(runs[1]?.error?.code).toBe(JobsErrors.JOBS_ERR_ABORTED);
  });

  it("upserts schedulers idempotently and removes one whose schedule was dropped", async () => {
    harness = deployment();
    const [a, b] = [harness.create(), harness.create()];
    const queue = new Queue("retrain", { connection: { url: REDIS_URL }, prefix: harness.prefix });
    try {
      const weekly = defineJob({ name: "retrain", schedule: { cron: "0 22 * * 0" }, handler: async () => undefined });
      await a.register([weekly]);
      await b.register([weekly]);
      expect(await queue.getJobSchedulers()).toEqual([expect.objectContaining({ key: "retrain", pattern: "0 22 * * 0", tz: "UTC" })]);
      await harness.create().register([defineJob({ name: "retrain", handler: async () => undefined })]);
      expect(await queue.getJobSchedulers()).toEqual([]);
    } finally {
      await queue.close();
    }
  });
});
