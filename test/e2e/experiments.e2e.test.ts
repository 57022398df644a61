import { afterAll, beforeAll, expect, it } from "vitest";
import { newId, type ServiceEvent } from "../../core/index.ts";
import { seededRandom } from "../../models/index.ts";
import { driftCheckJob } from "../../jobs/drift.job.ts";
import { assignVariant } from "../../srm/experiments/index.ts";
import { describeEachDatabase } from "../kit/db.ts";
import { testApi, type TestApi } from "../kit/api.ts";

type User = Awaited<ReturnType<TestApi["user"]>>;

describeEachDatabase("experiments API", (getDb) => {
  let api: TestApi;
  let admin: User;
  let quant: User;
  let trader: User;
  let accounts: string[];
  /** Each account's owner: the free plan holds two accounts, so 16 accounts take 8 traders. */
  const owners = new Map<string, User>();
  let experimentId: string;
  const events: ServiceEvent[] = [];
  const inject = (method: "GET" | "POST", url: string, who: User, payload?: unknown) => api.app.inject({ method, url, headers: who.auth, ...(payload === undefined ? {} : { payload: payload as object }) });
  const decide = (accountId: string) => inject("POST", "/srm/decisions", owners.get(accountId)!, { accountId, symbol: "EURUSD", side: "BUY", volume: "0.10", stopLoss: "1.09800" });

  beforeAll(async () => {
    api = await testApi(getDb());
    const prisma = api.container.db.prisma;
    await prisma.instrument.upsert({
      where: { symbol: "EURUSD" },
      create: { symbol: "EURUSD", digits: 5, pipSize: "0.0001", contractSize: "100000", minVolume: "0.01", maxVolume: "100", volumeStep: "0.01", marginRate: "0.01", baseCurrency: "EUR", quoteCurrency: "USD" },
      update: {},
    });
    await prisma.tick.create({ data: { symbol: "EURUSD", time: new Date(Date.now() - 1000), seq: 0, bid: "1.10000", ask: "1.10008" } });
    admin = await api.user(undefined, "ADMIN");
    quant = await api.user(undefined, "QUANT");
    trader = await api.user();
    accounts = [];
    for (let i = 0; i < 16; i++) {
      const owner = i < 2 ? trader : i % 2 === 0 ? await api.user() : owners.get(accounts[i - 1]!)!;
      const res = await inject("POST", "/accounts", owner, { name: `Paper ${i}`, platform: "PAPER", initialBalance: "10000" });
      accounts.push(res.json().id);
      owners.set(res.json().id, owner);
    }
    await prisma.brokerAccount.updateMany({ where: { id: { in: accounts } }, data: { freeMargin: "10000" } });
    api.container.bus.subscribe((e) => events.push(e));
  });
  afterAll(async () => {
    await api?.close();
  });

  const design = () => ({
    name: `wider SL buffer ${newId()}`,
    treatment: { policy: { slBufferMinPips: 2.5 } },
    pilotShare: 0.5,
    metrics: ["pnl_per_trade", "slippage"],
    minSamplePerArm: 20,
    accountIds: accounts,
  });

  it("lets only admins create, and names the field of every bad input", async () => {
    expect((await inject("POST", "/admin/experiments", trader, design())).statusCode).toBe(403);
    expect((await inject("POST", "/admin/experiments", quant, design())).statusCode).toBe(403);
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ pilotShare: 0.6 }, 400, "pilotShare"],
      [{ pilotShare: 0 }, 400, "pilotShare"],
      [{ pilotShare: "a lot" }, 400, "body.pilotShare"],
      [{ treatment: { policy: { maxLotz: 2 } } }, 400, "treatment.policy"],
      [{ treatment: { policy: { rejectScoreBelow: 101 } } }, 400, "treatment.policy.rejectScoreBelow"],
      [{ treatment: { modelVersions: { slippage: "20990101000000-none" } } }, 400, "treatment.modelVersions.slippage"],
      [{ accountIds: [accounts[0], newId()] }, 400, "accountIds"],
      [{ metrics: ["sharpe"] }, 400, "metrics"],
      [{ surprise: true }, 400, "body.surprise"],
    ];
    for (const [over, status, field] of cases) {
      const res = await inject("POST", "/admin/experiments", admin, { ...design(), ...over });
      expect(res.statusCode, JSON.stringify(over)).toBe(status);
      expect(res.json().error.details.field, JSON.stringify(over)).toBe(field);
    }
    const first = await inject("POST", "/admin/experiments", admin, { ...design(), name: "same name" });
    expect(first.statusCode).toBe(201);
    const again = await inject("POST", "/admin/experiments", admin, { ...design(), name: "same name" });
    expect([again.statusCode, again.json().error.details.field]).toEqual([409, "name"]);
  });

  it("runs an experiment end to end: create → start → decisions record the arm → evaluate → ship, audited", async () => {
    const created = await inject("POST", "/admin/experiments", admin, design());
    expect(created.statusCode).toBe(201);
    experimentId = created.json().id;
    expect(created.json()).toMatchObject({ status: "DRAFT", pilotShare: 0.5, accountIds: accounts, startedAt: null });
    expect((await inject("GET", `/admin/experiments/${experimentId}`, quant)).json()).toMatchObject({ status: "DRAFT", evaluation: null });
    expect((await inject("POST", `/admin/experiments/${experimentId}/start`, quant)).statusCode).toBe(403);

    const started = await inject("POST", `/admin/experiments/${experimentId}/start`, admin);
    expect(started.json()).toMatchObject({ status: "RUNNING" });
    // Its report answers from the start, before any unit traded (nothing to judge yet, not an error).
    const early = await inject("GET", `/admin/experiments/${experimentId}/report`, quant);
    expect(early.statusCode, early.body).toBe(200);
    expect(early.headers["content-type"]).toMatch(/text\/html/);
    const startedAt = Date.parse(started.json().startedAt);
    expect(events.some((e) => e.type === "experiment.changed" && e.userId === null && (e.data as { id: string }).id === experimentId)).toBe(true);

    // A second experiment sharing one account cannot start while this one runs.
    const rival = await inject("POST", "/admin/experiments", admin, { ...design(), accountIds: [accounts[5]] });
    const refused = await inject("POST", `/admin/experiments/${rival.json().id}/start`, admin);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.details).toMatchObject({ field: "accountIds", conflictsWith: experimentId });

    // Every account's decision carries its arm, and the treatment's wider stop-loss buffer is applied.
    const arms = new Map<string, string>();
    for (const acc of accounts) {
      const d = (await decide(acc)).json();
      const arm = assignVariant(experimentId, acc, 0.5);
      arms.set(acc, arm);
      expect(d.policyVariant).toBe(arm);
      if (arm === "TREATMENT") expect(1.098 - Number(d.stopLoss)).toBeGreaterThanOrEqual(0.00025 - 1e-9);
    }
    const treated = accounts.filter((a) => arms.get(a) === "TREATMENT");
    expect(treated.length).toBeGreaterThanOrEqual(2);
    expect(treated.length).toBeLessThanOrEqual(14);
    const prisma = api.container.db.prisma;
    const rows = await prisma.srmDecision.findMany({ where: { experimentId }, select: { accountId: true, policyVariant: true } });
    expect(rows).toHaveLength(16);
    for (const r of rows) expect(r.policyVariant).toBe(arms.get(r.accountId));

    // Trades after the start: treatment accounts earn about +30 a trade, control accounts lose about 10.
    const rng = seededRandom(9);
    await prisma.closedTrade.createMany({
      data: accounts.flatMap((acc) =>
        Array.from({ length: 12 }, (_, k) => ({
          accountId: acc,
          ticket: `${acc}-${k}`,
          symbol: "EURUSD",
          side: "BUY" as const,
          volume: "0.10",
          openTime: new Date(startedAt + 1),
          closeTime: new Date(startedAt + 2),
          openPrice: "1.10000",
          closePrice: "1.10100",
          profit: ((arms.get(acc) === "TREATMENT" ? 30 : -10) + 5 * rng.normal()).toFixed(2),
          closeReason: "TP" as const,
          origin: "PAPER" as const,
        })),
      ),
    });
    const got = (await inject("GET", `/admin/experiments/${experimentId}`, quant)).json();
    expect(got.status).toBe("RUNNING");
    const pnl = got.evaluation.metrics[0];
    expect(pnl).toMatchObject({ metric: "pnl_per_trade", verdict: "better", significant: true });
    expect(pnl.treatment.n).toBe(treated.length * 12);
    expect(pnl.ci.lower).toBeGreaterThan(0);
    expect(got.evaluation.srm).toMatchObject({ observed: { treatment: treated.length, control: 16 - treated.length }, mismatch: false });
    expect(got.evaluation.recommendation.action).toBe("ship");

    expect((await inject("POST", `/admin/experiments/${experimentId}/ship`, quant)).statusCode).toBe(403);
    const shipped = await inject("POST", `/admin/experiments/${experimentId}/ship`, admin);
    expect(shipped.statusCode).toBe(200);
    expect(shipped.json()).toMatchObject({ status: "SHIPPED" });

    const audit = (await inject("GET", `/admin/audit-log?entityType=srm_ab_test&entityId=${experimentId}`, admin)).json() as { action: string; actorUserId: string }[];
    expect(audit.map((a) => a.action).sort()).toEqual(["experiment.create", "experiment.ship", "experiment.start"]);
    expect(audit.every((a) => a.actorUserId === admin.id)).toBe(true);
    const shipEntry = await prisma.auditLog.findFirstOrThrow({ where: { entityId: experimentId, action: "experiment.ship" } });
    expect(shipEntry.after).toMatchObject({ status: "SHIPPED", forced: false, treatment: { policy: { slBufferMinPips: 2.5 } }, recommendation: { action: "ship" } });

    // The treatment is now everyone's default, control accounts included.
    const control = accounts.find((a) => arms.get(a) === "CONTROL")!;
    const after = (await decide(control)).json();
    expect(after.policyVariant).toBe("SHIPPED");
    expect(1.098 - Number(after.stopLoss)).toBeGreaterThanOrEqual(0.00025 - 1e-9);
    const row = await prisma.srmDecision.findUniqueOrThrow({ where: { id: after.id } });
    expect(row.experimentId).toBe(experimentId);
  });

  it("lists experiments for quants and admins only, and refuses transitions from the wrong state", async () => {
    const list = await inject("GET", "/admin/experiments?status=SHIPPED", quant);
    expect(list.statusCode).toBe(200);
    expect(list.json().map((e: { id: string }) => e.id)).toContain(experimentId);
    expect((await inject("GET", "/admin/experiments", trader)).statusCode).toBe(403);
    const again = await inject("POST", `/admin/experiments/${experimentId}/start`, admin);
    expect([again.statusCode, again.json().error.details.field]).toEqual([409, "status"]);
    expect((await inject("POST", `/admin/experiments/${newId()}/stop`, admin)).statusCode).toBe(404);
  });

  it("runs the daily drift job and serves drift reports to quants and admins", async () => {
    const job = driftCheckJob(api.container);
    expect(job.schedule).toEqual({ cron: "30 3 * * *", timezone: "UTC" });
    await api.container.jobs.register([job]);
    await api.container.jobs.startWorkers({ only: [job.name] });
    expect(await api.container.jobs.runNow(job, undefined)).toMatchObject({ status: "completed", result: { status: "skipped", reason: "no slippage champion to monitor" } });
    const res = await inject("GET", "/srm/drift-reports?kind=slippage&limit=5", quant);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([]);
    expect((await inject("GET", "/srm/drift-reports", trader)).statusCode).toBe(403);
  });
});
