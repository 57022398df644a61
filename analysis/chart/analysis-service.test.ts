import { beforeEach, expect, it } from "vitest";
import { TIMEFRAME_MS } from "../../core/index.ts";
import { describeEachDatabase } from "../../test/kit/db.ts";
import { FakeClock } from "../../test/kit/fake-clock.ts";
import { InMemoryMarketData } from "../context/in-memory-market-data.ts";
import { ANALYSIS_KINDS } from "./analysis-result.ts";
import { AnalysisService } from "./analysis-service.ts";
import { T0, trendSeries } from "./constructed-series.ts";

const H1 = TIMEFRAME_MS.H1;

describeEachDatabase("AnalysisService", (getDb) => {
  const candles = trendSeries(400, 0.0005);
  const reader = InMemoryMarketData.of("EURUSD", { candles: { H1: candles }, ticks: [] });
  // Half an hour into the bar after the 350th: bars 0..349 have closed.
  const clock = new FakeClock(T0 + 350 * H1 + 30 * 60_000);

  beforeEach(async () => {
    await getDb().prisma.aiAnalysis.deleteMany({});
    await getDb().prisma.candle.deleteMany({});
    clock.set(T0 + 350 * H1 + 30 * 60_000);
  });

  it("analyses the closed bars and stores one row per kind with confidence, sentences and the data range", async () => {
    const service = new AnalysisService(getDb().prisma, reader, { clock });
    const stored = await service.run("EURUSD", "H1");
    expect(stored.cached).toBe(false);
    expect(stored.analysis.bars).toBe(300);
    expect(stored.analysis.dataTo).toBe(T0 + 350 * H1);
    expect(stored.analysis.dataFrom).toBe(T0 + 50 * H1);
    const rows = await getDb().prisma.aiAnalysis.findMany({ orderBy: { kind: "asc" } });
    expect(rows.map((r) => r.kind).sort()).toEqual([...ANALYSIS_KINDS].sort());
    for (const row of rows) {
      expect(row.symbol).toBe("EURUSD");
      expect(row.timeframe).toBe("H1");
      expect(row.synthetic).toBe(false);
      expect(row.dataFrom.getTime()).toBe(T0 + 50 * H1);
      expect(row.dataTo.getTime()).toBe(T0 + 350 * H1);
      expect(row.confidence).toBeGreaterThanOrEqual(0);
      expect(row.confidence).toBeLessThanOrEqual(1);
      expect((row.recommendations as string[]).length).toBeGreaterThan(0);
    }
    const trend = rows.find((r) => r.kind === "TREND")!;
    expect((trend.result as { long: { direction: string } }).long.direction).toBe("up");
    expect((await service.latest("EURUSD", "H1"))?.analysis).toEqual(stored.analysis);
  });

  it("marks the rows synthetic when told, or when stored candles in the range are synthetic", async () => {
    const service = new AnalysisService(getDb().prisma, reader, { clock });
    expect((await service.run("EURUSD", "H1", { synthetic: true })).synthetic).toBe(true);
    expect((await service.run("EURUSD", "H1")).synthetic).toBe(false);
    const bar = candles[200]!;
    await getDb().prisma.candle.createMany({
      data: [{ symbol: "EURUSD", timeframe: "H1", time: new Date(bar.time), open: "1.1", high: "1.1", low: "1.1", close: "1.1", synthetic: true }],
    });
    expect((await service.run("EURUSD", "H1")).synthetic).toBe(true);
    // A synthetic bar outside the analysed range does not count.
    expect((await service.run("EURUSD", "H1", { at: T0 + 150 * H1 })).synthetic).toBe(false);
  });

  it("serves the stored analysis until a new bar closes, then computes again", async () => {
    const service = new AnalysisService(getDb().prisma, reader, { clock });
    const first = await service.current("EURUSD", "H1");
    expect(first.cached).toBe(false);
    clock.advance(20 * 60_000);
    const again = await service.current("EURUSD", "H1");
    expect(again.cached).toBe(true);
    expect(again.analysis).toEqual(first.analysis);
    // Bar 350 closes at T0 + 351 h.
    clock.set(T0 + 351 * H1);
    const next = await service.current("EURUSD", "H1");
    expect(next.cached).toBe(false);
    expect(next.analysis.dataTo).toBe(T0 + 351 * H1);
    expect(await getDb().prisma.aiAnalysis.count({ where: { kind: "SUMMARY" } })).toBe(2);
  });

  it("answers not found for a symbol without bars", async () => {
    const service = new AnalysisService(getDb().prisma, reader, { clock });
    await expect(service.run("GBPUSD", "H1")).rejects.toMatchObject({ code: "CORE_ERR_NOT_FOUND" });
  });
});
