import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { conventionalPipSize, createLogger, LocalEventBus, systemClock } from "../core/index.ts";
import { AuditLog } from "../prisma/index.ts";
import { ModelRegistry, trainSlippage } from "../srm/index.ts";
import { describeEachDatabase } from "../test/kit/db.ts";
import { seedExecutions } from "../test/kit/executions.ts";
import { slippageModelReport } from "./model-report.ts";

const T = Date.UTC(2024, 0, 1);

describeEachDatabase("slippage model report", (getDb) => {
  it("renders a self-contained HTML page with every chart", { timeout: 120_000 }, async () => {
    const db = getDb();
    const logger = createLogger({ level: "silent" });
    const registry = new ModelRegistry(db.prisma, new AuditLog(db.prisma), new LocalEventBus(), systemClock, logger, mkdtempSync(path.join(os.tmpdir(), "riskloop-models-")), 5);
    await seedExecutions(db, { n: 500, seed: 9, from: T, signal: 1 });
    const trained = await trainSlippage(db.prisma, registry, logger, {
      window: { from: new Date(T), to: new Date(T + 86_400_000) },
      minRows: 200,
      gate: { minAbsolute: 0, minRelative: 0 },
      autoPromote: true,
      configHash: "test",
      pipSizeOf: conventionalPipSize,
    });
    await db.prisma.driftReport.create({
      data: { modelKind: "slippage", windowStart: new Date(T), windowEnd: new Date(T + 1), referenceRows: 100, currentRows: 50, features: {}, performance: {}, drifted: false, driftedShare: 0.2 },
    });

    const html = await slippageModelReport(db.prisma, registry);
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain(`Slippage model ${trained.version}`);
    expect(html).not.toMatch(/<script|src="http|href="http/);
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs.length).toBe(6);
    for (const title of ["Predicted p50 vs actual", "Observed coverage by decile", "Mean pinball loss by session", "Mean pinball loss by symbol", "Permutation importance", "Share of drifted features"]) {
      expect(html).toContain(title);
    }
    // The charts carry data: the scatter has one mark per sampled execution, the importance chart one bar per feature group.
    expect((svgs[0]!.match(/role="graphics-symbol"/g) ?? []).length).toBeGreaterThan(50);
    expect(html).toMatch(/baseline_symbol_session/);
  });
});
