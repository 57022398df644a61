import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conventionalPipSize, createLogger, LocalEventBus } from "../../core/index.ts";
import { linearQuantileFamily, scoreQuantiles } from "../../models/index.ts";
import { AuditLog, type PrismaClient } from "../../prisma/index.ts";
import { describeEachDatabase } from "../../test/kit/db.ts";
import { FakeClock } from "../../test/kit/fake-clock.ts";
import { hasSharedData, sharedDataPath, describeIfData } from "../../test/kit/shared-data.ts";
import { buildFeatureSchema } from "../features/index.ts";
import { ModelRegistry } from "../registry/model-registry.ts";
import { importStatement, readStatementFile } from "../statements/index.ts";
import { splitByAccountTime, toDataset } from "../training/slippage-dataset.ts";
import { loadSlippageRows, type SlippageRow } from "../training/slippage-rows.ts";
import { fillFeatureRows } from "./fill-features.ts";
import { readFillsFile, type FillsFile } from "./fills-file.ts";
import { evaluateSlippage } from "./slippage-evaluation.ts";

const FILLS = ["slippage", "derived_from_statements", "sl_tp_fill_slippage.csv"] as const;
// Two demo accounts: 15 fills (4 TP without an SL) and 410 fills (197 TP exits of trades that carried an SL).
const IMPORTED = ["cajamarilla_heikenashi_DetailedStatement", "sujayjamdade01_DetailedStatement"];
const WINDOW = { from: new Date(0), to: new Date(Date.UTC(2030, 0, 1)) };

describeIfData(hasSharedData(...FILLS) && hasSharedData("trades", "_raw"), "evaluateSlippage on real fills", () => {
  let fills: FillsFile;
  beforeAll(() => {
    fills = readFillsFile(sharedDataPath(...FILLS));
  });

  it("reads the published fills file: 1,797 rows, the 95 repeated patrickingle fills kept once, all consistent", () => {
    expect([fills.read, fills.duplicates, fills.rows.length, fills.inconsistent]).toEqual([1797, 95, 1702, 0]);
  });

  describeEachDatabase("evaluateSlippage", (getDb) => {
    let prisma: PrismaClient;
    let registry: ModelRegistry;
    let stored: SlippageRow[];
    const modelDir = mkdtempSync(path.join(tmpdir(), "riskloop-models-"));
    afterAll(() => rmSync(modelDir, { recursive: true, force: true }));

    beforeAll(async () => {
      prisma = getDb().prisma;
      const audit = new AuditLog(prisma);
      await prisma.user.create({ data: { email: "admin@example.test", passwordHash: "x", role: "ADMIN" } });
      for (const stem of IMPORTED) await importStatement(prisma, audit, readStatementFile(sharedDataPath("trades", "_raw", `${stem}.htm.gz`)));
      // Both statements are small demo accounts (fast to import); treated as live here so training keeps their fills.
      await prisma.signalProvider.updateMany({ data: { isDemo: false } });
      registry = new ModelRegistry(prisma, audit, new LocalEventBus(), new FakeClock(), createLogger({ level: "silent" }), modelDir, 5);
      stored = await loadSlippageRows(prisma, WINDOW, conventionalPipSize);
    });

    it("encodes every fill of the file exactly as training encodes the same imported fill", async () => {
      const mine = fills.rows.filter((f) => IMPORTED.includes(f.statement));
      const { rows, tpWithStopLoss } = await fillFeatureRows(prisma, mine, conventionalPipSize);
      expect(rows).toHaveLength(425);
      expect(stored).toHaveLength(425);
      // Same (features, target) multiset: EA baskets close several positions in one second at one price.
      const encoded = (list: SlippageRow[]) => list.map((r) => JSON.stringify([r.at, r.slippagePips, r.features])).sort();
      expect(encoded(rows)).toEqual(encoded(stored));
      expect(tpWithStopLoss).toBe(197);
    });

    it("without a champion, says so and scores the baselines fitted on the stored training rows", async () => {
      const r = await evaluateSlippage(prisma, registry, fills, { window: WINDOW });
      expect(r.champion).toBeNull();
      expect(r.champion_note).toMatch(/no slippage champion/);
      expect([r.pinball_p50, r.pinball_p90, r.coverage_p90, r.within_half_pip]).toEqual([null, null, null, null]);
      expect(r.n).toBe(1702);
      expect(r.training).toMatchObject({ rows: 425, train_rows: 12 + 328 });
      expect(r.fills.in_training_rows).toBe(425);
      expect(r.out_of_sample?.n).toBe(1702 - 425);
      const better = r.baselines.global.pinball_mean <= r.baselines.symbol_session.pinball_mean ? "global" : "symbol_session";
      expect(r.baseline).toBe(better);
      expect([r.baseline_pinball_p50, r.baseline_pinball_p90]).toEqual([r.baselines[better].pinball_p50, r.baselines[better].pinball_p90]);
      // Trained only on zero-slippage demo fills, the global baseline predicts 0 and misses every slipped live fill.
      expect(r.baselines.global.coverage_p90).toBeCloseTo(fills.rows.filter((f) => f.slippagePips <= 0).length / 1702, 9);
    });

    it("scores the champion with its own feature schema on its own training window", async () => {
      const { train } = splitByAccountTime(stored);
      const schema = buildFeatureSchema(train.map((r) => r.features.symbol));
      const model = await linearQuantileFamily.fit(toDataset(train, schema), { seed: 7 });
      const row = await registry.register({
        kind: "slippage",
        featureSchema: schema,
        metrics: { family: "linear-quantile" },
        trainedFrom: new Date(stored[0]!.at),
        trainedTo: new Date(stored.at(-1)!.at),
        rowCount: stored.length,
        dataHash: "test",
        configHash: "test",
        writeArtefact: async (dir) => void (await model.save(dir)),
      });
      await registry.promote("slippage", row.version, { reason: "test" });

      const r = await evaluateSlippage(prisma, registry, fills, { window: { from: new Date(0), to: new Date(1) } });
      expect(r.champion).toEqual({ version: row.version, family: "linear-quantile" });
      expect(r.training).toMatchObject({ rows: 425, champion_row_count: 425 });
      const { rows } = await fillFeatureRows(prisma, fills.rows, conventionalPipSize);
      const ds = toDataset(rows, schema);
      const expected = scoreQuantiles(ds.y, model.predictor.predictBatch(ds.X, ds.n), [0.5, 0.9]);
      expect(r.pinball_p50).toBeCloseTo(expected.pinball[0]!, 9);
      expect(r.pinball_p90).toBeCloseTo(expected.pinball[1]!, 9);
      expect(r.coverage_p90).toBeCloseTo(expected.coverageP90!, 9);
      expect(r.within_half_pip).toBeCloseTo(expected.withinHalfPip!, 9);
    });
  });
});
