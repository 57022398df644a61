import { expect, it } from "vitest";
import { RiskloopError } from "../../core/index.ts";
import { describeEachDatabase } from "../../test/kit/db.ts";
import { hasSharedData, sharedDataPath } from "../../test/kit/shared-data.ts";
import { DbMarketDataReader } from "./db-market-data-reader.ts";
import { importCandles, importTicks } from "./import-market-file.ts";
import { writeSample } from "./write-sample.ts";

const utc = (s: string) => Date.parse(`${s}Z`);
const minute = (i: number) => new Date(utc("2024-01-03T10:00:00") + i * 60_000).toISOString().slice(0, 16).replace("T", " ");
const barLine = (i: number) => `${minute(i)},${(1.1 + i / 1e4).toFixed(5)},${(1.1003 + i / 1e4).toFixed(5)},${(1.0998 + i / 1e4).toFixed(5)},${(1.1001 + i / 1e4).toFixed(5)},${10 + i}`;
const barFile = (from: number, to: number, extra: string[] = []) =>
  writeSample("bars.csv", ["time_utc,open,high,low,close,volume", ...Array.from({ length: to - from }, (_, k) => barLine(from + k)), ...extra]);

const TICKS = [
  "time_utc,bid,ask",
  "2024-01-03 10:00:00.100,1.10000,1.10010",
  "2024-01-03 10:00:00.100,1.10002,1.10012",
  "2024-01-03 10:00:00.100,1.10001,1.10011",
  "2024-01-03 10:00:30.000,1.10005,1.10003",
  "2024-01-03 10:01:10.000,1.10010,1.10020",
  "2024-01-03 11:15:00.000,1.10100,1.10110",
];

async function failure(run: () => Promise<unknown>): Promise<RiskloopError> {
  try {
    await run();
  } catch (e) {
    if (e instanceof RiskloopError) return e;
    throw e;
  }
  throw new Error("expected a RiskloopError");
}

