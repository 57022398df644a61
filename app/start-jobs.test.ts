import { afterEach, expect, it } from "vitest";
import { describeEachDatabase } from "../test/kit/db.ts";
import { testApi, type TestApi } from "../test/kit/api.ts";
import { startJobs } from "./start-jobs.ts";

describeEachDatabase("starting the jobs without Redis", (getDb) => {
  let api: TestApi | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  it("marks runs a stopped process left RUNNING as ABANDONED on the embedded database only (PostgreSQL may be shared by live processes)", async () => {
    const prisma = getDb().prisma;
    const earlier = new Date(Date.now() - 3_600_000);
    const left = await prisma.jobRun.create({ data: { name: "retrain-slippage", jobId: `left-${Date.now()}`, status: "RUNNING", createdAt: earlier, startedAt: earlier } });
    api = await testApi(getDb());
    await startJobs(api.container);
    const row = await prisma.jobRun.findUniqueOrThrow({ where: { id: left.id } });
    expect(row.status).toBe(getDb().kind === "pglite" ? "ABANDONED" : "RUNNING");
  });
});
