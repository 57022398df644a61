import { describe, expect, it } from "vitest";
import { RiskloopError, dec, type Candle, type Tick } from "../../core/index.ts";
import type { MarketDataReader } from "../../analysis/market-data/index.ts";
import { PaperVenue } from "./paper-venue.ts";
import { ArrayMarketDataReader } from "./testing/array-market-data-reader.ts";
import { connectedVenue, quotes } from "./testing/paper-fixture.ts";
import { TEST_INSTRUMENTS } from "./testing/paper-instruments.ts";

const T0 = Date.UTC(2024, 0, 2, 10);
const range = { from: Date.UTC(2024, 0, 2), to: Date.UTC(2024, 0, 3) };

describe("paper replay", () => {
  it("merges symbols into one time-ordered stream, breaking ties in the configured symbol order", async () => {
    const venue = await connectedVenue(
      { ticks: { EURUSD: quotes([[T0, 1.1, 1.1001], [T0 + 5, 1.1001, 1.1002]]), USDJPY: quotes([[T0, 150, 150.02], [T0 + 3, 150.01, 150.03]]) } },
      { ...range, symbols: ["USDJPY", "EURUSD"] },
    );
    const order: string[] = [];
    for (let p = await venue.step(); p; p = await venue.step()) order.push(`${p.symbol}@${p.time - T0}`);
    expect(order).toEqual(["USDJPY@0", "EURUSD@0", "USDJPY@3", "EURUSD@5"]);
    expect(venue.ended).toBe(true);
  });

  it("replays ticks where the reader has them and M1 bars for a symbol that has only bars", async () => {
    const bar: Candle = { time: T0, open: 2000, high: 2001, low: 1998, close: 2000.5, volume: 0, spread: 0.3 };
    const venue = await connectedVenue({ ticks: { EURUSD: quotes([[T0 + 1, 1.1, 1.1001]]) }, m1: { XAUUSD: [bar] } }, { ...range, symbols: ["EURUSD", "XAUUSD"] });
    await venue.runToEnd();
    const cursors = venue.toJSON().cursors as Record<string, { source: string; time: number }>;
    expect([cursors.EURUSD!.source, cursors.XAUUSD!.source, cursors.XAUUSD!.time]).toEqual(["ticks", "bars", T0 + 45_000]);
    expect(venue.lastQuote("XAUUSD")).toMatchObject({ bid: 2000.5, ask: 2000.8 });
  });

  it("turns a failing market-data read into TRD_ERR_BROKER_BUSY and resumes without a gap once reads work again", async () => {
    const ticks: Tick[] = Array.from({ length: 5_000 }, (_, i) => ({ time: T0 + i * 1_000, bid: 1.1, ask: 1.1001 }));
    const reader = new ArrayMarketDataReader({ ticks: { EURUSD: ticks } });
    let down = true;
    const broken: MarketDataReader = {
      candles: (...args) => reader.candles(...args),
      lastCandles: (...args) => reader.lastCandles(...args),
      coverage: (symbol) => reader.coverage(symbol),
      symbols: () => reader.symbols(),
      async *ticks(symbol, fromMs, toMs) {
        for await (const t of reader.ticks(symbol, fromMs, toMs)) {
          if (down && t.time >= T0 + 4_500_000) throw new Error("database connection lost");
          yield t;
        }
      },
    };
    const venue = new PaperVenue({ accountId: "broken", reader: broken, instruments: TEST_INSTRUMENTS, symbols: ["EURUSD"], ...range, latency: { kind: "fixed", ms: 4_400_000 } });
    await venue.connect();
    await venue.subscribePrices(["EURUSD"]);
    const seen: number[] = [];
    venue.events.on("price", (p) => seen.push(p.time));
    await venue.advanceTo(T0 + 100_000);
    const r = await venue.submitOrder({ clientOrderId: "X", symbol: "EURUSD", side: "BUY", type: "MARKET", volume: dec("0.1") });
    expect(r.status === "rejected" && [r.errorCode, r.message.includes("database connection lost")]).toEqual(["TRD_ERR_BROKER_BUSY", true]);
    expect(await venue.fetchPositions()).toEqual([]);
    const err = await venue.advanceTo(range.to).catch((e: unknown) => e);
    expect(err instanceof RiskloopError && err.code).toBe("TRD_ERR_BROKER_BUSY");
    down = false;
    await venue.runToEnd();
    expect(seen).toEqual(ticks.map((t) => t.time));
  });
});