describeEachDatabase("market-data import and reader", (getDb) => {
  it("imports bars, reads them back as numbers in time order, and a re-import inserts nothing", async () => {
    const db = getDb();
    const file = barFile(0, 10);
    const first = await importCandles(db, file, { symbol: "EURUSD", timeframe: "M1", batchRows: 3 });
    expect(first).toMatchObject({ rowsRead: 10, inserted: 10, duplicatesSkipped: 0, timeZone: "UTC", from: "2024-01-03T10:00:00.000Z", to: "2024-01-03T10:09:00.000Z" });
    const again = await importCandles(db, file, { symbol: "EURUSD", timeframe: "M1", batchRows: 3 });
    expect(again).toMatchObject({ inserted: 0, duplicatesSkipped: 10 });
    const reader = new DbMarketDataReader(db);
    const bars = await reader.candles("EURUSD", "M1", utc("2024-01-03T10:02:00"), utc("2024-01-03T10:05:00"));
    expect(bars).toEqual([2, 3, 4].map((i) => ({ time: utc("2024-01-03T10:00:00") + i * 60_000, open: 1.1 + i / 1e4, high: 1.1003 + i / 1e4, low: 1.0998 + i / 1e4, close: 1.1001 + i / 1e4, volume: 10 + i })));
    expect((await reader.candles("EURUSD", "M1", 0, utc("2030-01-01T00:00:00"), 4)).length).toBe(4);
    const last = await reader.lastCandles("EURUSD", "M1", utc("2024-01-03T10:09:00"), 2);
    expect(last.map((c) => c.time)).toEqual([utc("2024-01-03T10:07:00"), utc("2024-01-03T10:08:00")]);
  });

  it("inserts only the new rows of an overlapping file", async () => {
    const db = getDb();
    await importCandles(db, barFile(0, 5), { symbol: "OVERLAP", batchRows: 2 });
    const r = await importCandles(db, barFile(3, 9), { symbol: "OVERLAP", batchRows: 2 });
    expect(r).toMatchObject({ inserted: 4, duplicatesSkipped: 2 });
    expect(await db.prisma.candle.count({ where: { symbol: "OVERLAP" } })).toBe(9);
  });

  it("commits nothing from a file with a bad row, even after earlier batches went to the database", async () => {
    const db = getDb();
    const file = barFile(0, 8, [`${minute(3)},1.1,1.2,1.0,1.1,1`]);
    const err = await failure(() => importCandles(db, file, { symbol: "BADFILE", batchRows: 2 }));
    expect(err.code).toBe("MKT_ERR_BAD_ROW");
    expect(err.message).toMatch(new RegExp(`bars\\.csv:10: duplicate timestamp`));
    expect(await db.prisma.candle.count({ where: { symbol: "BADFILE" } })).toBe(0);
    const ticks = writeSample("ticks.csv", [...TICKS, "2024-01-03 09:00:00.000,1.1,1.2"]);
    await expect(importTicks(db, ticks, { symbol: "BADTICKS", batchRows: 2, resample: ["M1"] })).rejects.toThrow(/ticks\.csv:8: out of order/);
    expect(await db.prisma.tick.count({ where: { symbol: "BADTICKS" } })).toBe(0);
    expect(await db.prisma.candle.count({ where: { symbol: "BADTICKS" } })).toBe(0);
  });

  it("with skipBad imports the good rows and reports the bad ones by reason", async () => {
    const db = getDb();
    const file = barFile(0, 4, [`${minute(2)},1.1,1.2,1.0,1.1,1`, `${minute(9)},1.1,1.0,1.2,1.1,1`, `${minute(10)},x`, barLine(11)]);
    const r = await importCandles(db, file, { symbol: "SKIPBAD", skipBad: true });
    expect(r).toMatchObject({ rowsRead: 8, inserted: 5, badRows: { "duplicate timestamp": 1, "high below low": 1, malformed: 1 } });
    expect(r.badSamples.map((s) => s.line)).toEqual([6, 7, 8]);
  });

  it("keeps repeated timestamps (seq), crossed quotes and order; ticks page lazily; resampling lands in the same import", async () => {
    const db = getDb();
    const file = writeSample("ticks.csv", TICKS);
    const r = await importTicks(db, file, { symbol: "TICKS", resample: ["M1", "H1"] });
    expect(r).toMatchObject({ rowsRead: 6, inserted: 6, crossedQuotes: 1 });
    expect(r.resampled).toEqual([
      { timeframe: "M1", bars: 3, inserted: 3 },
      { timeframe: "H1", bars: 2, inserted: 2 },
    ]);
    expect((await importTicks(db, file, { symbol: "TICKS" })).inserted).toBe(0);
    const reader = new DbMarketDataReader(db, 2);
    const ticks = [];
    for await (const t of reader.ticks("TICKS", utc("2024-01-03T10:00:00.100"), utc("2024-01-03T11:15:00"))) ticks.push(t);
    expect(ticks.map((t) => [t.time - utc("2024-01-03T10:00:00"), t.bid, t.ask])).toEqual([
      [100, 1.1, 1.1001],
      [100, 1.10002, 1.10012],
      [100, 1.10001, 1.10011],
      [30_000, 1.10005, 1.10003],
      [70_000, 1.1001, 1.1002],
    ]);
    const m1 = await reader.candles("TICKS", "M1", 0, utc("2030-01-01T00:00:00"));
    expect(m1[0]).toEqual({ time: utc("2024-01-03T10:00:00"), open: 1.1, high: 1.10005, low: 1.1, close: 1.10005, volume: 4, spread: -0.00002 });
    const coverage = await reader.coverage("TICKS");
    expect(coverage.ticks).toEqual({ from: utc("2024-01-03T10:00:00.100"), to: utc("2024-01-03T11:15:00") });
    expect(Object.keys(coverage.candles).sort()).toEqual(["H1", "M1"]);
    expect(await reader.symbols()).toEqual(expect.arrayContaining(["EURUSD", "TICKS"]));
    expect(await reader.coverage("NOPE")).toEqual({ ticks: null, candles: {} });
  });

  it("marks synthetic rows", async () => {
    const db = getDb();
    await importCandles(db, barFile(0, 2), { symbol: "SYNTH", synthetic: true });
    expect(await db.prisma.candle.count({ where: { symbol: "SYNTH", synthetic: true } })).toBe(2);
  });

  it.skipIf(!hasSharedData("prices", "mt5_export_hadiforoughi", "EURUSD_M5.csv.gz"))(
    "the real duplicated MT5 M5 file: strict import stores nothing; --skip-bad stores 49,802 unique bars",
    async () => {
      const db = getDb();
      const file = sharedDataPath("prices", "mt5_export_hadiforoughi", "EURUSD_M5.csv.gz");
      await expect(importCandles(db, file, { symbol: "EURUSD", timeframe: "M5" })).rejects.toThrow(/:33423: duplicate timestamp/);
      expect(await db.prisma.candle.count({ where: { symbol: "EURUSD", timeframe: "M5" } })).toBe(0);
      const r = await importCandles(db, file, { symbol: "EURUSD", timeframe: "M5", skipBad: true });
      expect(r).toMatchObject({ rowsRead: 50_000, inserted: 49_802, badRows: { "duplicate timestamp": 198 } });
      expect(r.timeZone).toMatch(/^nyclose/);
      expect(r.timeZoneSource).toBe("format default");
    },
  );
});
