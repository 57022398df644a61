import { beforeAll, describe, expect, it } from "vitest";
import { RiskloopError, dec, type Candle } from "../../core/index.ts";
import { hasSharedData, sharedDataPath, describeIfData } from "../../test/kit/shared-data.ts";
import { barQuotePoints } from "./bar-quotes.ts";
import { readLeanBars } from "./testing/lean-csv.ts";
import { connectedVenue } from "./testing/paper-fixture.ts";
import { TEST_INSTRUMENTS } from "./testing/paper-instruments.ts";

const M1 = ["prices", "lean", "oanda_eurusd_m1_bidask.csv.gz"] as const;
const EURUSD = TEST_INSTRUMENTS[0]!;
const T = Date.UTC(2024, 0, 2, 10);

describe("four synthetic quotes per M1 bar", () => {
  const bar = (open: number, high: number, low: number, close: number, spread?: number): Candle => ({ time: T, open, high, low, close, volume: 0, ...(spread === undefined ? {} : { spread }) });

  it("visits the extreme nearer the open first, 15 s apart, with the bar's spread on every ask", () => {
    const highFirst = barQuotePoints(bar(1.1, 1.1005, 1.099, 1.1002, 0.0002), EURUSD, undefined);
    expect(highFirst.map((p) => [p.time - T, p.bid, p.ask])).toEqual([
      [0, 1.1, 1.1002],
      [15_000, 1.1005, 1.1007],
      [30_000, 1.099, 1.0992],
      [45_000, 1.1002, 1.1004],
    ]);
    const lowFirst = barQuotePoints(bar(1.1, 1.1012, 1.0997, 1.1, 0.0001), EURUSD, undefined);
    expect(lowFirst.map((p) => p.bid)).toEqual([1.1, 1.0997, 1.1012, 1.1]);
  });

  it("falls back on the symbol's typical spread and refuses to guess when there is none", () => {
    expect(barQuotePoints(bar(1.1, 1.1, 1.1, 1.1), EURUSD, 0.00013).map((p) => p.ask)).toEqual([1.10013, 1.10013, 1.10013, 1.10013]);
    const err = (() => {
      try {
        barQuotePoints(bar(1.1, 1.1, 1.1, 1.1), EURUSD, undefined);
      } catch (e) {
        return e;
      }
    })();
    expect(err instanceof RiskloopError && err.code).toBe("CORE_ERR_INVALID");
  });
});

describeIfData(hasSharedData(...M1), "paper venue on real EURUSD M1 bars only", () => {
  const from = Date.UTC(2014, 4, 1);
  const to = Date.UTC(2014, 4, 5);
  const fridayEnd = Date.UTC(2014, 4, 3);
  let bars: Candle[];
  /** The documented bar path, written out independently: O, nearer extreme, farther extreme, C; ask = bid + spread. */
  let points: { time: number; bid: number; ask: number }[];
  beforeAll(() => {
    bars = readLeanBars(sharedDataPath(...M1), 5, from, to);
    points = bars.flatMap((b) => {
      const path = b.high - b.open <= b.open - b.low ? [b.open, b.high, b.low, b.close] : [b.open, b.low, b.high, b.close];
      return path.map((bid, i) => ({ time: b.time + i * 15_000, bid, ask: Number((bid + b.spread!).toFixed(5)) }));
    });
  });
  const venueOn = (latencyMs: number) => connectedVenue({ m1: { EURUSD: bars } }, { from, to, symbols: ["EURUSD"], latency: { kind: "fixed", ms: latencyMs } });

  it("replays bars when no ticks exist and fills market orders at the first synthetic quote after the latency", async () => {
    const venue = await venueOn(20_000);
    for (let i = 0; i < 12; i++) {
      const t = from + 3_600_000 + i * 97 * 60_000 + 7_000;
      await venue.advanceTo(t);
      const side = i % 2 ? "SELL" : "BUY";
      const r = await venue.submitOrder({ clientOrderId: `B${i}`, symbol: "EURUSD", side, type: "MARKET", volume: dec("0.01") });
      if (r.status === "rejected") throw new Error(r.message);
      const fill = points.find((p) => p.time >= t + 20_000)!;
      expect([r.fillTime, r.fillPrice!.toNumber()]).toEqual([fill.time, side === "BUY" ? fill.ask : fill.bid]);
    }
    expect((venue.toJSON().cursors as Record<string, { source: string }>).EURUSD!.source).toBe("bars");
  });

  it("fills a short's stop loss at Sunday's first synthetic quote after the weekend gap", async () => {
    const venue = await venueOn(0);
    const friday = points.filter((p) => p.time < fridayEnd).at(-1)!;
    const sunday = points.find((p) => p.time >= fridayEnd)!;
    await venue.advanceTo(friday.time - 1);
    const r = await venue.submitOrder({ clientOrderId: "WK", symbol: "EURUSD", side: "SELL", type: "MARKET", volume: dec("0.1") });
    if (r.status === "rejected") throw new Error(r.message);
    const stopLoss = dec(friday.ask).plus("0.0005");
    expect((await venue.modifyPosition(r.positionId!, { stopLoss })).status).toBe("done");
    await venue.advanceTo(sunday.time);
    const exit = (await venue.fetchDeals(from, to)).find((d) => d.entry === "out")!;
    expect([exit.time, exit.price!.toNumber(), exit.reason]).toEqual([sunday.time, sunday.ask, "stop_loss"]);
    expect(exit.price!.gt(stopLoss)).toBe(true);
  });
});
