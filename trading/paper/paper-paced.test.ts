import { beforeAll, describe, expect, it } from "vitest";
import { RiskloopError, dec, type Tick } from "../../core/index.ts";
import { FakeClock } from "../../test/kit/fake-clock.ts";
import { hasSharedData, sharedDataPath, describeIfData } from "../../test/kit/shared-data.ts";
import { ManualTimers } from "../broker/testing/manual-timers.ts";
import { PaperVenue } from "./paper-venue.ts";
import type { PaperOrderResult } from "./paper-types.ts";
import { ArrayMarketDataReader } from "./testing/array-market-data-reader.ts";
import { readLeanTicks } from "./testing/lean-csv.ts";
import { connectedVenue } from "./testing/paper-fixture.ts";
import { TEST_INSTRUMENTS } from "./testing/paper-instruments.ts";

const TICKS = ["prices", "lean", "oanda_eurusd_tick_bidask.csv.gz"] as const;
const from = Date.UTC(2014, 4, 1);
const to = Date.UTC(2014, 4, 2);
const start = from + 3_600_000;

describeIfData(hasSharedData(...TICKS), "paper venue at recorded speed, on a fake clock", () => {
  let ticks: Tick[];
  beforeAll(() => {
    ticks = readLeanTicks(sharedDataPath(...TICKS), from, to);
  });
  const paced = async () => {
    const clock = new FakeClock();
    const timers = new ManualTimers(clock);
    const venue = await connectedVenue({ ticks: { EURUSD: ticks } }, { from, to, symbols: ["EURUSD"], latency: { kind: "fixed", ms: 2_000 }, clock, timers });
    await venue.advanceTo(start);
    return { venue, timers };
  };
  const lastAtOrBefore = (t: number) => ticks.filter((k) => k.time <= t).at(-1)!;

  it("replays speed × the wall time that passed, quote by quote, and cannot be driven by hand meanwhile", async () => {
    const { venue, timers } = await paced();
    let prices = 0;
    await venue.subscribePrices(["EURUSD"]);
    venue.events.on("price", () => prices++);
    venue.play({ speed: 10 });
    await timers.advance(60_000);
    const shouldBe = lastAtOrBefore(start + 600_000);
    expect(venue.lastQuote("EURUSD")).toMatchObject(shouldBe);
    expect(prices).toBe(ticks.filter((k) => k.time > start && k.time <= start + 600_000).length);
    const err = await venue.advanceTo(start + 700_000).catch((e: unknown) => e);
    expect(err instanceof RiskloopError && err.code).toBe("CORE_ERR_INVALID");
    venue.pause();
    expect(timers.pendingDelays()).toEqual([]);
    await timers.advance(60_000);
    expect(venue.lastQuote("EURUSD")).toMatchObject(shouldBe);
  });

  it("fills a market order when the paced replay reaches request time + latency", async () => {
    const { venue, timers } = await paced();
    venue.play({ speed: 4 });
    await timers.advance(30_000);
    const requestedAt = start + 120_000;
    let result: PaperOrderResult | undefined;
    void venue.submitOrder({ clientOrderId: "PACE", symbol: "EURUSD", side: "BUY", type: "MARKET", volume: dec("0.1") }).then((r) => (result = r));
    await timers.advance(400);
    expect(result).toBeUndefined();
    expect((await venue.fetchOrderByClientId("PACE"))?.state).toBe("pending");
    await timers.advance(120_000);
    const fill = ticks.find((k) => k.time >= requestedAt + 2_000)!;
    expect(result?.status === "filled" && [result.requestedAt, result.fillTime, result.fillPrice!.toNumber()]).toEqual([requestedAt, fill.time, fill.ask]);
  });

  it("keeps a request in flight across a snapshot: the restored venue fills it and remembers the result", async () => {
    const { venue, timers } = await paced();
    venue.play({ speed: 1 });
    await timers.advance(10_000);
    void venue.submitOrder({ clientOrderId: "FLY", symbol: "EURUSD", side: "SELL", type: "MARKET", volume: dec("0.1") });
    await timers.advance(1);
    const stored = JSON.parse(JSON.stringify(venue));
    venue.pause();
    const restored = PaperVenue.fromJSON(stored, { reader: new ArrayMarketDataReader({ ticks: { EURUSD: ticks } }), instruments: TEST_INSTRUMENTS });
    await restored.connect();
    await restored.advanceBy(60_000);
    const fill = ticks.find((k) => k.time >= start + 10_000 + 2_000)!;
    const position = await restored.fetchPositionByClientId("FLY");
    expect([position?.openTime, position?.openPrice.toNumber()]).toEqual([fill.time, fill.bid]);
    const again = await restored.submitOrder({ clientOrderId: "FLY", symbol: "EURUSD", side: "SELL", type: "MARKET", volume: dec("0.1") });
    expect(again.status !== "rejected" && [again.duplicate, again.positionId]).toEqual([true, position!.id]);
  });

  it("stops playing at the end of the range", async () => {
    const { venue, timers } = await paced();
    venue.play({ speed: 100_000 });
    await timers.advance(60 * 60_000);
    expect([venue.playing, venue.ended, venue.lastQuote("EURUSD")?.time]).toEqual([false, true, ticks.at(-1)!.time]);
  });
});
