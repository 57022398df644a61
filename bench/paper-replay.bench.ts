import { dec } from "../core/index.ts";
import { sharedDataPath } from "../test/kit/shared-data.ts";
import { PaperVenue } from "../trading/paper/index.ts";
import { ArrayMarketDataReader } from "../trading/paper/testing/array-market-data-reader.ts";
import { readLeanTicks } from "../trading/paper/testing/lean-csv.ts";
import { TEST_INSTRUMENTS } from "../trading/paper/testing/paper-instruments.ts";

const RUNS = 3;
const from = Date.UTC(2014, 4, 1);
const to = Date.UTC(2014, 4, 16);

type Setup = "idle" | "trading" | "streaming";

/**
 * Replays the whole real OANDA EURUSD tick file (2014-05-01 → 05-15, 532,903 ticks) as fast as possible through
 * an in-memory MarketDataReader: with nothing open; with positions carrying SL/TP and working pending orders
 * (every tick is checked against them and the stop-out level); and with price events streamed to a listener.
 */
export default async function run(): Promise<Record<string, unknown>> {
  const loadStart = performance.now();
  const ticks = readLeanTicks(sharedDataPath("prices", "lean", "oanda_eurusd_tick_bidask.csv.gz"));
  const loadMs = performance.now() - loadStart;

  async function replay(setup: Setup): Promise<number> {
    const venue = new PaperVenue({
      accountId: "bench",
      reader: new ArrayMarketDataReader({ ticks: { EURUSD: ticks } }),
      instruments: TEST_INSTRUMENTS,
      symbols: ["EURUSD"],
      from,
      to,
      latency: { kind: "fixed", ms: 0 },
      initialBalance: 1_000_000,
    });
    await venue.connect();
    await venue.advanceTo(from + 3_600_000);
    if (setup === "trading") {
      const q = await venue.fetchPrice("EURUSD");
      for (let i = 0; i < 5; i++) {
        const side = i % 2 ? "SELL" : "BUY";
        const far = dec("0.5");
        await venue.submitOrder({ clientOrderId: `P${i}`, symbol: "EURUSD", side, type: "MARKET", volume: dec("1"), stopLoss: side === "BUY" ? q.bid.minus(far) : q.ask.plus(far), takeProfit: side === "BUY" ? q.bid.plus(far) : q.ask.minus(far) });
      }
      for (let i = 0; i < 3; i++) await venue.submitOrder({ clientOrderId: `L${i}`, symbol: "EURUSD", side: "BUY", type: "LIMIT", volume: dec("1"), price: dec("1.2") });
    }
    let events = 0;
    if (setup === "streaming") {
      await venue.subscribePrices(["EURUSD"]);
      venue.events.on("price", () => events++);
    }
    const started = performance.now();
    await venue.runToEnd();
    const seconds = (performance.now() - started) / 1000;
    if (setup === "trading" && (await venue.fetchPositions()).length !== 5) throw new Error("positions closed unexpectedly");
    if (setup === "streaming" && events === 0) throw new Error("no price events");
    return ticks.length / seconds;
  }

  const median = async (setup: Setup) => {
    const rates: number[] = [];
    for (let i = 0; i < RUNS; i++) rates.push(await replay(setup));
    rates.sort((a, b) => a - b);
    return Math.round(rates[RUNS >> 1]!);
  };

  return {
    ticks: ticks.length,
    load_csv_ms: Math.round(loadMs),
    idle_ticks_per_s: await median("idle"),
    trading_ticks_per_s: await median("trading"),
    streaming_ticks_per_s: await median("streaming"),
  };
}
