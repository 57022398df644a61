import { describe, expect, it } from "vitest";
import { DbMarketDataReader } from "../market-data/index.ts";
import { describeEachDatabase, freshDatabase } from "../../test/kit/db.ts";
import { hasSharedData, SHARED_DATA, describeIfData } from "../../test/kit/shared-data.ts";
import { DEMO_SYMBOLS } from "./calibration-figures.ts";
import { marketOpen } from "./scenario-generator.ts";
import { seedMarketData } from "./seed-market-data.ts";

const NOW = Date.parse("2026-07-09T14:37:00Z");
const SMALL = { now: NOW, historyDays: 20, m1Days: 3, tickHours: 1 };

describeEachDatabase("seedMarketData without data files", (getDb) => {
  it("generates every demo symbol, all rows synthetic, with instruments; a second run adds nothing", async () => {
    const db = getDb();
    const first = await seedMarketData(db, SMALL);
    expect(first.symbols.map((s) => [s.symbol, s.source])).toEqual(DEMO_SYMBOLS.map((s) => [s, "synthetic"]));
    for (const s of first.symbols) {
      expect(s.candles).toBeGreaterThan(4000);
      expect(s.ticks).toBeGreaterThan(500);
    }
    expect(await db.prisma.candle.count({ where: { synthetic: false } })).toBe(0);
    expect(await db.prisma.tick.count({ where: { synthetic: false } })).toBe(0);
    const gold = await db.prisma.instrument.findUniqueOrThrow({ where: { symbol: "XAUUSD" } });
    expect([gold.digits, gold.pipSize.toString(), gold.contractSize.toString(), gold.marginRate.toString(), gold.volumeStep.toString()]).toEqual([3, "0.01", "100", "0.05", "0.01"]);
    const eur = await db.prisma.instrument.findUniqueOrThrow({ where: { symbol: "EURUSD" } });
    expect([eur.digits, eur.contractSize.toString(), eur.marginRate.toString(), eur.maxVolume.toString()]).toEqual([5, "100000", "0.01", "100"]);

    const again = await seedMarketData(db, SMALL);
    expect(again.symbols.every((s) => s.source === "already seeded")).toBe(true);
  });

  it("leaves a reader with recent M1 inside market hours, resampled timeframes and ticks up to now", async () => {
    const reader = new DbMarketDataReader(getDb());
    const m1 = await reader.lastCandles("EURUSD", "M1", NOW, 500);
    expect(m1.length).toBe(500);
    expect(m1.every((c) => marketOpen(c.time) && c.low <= Math.min(c.open, c.close) && c.high >= Math.max(c.open, c.close) && c.spread! >= 0)).toBe(true);
    expect(m1[499]!.time).toBe(NOW - 60_000);
    const cover = await reader.coverage("XAUUSD");
    expect(Object.keys(cover.candles).sort()).toEqual(["D1", "H1", "H4", "M1", "M15", "M30", "M5"]);
    expect(cover.ticks!.to).toBeLessThan(NOW);
    expect(cover.ticks!.to).toBeGreaterThan(NOW - 60_000);
    expect(cover.candles.H1!.from).toBeLessThan(NOW - 19 * 86_400_000);
    expect(await reader.symbols()).toEqual([...DEMO_SYMBOLS].sort());
  });
});

// The import path itself is tested on both databases in market-data; one database is enough here.
describeIfData(hasSharedData("prices", "lean", "oanda_eurusd_h1_bidask.csv.gz"), "seedMarketData from ../shared/data", () => {
  it("imports real bars and ticks, none of them synthetic", async () => {
    const db = await freshDatabase("pglite");
    try {
      const r = await seedMarketData(db, { dataDir: SHARED_DATA });
      expect(r.symbols.map((s) => s.source)).toEqual(["real", "real", "real", "real"]);
      expect(await db.prisma.candle.count({ where: { synthetic: true } })).toBe(0);
      expect(r.symbols.find((s) => s.symbol === "EURUSD")!.ticks).toBe(24_179);
      const reader = new DbMarketDataReader(db);
      const cover = await reader.coverage("EURUSD");
      expect(new Date(cover.candles.H1!.from).toISOString()).toBe("2016-01-03T22:00:00.000Z");
      expect(new Date(cover.candles.M1!.from).toISOString()).toBe("2014-05-01T00:00:00.000Z");
      expect(new Date(cover.ticks!.to).getTime()).toBeLessThan(Date.parse("2014-05-02T00:00:00Z"));
    } finally {
      await db.close();
    }
  });
});
