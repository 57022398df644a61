import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, expect, it } from "vitest";
import { LocalEventBus, RiskloopError, createLogger } from "../../core/index.ts";
import { AuditLog } from "../../prisma/index.ts";
import { describeEachDatabase } from "../../test/kit/db.ts";
import { FakeClock } from "../../test/kit/fake-clock.ts";
import { DEFAULT_SRM_POLICY } from "../decision/srm-policy.ts";
import { ModelRegistry } from "../registry/model-registry.ts";
import { assignVariant } from "./assignment.ts";
import { ExperimentPolicyResolver, SHIPPED_VARIANT } from "./experiment-policy-resolver.ts";
import { ExperimentService } from "./experiment-service.ts";

async function failure(p: Promise<unknown>): Promise<RiskloopError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(RiskloopError);
    return err as RiskloopError;
  }
  throw new Error("expected a failure");
}

describeEachDatabase("ExperimentService and ExperimentPolicyResolver", (getDb) => {
  const clock = new FakeClock(Date.UTC(2024, 3, 1));
  const bus = new LocalEventBus();
  const logger = createLogger({ level: "silent" });
  let svc: ExperimentService;
  let resolver: ExperimentPolicyResolver;
  let admin: { userId: string };
  let accounts: string[];
  let pinned: string;

  beforeAll(async () => {
    const prisma = getDb().prisma;
    const audit = new AuditLog(prisma);
    const modelDir = mkdtempSync(path.join(os.tmpdir(), "riskloop-exp-"));
    const registry = new ModelRegistry(prisma, audit, bus, clock, logger, modelDir, 5);
    resolver = new ExperimentPolicyResolver(prisma, bus, clock, logger, DEFAULT_SRM_POLICY);
    await resolver.start();
    svc = new ExperimentService(prisma, registry, audit, bus, clock, logger, resolver);
    const user = await prisma.user.create({ data: { email: `exp-${Date.now()}@example.com`, passwordHash: "x", role: "ADMIN" } });
    admin = { userId: user.id };
    await prisma.brokerAccount.createMany({ data: Array.from({ length: 110 }, (_, i) => ({ userId: user.id, name: `acc ${i}`, platform: "PAPER" as const })) });
    accounts = (await prisma.brokerAccount.findMany({ where: { userId: user.id }, orderBy: { name: "asc" }, select: { id: true } })).map((a) => a.id);
    const row = await registry.register({ kind: "slippage", writeArtefact: async () => {}, featureSchema: {}, metrics: {}, trainedFrom: null, trainedTo: null, rowCount: 0, dataHash: "h", configHash: "c" });
    pinned = row.version;
  });

  it("checks pins and accounts against the database, and names the field", async () => {
    const unknownPin = await failure(svc.create({ name: "pin", treatment: { modelVersions: { slippage: "no-such-version" } }, pilotShare: 0.1 }, admin));
    expect(unknownPin.details).toMatchObject({ field: "treatment.modelVersions.slippage" });
    const unknownAccount = await failure(svc.create({ name: "acc", treatment: {}, pilotShare: 0.1, accountIds: [accounts[0]!, "00000000-0000-7000-8000-000000000000"] }, admin));
    expect(unknownAccount.details).toMatchObject({ field: "accountIds" });
    await svc.create({ name: "dup", treatment: {}, pilotShare: 0.1 }, admin);
    const duplicate = await failure(svc.create({ name: "dup", treatment: {}, pilotShare: 0.2 }, admin));
    expect([duplicate.kind, duplicate.details?.field]).toEqual(["conflict", "name"]);
  });

  it("refuses to start an experiment whose population overlaps a running one", async () => {
    const a = await svc.create({ name: "A", treatment: { policy: { maxSlippageP90Pips: 3 } }, pilotShare: 0.5, accountIds: accounts.slice(0, 4) }, admin);
    const b = await svc.create({ name: "B", treatment: {}, pilotShare: 0.5, accountIds: accounts.slice(3, 6) }, admin);
    const c = await svc.create({ name: "C", treatment: { policy: { rejectScoreBelow: 50 }, modelVersions: { slippage: pinned } }, pilotShare: 0.5, accountIds: accounts.slice(6, 8) }, admin);
    const everyone = await svc.create({ name: "everyone", treatment: {}, pilotShare: 0.1 }, admin);
    await svc.start(a.id, admin);
    const overlap = await failure(svc.start(b.id, admin));
    expect([overlap.kind, overlap.details?.field, overlap.details?.conflictsWith, overlap.details?.accounts]).toEqual(["conflict", "accountIds", a.id, [accounts[3]]]);
    expect((await failure(svc.start(everyone.id, admin))).details).toMatchObject({ field: "accountIds", accounts: "all" });
    await svc.start(c.id, admin);
    expect((await failure(svc.start(c.id, admin))).details).toMatchObject({ field: "status" });

    // The resolver follows: arms by hash inside the populations, the default policy outside.
    for (const acc of accounts.slice(0, 4)) {
      const r = resolver.resolve(acc);
      expect(r).toMatchObject({ experimentId: a.id, variant: assignVariant(a.id, acc, 0.5) });
      expect(r.policy.maxSlippageP90Pips).toBe(r.variant === "TREATMENT" ? 3 : DEFAULT_SRM_POLICY.maxSlippageP90Pips);
    }
    const inC = accounts.slice(6, 8).map((acc) => resolver.resolve(acc));
    for (const r of inC) expect(r.modelVersions).toEqual(r.variant === "TREATMENT" ? { slippage: pinned } : undefined);
    expect(resolver.resolve(accounts[50]!)).toEqual({ policy: DEFAULT_SRM_POLICY, variant: null, experimentId: null });
    await resolver.flush();
    const rows = await getDb().prisma.srmAbAssignment.findMany({ where: { testId: a.id } });
    expect(rows.map((r) => [r.accountId, r.variant]).sort()).toEqual(accounts.slice(0, 4).map((acc) => [acc, assignVariant(a.id, acc, 0.5)]).sort());

    // Shipping C (forced: no data yet) promotes its pinned model and makes its treatment everyone's default.
    const refused = await failure(svc.ship(c.id, admin));
    expect(refused.details).toMatchObject({ field: "force", recommendation: { action: "keep_running" } });
    await svc.ship(c.id, admin, { force: true });
    expect((await getDb().prisma.srmModelAlias.findUniqueOrThrow({ where: { kind_alias: { kind: "slippage", alias: "champion" } } })).version).toBe(pinned);
    const outside = resolver.resolve(accounts[50]!);
    expect(outside).toMatchObject({ variant: SHIPPED_VARIANT, experimentId: c.id, policy: { ...DEFAULT_SRM_POLICY, rejectScoreBelow: 50 } });
    expect(resolver.resolve(accounts[0]!).policy.rejectScoreBelow).toBe(50);
    const audit = await getDb().prisma.auditLog.findFirstOrThrow({ where: { entityId: c.id, action: "experiment.ship" } });
    expect(audit.after).toMatchObject({ status: "SHIPPED", forced: true, recommendation: { action: "keep_running" } });
    await svc.stop(a.id, admin);
    expect(resolver.resolve(accounts[0]!)).toMatchObject({ variant: SHIPPED_VARIANT });
  });

  it("flags a planted 70/30 split against an expected 85/15, and not a fair one", async () => {
    const prisma = getDb().prisma;
    const plant = async (name: string, treated: number) => {
      const e = await svc.create({ name, treatment: {}, pilotShare: 0.15, accountIds: accounts.slice(10, 110) }, admin);
      await prisma.srmAbTest.update({ where: { id: e.id }, data: { status: "STOPPED", startedAt: new Date(clock.now() - 86_400_000), stoppedAt: new Date(clock.now()) } });
      await prisma.srmAbAssignment.createMany({ data: accounts.slice(10, 110).map((acc, i) => ({ testId: e.id, accountId: acc, variant: i < treated ? ("TREATMENT" as const) : ("CONTROL" as const) })) });
      return (await svc.evaluate(await svc.get(e.id)))!;
    };
    const planted = await plant("planted", 30);
    expect(planted.srm).toMatchObject({ observed: { control: 70, treatment: 30 }, checked: true, mismatch: true });
    expect(planted.recommendation.action).toBe("stop");
    const fair = await plant("fair", 15);
    expect(fair.srm).toMatchObject({ checked: true, mismatch: false });
    expect(fair.recommendation.action).toBe("keep_running");
  });
});
