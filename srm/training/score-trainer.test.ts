import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createLogger, LocalEventBus, systemClock } from "../../core/index.ts";
import { seededRandom } from "../../models/index.ts";
import { AuditLog } from "../../prisma/index.ts";
import { describeEachDatabase } from "../../test/kit/db.ts";
import { ChampionCache } from "../registry/champion-cache.ts";
import { ModelRegistry } from "../registry/model-registry.ts";
import { betaPriorFromRates, trainScore } from "./score-trainer.ts";

describe("betaPriorFromRates", () => {
  it("matches the mean and variance of the providers' rates (method of moments)", () => {
    const p = betaPriorFromRates([0.4, 0.5, 0.6, 0.5, 0.45, 0.55], { alpha: 2, beta: 2 });
    const m = p.alpha / (p.alpha + p.beta);
    expect(m).toBeCloseTo(0.5, 9);
    const v = (p.alpha * p.beta) / ((p.alpha + p.beta) ** 2 * (p.alpha + p.beta + 1));
    expect(v).toBeCloseTo(0.0050, 4); // sample variance of the rates
  });

  it("keeps the prior's strength between 2 and 50 pseudo-trades and falls back when rates say nothing", () => {
    const tight = betaPriorFromRates([0.5, 0.5001, 0.4999], { alpha: 2, beta: 2 });
    expect(tight.alpha + tight.beta).toBeCloseTo(50, 9);
    expect(betaPriorFromRates([0.7], { alpha: 3, beta: 1 })).toEqual({ alpha: 3, beta: 1 });
    expect(betaPriorFromRates([1, 1, 1], { alpha: 3, beta: 1 })).toEqual({ alpha: 3, beta: 1 });
  });
});

describeEachDatabase("provider score training", (getDb) => {
  it("fits the priors to the providers on record, registers a candidate with its forward correlation, and serves the champion's parameters", async () => {
    const db = getDb();
    const logger = createLogger({ level: "silent" });
    const bus = new LocalEventBus();
    const registry = new ModelRegistry(db.prisma, new AuditLog(db.prisma), bus, systemClock, logger, mkdtempSync(path.join(os.tmpdir(), "riskloop-models-")), 5);
    const user = await db.prisma.user.create({ data: { email: `score-${Date.now()}@example.com`, passwordHash: "x" } });
    const rnd = seededRandom(5);
    for (const [k, winRate] of [0.35, 0.5, 0.65].entries()) {
      const account = await db.prisma.brokerAccount.create({ data: { userId: user.id, name: `p${k}`, platform: "MT4" } });
      const provider = await db.prisma.signalProvider.create({ data: { name: `provider ${k}`, source: "STATEMENT_IMPORT", masterAccountId: account.id, tradeCount: 80 } });
      await db.prisma.closedTrade.createMany({
        data: Array.from({ length: 80 }, (_, i) => {
          const win = rnd.next() < winRate;
          const t = Date.UTC(2024, 0, 1) + (k * 100 + i) * 3_600_000;
          return {
            accountId: account.id,
            providerId: provider.id,
            ticket: `${k}-${i}`,
            symbol: "EURUSD",
            side: "BUY" as const,
            volume: "0.1",
            openTime: new Date(t),
            closeTime: new Date(t + 1_800_000),
            openPrice: "1.1",
            closePrice: win ? "1.1020" : "1.0980",
            stopLoss: "1.0980",
            profit: win ? "20" : "-20",
            closeReason: (win ? "TP" : "SL") as "TP" | "SL",
            origin: "STATEMENT" as const,
          };
        }),
      });
    }

    const report = await trainScore(db.prisma, registry, { gate: { minAbsolute: 0, minRelative: 0 }, autoPromote: true, configHash: "t" });
    expect(report.providers).toBe(3);
    const mean = report.params.winPriorAlpha! / (report.params.winPriorAlpha! + report.params.winPriorBeta!);
    expect(mean).toBeGreaterThan(0.4);
    expect(mean).toBeLessThan(0.6);
    const row = await registry.get("score", report.version);
    expect(JSON.parse(readFileSync(path.join(row.artifactPath, "params.json"), "utf8")).winPriorAlpha).toBeCloseTo(report.params.winPriorAlpha!, 12);
    expect(row.metrics).toMatchObject({ horizon: 20, params: report.params });

    expect(report.promoted).toBe(report.gate.promote);

    // Once it is the champion, decisions score providers with its priors.
    if (!report.promoted) await registry.promote("score", report.version, { userId: user.id, reason: "test" });
    const cache = new ChampionCache(registry, bus, logger);
    await cache.refresh();
    expect(cache.scoreParams.winPriorAlpha).toBeCloseTo(report.params.winPriorAlpha!, 12);
    expect(cache.scoreParams.memoryHalfLifeTrades).toBe(50);
  });
});
