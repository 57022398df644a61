import { afterAll, beforeAll, expect, it } from "vitest";
import { CoreErrors, RiskloopError, createLogger, invalid } from "../core/index.ts";
import { describeEachDatabase } from "../test/kit/db.ts";
import { eventually } from "../test/kit/eventually.ts";
import { defineJob } from "./runtime/define-job.ts";
import { InProcessRuntime } from "./runtime/in-process-runtime.ts";
import { RUNTIME_DEFAULTS } from "./runtime/job-runtime.ts";
import { abandonOrphanedRuns, recordedJob } from "./recorded-job.ts";

const logger = createLogger({ level: "silent" });
const noWait = { type: "fixed" as const, delayMs: 0 };

describeEachDatabase("recordedJob", (getDb) => {
  let rt: InProcessRuntime;
  let flaky = 0;
  beforeAll(async () => {
    const prisma = getDb().prisma;
    const wrap = <T extends Parameters<typeof recordedJob>[1]>(def: T) => recordedJob(prisma, def, { defaultAttempts: 3, logger });
    rt = new InProcessRuntime({ ...RUNTIME_DEFAULTS, logger, closeGraceMs: 50 });
    await rt.register([
      wrap(
        defineJob({
          name: "steps",
          handler: async (ctx, data: { n: number }) => {
            for (let i = 1; i <= data.n; i++) ctx.progress(i / (data.n + 1), `step ${i}`);
            return { done: data.n };
          },
        }),
      ),
      wrap(
        defineJob({
          name: "flaky",
          backoff: noWait,
          handler: async () => {
            if (++flaky < 2) throw new RiskloopError(CoreErrors.CORE_ERR_UNAVAILABLE, "database blinked");
            return "ok";
          },
        }),
      ),
      wrap(defineJob({ name: "bad-input", handler: async () => Promise.reject(invalid("window", "is empty")) })),
      wrap(defineJob({ name: "always-down", attempts: 2, backoff: noWait, handler: async () => Promise.reject(new Error("still down")) })),
    ]);
    await rt.startWorkers();
  });
  afterAll(async () => {
    await rt.close();
  });
  const runsOf = (name: string) => getDb().prisma.jobRun.findMany({ where: { name }, orderBy: { createdAt: "asc" } });

  it("records a successful run with its result, progress and times", async () => {
    const outcome = await rt.runNow("steps", { n: 3 });
    expect(outcome).toMatchObject({ status: "completed", result: { done: 3 } });
    const [row] = await runsOf("steps");
    expect(row).toMatchObject({ jobId: outcome.jobId, status: "SUCCEEDED", attempts: 1, progress: 1, result: { done: 3 }, error: null });
    expect(row!.finishedAt!.getTime()).toBeGreaterThanOrEqual(row!.startedAt!.getTime());
  });

  it("keeps one row per run across retries", async () => {
    const outcome = await rt.runNow("flaky", undefined);
    expect(outcome).toMatchObject({ status: "completed", attempts: 2 });
    expect(await runsOf("flaky")).toEqual([expect.objectContaining({ jobId: outcome.jobId, status: "SUCCEEDED", attempts: 2, result: "ok", error: null })]);
  });

  it("marks a run DEAD when the error policy gives up: bad input at once, a transient failure once attempts run out", async () => {
    expect(await rt.runNow("bad-input", undefined)).toMatchObject({ status: "failed", attempts: 1 });
    expect(await runsOf("bad-input")).toEqual([expect.objectContaining({ status: "DEAD", attempts: 1, error: "CORE_ERR_INVALID: window: is empty" })]);
    expect(await rt.runNow("always-down", undefined)).toMatchObject({ status: "failed", attempts: 2 });
    expect(await runsOf("always-down")).toEqual([expect.objectContaining({ status: "DEAD", attempts: 2, error: "still down" })]);
    expect(await rt.deadLetters("always-down")).toHaveLength(1);
  });

  it("takes over the QUEUED row the API wrote when it enqueued the run", async () => {
    const prisma = getDb().prisma;
    const queued = await prisma.jobRun.create({ data: { name: "steps", jobId: "api-test-1", status: "QUEUED" } });
    await rt.enqueue("steps", { n: 1 }, { jobId: "api-test-1" });
    await eventually(async () => expect(await prisma.jobRun.findUniqueOrThrow({ where: { id: queued.id } })).toMatchObject({ status: "SUCCEEDED", result: { done: 1 } }));
    expect(await prisma.jobRun.count({ where: { jobId: "api-test-1" } })).toBe(1);
  });

  it("marks ABANDONED the queued and running runs a stopped process left, and nothing newer or finished", async () => {
    const prisma = getDb().prisma;
    const before = new Date(Date.now() - 60_000);
    await prisma.jobRun.createMany({
      data: [
        { name: "orphan", jobId: "o-1", status: "RUNNING", createdAt: before, startedAt: before },
        { name: "orphan", jobId: "o-2", status: "QUEUED", createdAt: before },
        { name: "orphan", jobId: "o-3", status: "SUCCEEDED", createdAt: before },
        { name: "orphan", jobId: "o-4", status: "FAILED", createdAt: before },
      ],
    });
    const restart = new Date(Date.now() - 1_000);
    await prisma.jobRun.create({ data: { name: "orphan", jobId: "o-5", status: "QUEUED" } });
    expect(await abandonOrphanedRuns(prisma, restart)).toBe(2);
    const rows = await prisma.jobRun.findMany({ where: { name: "orphan" }, orderBy: { jobId: "asc" } });
    expect(rows.map((r) => [r.jobId, r.status])).toEqual([
      ["o-1", "ABANDONED"],
      ["o-2", "ABANDONED"],
      ["o-3", "SUCCEEDED"],
      ["o-4", "FAILED"],
      ["o-5", "QUEUED"],
    ]);
    expect(rows[0]).toMatchObject({ finishedAt: restart, error: expect.stringContaining("stopped before it finished") });
  });
});
