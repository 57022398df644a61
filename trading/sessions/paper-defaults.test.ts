import { describe, expect, it } from "vitest";
import type { Candle, Tick } from "../../core/index.ts";
import { ArrayMarketDataReader } from "../paper/testing/array-market-data-reader.ts";
import { TEST_INSTRUMENTS } from "../paper/testing/paper-instruments.ts";
import { defaultPaperSettings } from "./paper-defaults.ts";

const at = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d);
const ticks = (symbol: string, from: number, to: number): Tick[] => [from, to].map((time) => ({ symbol, time, bid: 1, ask: 1.0001 }));
const bars = (from: number, to: number): Candle[] => [from, to].map((time) => ({ time, open: 1, high: 1, low: 1, close: 1, volume: 0 }));

describe("defaultPaperSettings: the replay window of a paper account created without one", () => {
  it("replays every symbol over their common range when they were recorded together", async () => {
    const reader = new ArrayMarketDataReader({ ticks: { EURUSD: ticks("EURUSD", at(2024, 3, 1), at(2024, 3, 8)) }, m1: { GBPUSD: bars(at(2024, 3, 1), at(2024, 3, 8)) } });
    expect(await defaultPaperSettings(reader, TEST_INSTRUMENTS, "5000")).toEqual({ symbols: ["EURUSD", "GBPUSD"], from: at(2024, 3, 1), to: at(2024, 3, 8) + 1, initialBalance: "5000" });
  });

  it("keeps to the latest stretch the most symbols share, leaving out symbols recorded in other years", async () => {
    // As the real demo data: GBPUSD in 2012 and USDJPY in 2013 (M1 only), EURUSD and XAUUSD in May 2014 with
    // EURUSD's M1 going on to 2018.
    const reader = new ArrayMarketDataReader({
      ticks: { EURUSD: ticks("EURUSD", at(2014, 5, 1), at(2014, 5, 15)), XAUUSD: ticks("XAUUSD", at(2014, 5, 1) + 3_600_000, at(2014, 5, 15)) },
      m1: { GBPUSD: bars(at(2012, 2, 1), at(2012, 3, 1)), USDJPY: bars(at(2013, 2, 1), at(2013, 3, 1)), EURUSD: bars(at(2014, 5, 1), at(2018, 4, 4)) },
    });
    const settings = await defaultPaperSettings(reader, TEST_INSTRUMENTS, "0");
    expect(settings).toEqual({ symbols: ["EURUSD", "XAUUSD"], from: at(2014, 5, 1) + 3_600_000, to: at(2014, 5, 15) + 1 });
    // Asked for one symbol, it gets that symbol's own range; a tie goes to the latest stretch.
    expect(await defaultPaperSettings(reader, TEST_INSTRUMENTS, "0", ["GBPUSD"])).toMatchObject({ symbols: ["GBPUSD"], from: at(2012, 2, 1), to: at(2012, 3, 1) + 60_000 });
    expect(await defaultPaperSettings(reader, TEST_INSTRUMENTS, "0", ["GBPUSD", "USDJPY"])).toMatchObject({ symbols: ["USDJPY"], from: at(2013, 2, 1) });
  });

  it("refuses when nothing is recorded, naming paperSettings", async () => {
    await expect(defaultPaperSettings(new ArrayMarketDataReader({}), TEST_INSTRUMENTS, "1")).rejects.toMatchObject({ code: "CORE_ERR_INVALID", details: { field: "paperSettings" } });
  });
});
