import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobCatalog } from "../../app/job-catalog.ts";
import { redisDriverAvailable } from "../../jobs/index.ts";
import { testApi, type TestApi } from "../../test/kit/api.ts";
import { describeEachDatabase } from "../../test/kit/db.ts";
import { eventually } from "../../test/kit/eventually.ts";
import { seedExecutions } from "../../test/kit/executions.ts";
import { REDIS_URL, serviceAvailable } from "../../test/kit/services.ts";

type User = Awaited<ReturnType<TestApi["user"]>>;

const bullmq = (await serviceAvailable("redis")) && redisDriverAvailable();
/** The in-process runtime, and BullMQ on a fresh key prefix when Redis is here: the API and job_runs behave alike. */
const RUNTIMES: [string, () => Record<string, string>, boolean][] = [
  ["in-process", () => ({}), true],
  ["bullmq", () => ({ REDIS_URL, JOBS_PREFIX: `rljobsapi-${process.pid}-${randomBytes(4).toString("hex")}` }), bullmq],
];

for (const [runtime, env, enabled] of RUNTIMES) {
  describe.skipIf(!enabled)(`on the ${runtime} runtime`, () => describeEachDatabase("jobs API", (getDb) => jobsApiSuite(getDb, env)));
}

function jobsApiSuite(getDb: () => import("../../prisma/index.ts").Database, env: () => Record<string, string>): void {
  let api: TestApi;
  let admin: User;
  let quant: User;
  let trader: User;
  const inject = (method: "GET" | "POST", url: string, who: User, payload?: object) => api.app.inject({ method, url, headers: who.auth, ...(payload ? { payload } : {}) });
  const runRow = (runId: string) => api.container.db.prisma.jobRun.findUniqueOrThrow({ where: { id: runId } });

  beforeAll(async () => {
    api = await testApi(getDb(), { SRM_MIN_TRAINING_ROWS: "20", ...env() });
    await api.container.jobs.register(jobCatalog(api.container));
    await api.container.jobs.startWorkers();
    admin = await api.user(undefined, "ADMIN");
    quant = await api.user(undefined, "QUANT");
    trader = await api.user();
  });
  afterAll(async () => {
    await api?.close();
  });

  it("is for admins only", async () => {
    for (const who of [trader, quant]) {
      expect((await inject("GET", "/jobs", who)).statusCode).toBe(403);
      expect((await inject("POST", "/jobs/provider-metrics/run", who, {})).statusCode).toBe(403);
      expect((await inject("GET", "/jobs/retrain-slippage/dead-letters", who)).statusCode).toBe(403);
      expect((await inject("POST", "/jobs/retrain-slippage/dead-letters/x/retry", who)).statusCode).toBe(403);
    }
    expect((await api.app.inject({ method: "GET", url: "/jobs" })).statusCode).toBe(401);
  });

  it("lists every registered job with its schedule and counts", async () => {
    const res = await inject("GET", "/jobs", admin);
    expect(res.statusCode).toBe(200);
    const jobs = res.json() as { name: string; registered: boolean; schedule: unknown; counts: { dead: number } }[];
    expect(jobs.map((j) => j.name)).toEqual(expect.arrayContaining(["retrain-slippage", "drift-check", "provider-metrics", "claims-prune"]));
    expect(jobs.find((j) => j.name === "provider-metrics")).toMatchObject({ registered: true, kind: "job", schedule: { cron: "7 * * * *", timezone: "UTC" }, counts: { dead: 0 } });
    // On BullMQ the copy lanes' holders are listed: this process, the only worker, holds every lane.
    const lanes = (jobs.find((j) => j.name === "copy-fanout") as { lanes?: { worker: string; lanes: number[] }[] }).lanes;
    if (api.container.jobs.mode === "bullmq") expect(lanes?.map((h) => h.lanes.length)).toEqual([api.container.config.value.copy.partitions]);
    else expect(lanes).toBeUndefined();
  });

  it("runs a job on demand: QUEUED at once, then its outcome in job_runs and in the status, audited", async () => {
    const res = await inject("POST", "/jobs/provider-metrics/run", admin, {});
    expect(res.statusCode).toBe(202);
    const { jobId, runId } = res.json() as { jobId: string; runId: string };
    expect(jobId).toMatch(/^api-/);
    await eventually(async () => expect(await runRow(runId)).toMatchObject({ name: "provider-metrics", jobId, status: "SUCCEEDED", attempts: 1, progress: 1, result: { providers: 0, rows: 0 } }));
    // The run row is written by the handler; the queue counts the job completed a moment after it returns.
    await eventually(async () => {
      const job = ((await inject("GET", "/jobs", admin)).json() as { name: string; counts: { completed: number }; lastRuns: unknown[]; history: unknown[] }[]).find(
        (j) => j.name === "provider-metrics",
      )!;
      expect(job.counts.completed).toBe(1);
      expect(job.lastRuns[0]).toMatchObject({ jobId, state: "completed", attempt: 1 });
      expect(job.history[0]).toMatchObject({ id: runId, status: "SUCCEEDED" });
    });
    const runs = (await inject("GET", "/jobs/provider-metrics/runs?limit=5", admin)).json() as { id: string }[];
    expect(runs[0]!.id).toBe(runId);
    const audit = await api.container.db.prisma.auditLog.findMany({ where: { action: "job.run_requested", entityId: "provider-metrics" } });
    expect(audit).toEqual([expect.objectContaining({ actorUserId: admin.id, entityType: "job", after: { jobId, runId } })]);
  });

  it("prunes the decision claims of stored intents older than the retention, keeping claims without a decision", async () => {
    const { prisma } = api.container.db;
    const accountId = (await prisma.brokerAccount.create({ data: { userId: trader.id, name: "claims", platform: "PAPER", currency: "USD" } })).id;
    const old = new Date(Date.now() - 2 * 86_400_000);
    const [stored, undecided, recent] = ["stored", "undecided", "recent"].map((k) => `prune-test:${k}:${accountId}`) as [string, string, string];
    for (const key of [stored, recent]) {
      await prisma.tradeIntent.create({ data: { source: "MANUAL", dedupKey: key, accountId, symbol: "EURUSD", side: "BUY", kind: "OPEN", volume: "0.1", signalTime: old, receivedAt: old } });
    }
    await prisma.intentClaim.createMany({ data: [{ dedupKey: stored, claimedAt: old }, { dedupKey: undecided, claimedAt: old }, { dedupKey: recent }] });
    const res = await inject("POST", "/jobs/claims-prune/run", admin, {});
    expect(res.statusCode).toBe(202);
    const { runId } = res.json() as { runId: string };
    await eventually(async () => expect(await runRow(runId)).toMatchObject({ name: "claims-prune", status: "SUCCEEDED", result: { pruned: 1 } }));
    const left = await prisma.intentClaim.findMany({ where: { dedupKey: { startsWith: "prune-test:" } }, select: { dedupKey: true } });
    expect(left.map((c) => c.dedupKey).sort()).toEqual([recent, undecided].sort());
  });

  it("dead-letters a retrain that cannot run, and retries it once the data is there", async () => {
    const res = await inject("POST", "/jobs/retrain-slippage/run", admin, {});
    const { jobId, runId } = res.json() as { jobId: string; runId: string };
    await eventually(async () => expect(await runRow(runId)).toMatchObject({ status: "DEAD", attempts: 1, error: expect.stringMatching(/^CORE_ERR_INVALID: executions: a slippage model needs at least 20/) }));
    // The run row is written by the handler; the runtime files the dead letter a moment after it returns.
    let letters: { id: string; jobId: string; error: { code: string } }[] = [];
    await eventually(async () => {
      const lettersRes = await inject("GET", "/jobs/retrain-slippage/dead-letters", admin);
      expect(lettersRes.statusCode, lettersRes.body).toBe(200);
      letters = lettersRes.json() as typeof letters;
      expect(letters).toHaveLength(1);
      expect(letters[0]).toMatchObject({ jobId, error: { code: "CORE_ERR_INVALID" } });
      expect((await inject("GET", "/jobs", admin)).json().find((j: { name: string }) => j.name === "retrain-slippage").counts).toMatchObject({ dead: 1, failed: 1 });
    });

    // 80 minutes of fills three days ago from 10:00 UTC: a stretch crossing midnight would split the rows' day of
    // week between training and validation, and the candidate would (rightly) fail the gate.
    const threeDaysAgo = (Math.floor(Date.now() / 86_400_000) - 3) * 86_400_000;
    await seedExecutions(getDb(), { n: 80, seed: 4, from: threeDaysAgo + 10 * 3_600_000, stepMs: 60_000 });
    const retry = await inject("POST", `/jobs/retrain-slippage/dead-letters/${letters[0]!.id}/retry`, admin);
    expect(retry.statusCode).toBe(202);
    const again = retry.json() as { jobId: string; runId: string };
    expect(again.jobId).toBe(jobId);
    await eventually(async () => expect(await runRow(again.runId)).toMatchObject({ status: "SUCCEEDED", result: { promoted: true } }), 30_000, 50);
    expect(await runRow(runId)).toMatchObject({ status: "DEAD" }); // the failed run stays in the history
    expect((await inject("GET", "/jobs/retrain-slippage/dead-letters", admin)).json()).toEqual([]);
    expect(await api.container.db.prisma.auditLog.count({ where: { action: "job.dead_letter_retried", actorUserId: admin.id } })).toBe(1);
  });

  it("answers 404 for an unknown job or dead letter", async () => {
    expect((await inject("POST", "/jobs/no-such-job/run", admin, {})).statusCode).toBe(404);
    expect((await inject("GET", "/jobs/no-such-job/dead-letters", admin)).statusCode).toBe(404);
    expect((await inject("POST", "/jobs/retrain-slippage/dead-letters/retrain-slippage.nope/retry", admin)).statusCode).toBe(404);
  });
}
