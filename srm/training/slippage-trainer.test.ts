import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeEach, expect, it } from "vitest";
import { conventionalPipSize, createLogger, LocalEventBus, systemClock } from "../../core/index.ts";
import { AuditLog } from "../../prisma/index.ts";
import { describeEachDatabase } from "../../test/kit/db.ts";
import { seedExecutions } from "../../test/kit/executions.ts";
import { ModelRegistry } from "../registry/model-registry.ts";
import { trainSlippage, type TrainSlippageOptions } from "./slippage-trainer.ts";

const logger = createLogger({ level: "silent" });
const DAY = 86_400_000;
const T = Date.UTC(2024, 0, 1);

describeEachDatabase("slippage retraining with the promotion gate", (getDb) => {
  let registry: ModelRegistry;
  let modelDir: string;
  const opts = (over: Partial<TrainSlippageOptions> = {}): TrainSlippageOptions => ({
    window: { from: new Date(T), to: new Date(T + 30 * DAY) },
    minRows: 200,
    gate: { minAbsolute: 0.001, minRelative: 0.01 },
    autoPromote: true,
    configHash: "test",
    pipSizeOf: conventionalPipSize,
    seed: 3,
    ...over,
  });

  beforeEach(() => {
    modelDir = mkdtempSync(path.join(os.tmpdir(), "riskloop-models-"));
    registry = new ModelRegistry(getDb().prisma, new AuditLog(getDb().prisma), new LocalEventBus(), systemClock, logger, modelDir, 5);
  });

  it("refuses to train on too little data and says how much is needed", async () => {
    await expect(trainSlippage(getDb().prisma, registry, logger, opts({ window: { from: new Date(T - 400 * DAY), to: new Date(T - 300 * DAY) } }))).rejects.toThrow(
      /needs at least 200 filled executions in the window; found 0/,
    );
  });

  it("promotes a better candidate, rejects one that is not better, and keeps the champion when a run is killed", async () => {
    const db = getDb();
    // A weaker window: slippage only half explained by its law. The first model only has to beat the baselines.
    await seedExecutions(db, { n: 600, seed: 1, from: T, signal: 0.5 });
    const first = await trainSlippage(db.prisma, registry, logger, opts({ window: { from: new Date(T), to: new Date(T + 1 * DAY) } }));
    expect(first.gate.champion).toBeNull();
    expect(first.promoted).toBe(true);
    const firstChampion = await registry.champion("slippage");
    expect(firstChampion?.version).toBe(first.version);

    // New data where slippage follows its law closely: the retrain on the new window must beat the champion.
    await seedExecutions(db, { n: 900, seed: 2, from: T + 2 * DAY, signal: 1 });
    const second = await trainSlippage(db.prisma, registry, logger, opts({ window: { from: new Date(T + 2 * DAY), to: new Date(T + 3 * DAY) } }));
    expect(second.gate.champion).not.toBeNull();
    expect(second.promoted).toBe(true);
    expect((await registry.champion("slippage"))?.version).toBe(second.version);
    expect((await registry.get("slippage", first.version)).status).toBe("RETIRED");

    // Retraining on the same window cannot beat the champion by the margin: recorded as rejected with its numbers.
    const third = await trainSlippage(db.prisma, registry, logger, opts({ window: { from: new Date(T + 2 * DAY), to: new Date(T + 3 * DAY) }, gate: { minAbsolute: 0.05, minRelative: 0.1 } }));
    expect(third.promoted).toBe(false);
    const rejected = await registry.get("slippage", third.version);
    expect(rejected.status).toBe("REJECTED");
    expect((rejected.metrics as { gate: { reason: string } }).gate.reason).toMatch(/below the required/);
    expect((await registry.champion("slippage"))?.version).toBe(second.version);

    // A killed run (aborted mid-fit) leaves the champion and the registry exactly as they were.
    const before = await db.prisma.srmModelVersion.count();
    const folders = readdirSync(path.join(modelDir, "slippage")).length;
    const abort = new AbortController();
    const killed = trainSlippage(db.prisma, registry, logger, opts({ window: { from: new Date(T + 2 * DAY), to: new Date(T + 3 * DAY) }, signal: abort.signal, onProgress: (f) => f >= 0.1 && abort.abort(new Error("worker killed")) }));
    await expect(killed).rejects.toThrow();
    expect(await db.prisma.srmModelVersion.count()).toBe(before);
    expect(readdirSync(path.join(modelDir, "slippage")).length).toBe(folders);
    expect((await registry.champion("slippage"))?.version).toBe(second.version);
    expect(first.holdout.rows.map((r) => r.name)).toEqual(expect.arrayContaining(["mlp-quantile", "linear-quantile", "baseline_global", "baseline_symbol_session"]));
  });

  it("rolls back to a kept version and refuses a pruned one", async () => {
    const db = getDb();
    await seedExecutions(db, { n: 400, seed: 5, from: T + 10 * DAY, signal: 1 });
    const window = { from: new Date(T + 10 * DAY), to: new Date(T + 11 * DAY) };
    const a = await trainSlippage(db.prisma, registry, logger, opts({ window, autoPromote: false }));
    const b = await trainSlippage(db.prisma, registry, logger, opts({ window, autoPromote: false, seed: 4 }));
    await registry.promote("slippage", b.version, { reason: "test" });
    await registry.promote("slippage", a.version, { reason: "roll back" });
    expect((await registry.champion("slippage"))?.version).toBe(a.version);
    const audit = await db.prisma.auditLog.findMany({ where: { action: "model.promote" } });
    expect(audit.length).toBeGreaterThanOrEqual(2);
    expect(existsSync(path.join(modelDir, "slippage", b.version))).toBe(true);
  });
});
