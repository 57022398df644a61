import { beforeAll, describe, expect, it } from "vitest";
import { dec, roundToDigits, type Tick } from "../../core/index.ts";
import { hasSharedData, sharedDataPath, describeIfData } from "../../test/kit/shared-data.ts";
import type { PaperDeal, PaperPositionClosed } from "./paper-types.ts";
import { readLeanTicks } from "./testing/lean-csv.ts";
import { connectedVenue, seededRandom } from "./testing/paper-fixture.ts";

const TICKS = ["prices", "lean", "oanda_eurusd_tick_bidask.csv.gz"] as const;
const from = Date.UTC(2014, 4, 1);
const to = Date.UTC(2014, 4, 5);
const fridayEnd = Date.UTC(2014, 4, 3);
const PIP = dec("0.0001");

describeIfData(hasSharedData(...TICKS), "paper venue stop loss and take profit on real EURUSD ticks", () => {
  let ticks: Tick[];
  beforeAll(() => {
    ticks = readLeanTicks(sharedDataPath(...TICKS), from, to);
  });
  const venueOn = () => connectedVenue({ ticks: { EURUSD: ticks } }, { from, to, symbols: ["EURUSD"], latency: { kind: "fixed", ms: 0 } });
  const closingDeal = (deals: PaperDeal[], positionId: string) => deals.find((d) => d.positionId === positionId && d.entry === "out");

  it("closes longs on the bid and shorts on the ask at the first quote that reaches the stop loss or take profit", async () => {
    const venue = await venueOn();
    const random = seededRandom(11);
    const opened: { id: string; side: "BUY" | "SELL"; sl: number; tp: number; fillIndex: number }[] = [];
    for (let i = 0; i < 30; i++) {
      await venue.advanceTo(from + 2 * 3_600_000 + i * 45 * 60_000);
      const side = random() < 0.5 ? "BUY" : "SELL";
      const q = await venue.fetchPrice("EURUSD");
      const slDistance = PIP.mul(5 + Math.floor(random() * 20));
      const tpDistance = PIP.mul(5 + Math.floor(random() * 20));
      const stopLoss = side === "BUY" ? q.bid.minus(slDistance) : q.ask.plus(slDistance);
      const takeProfit = side === "BUY" ? q.bid.plus(tpDistance) : q.ask.minus(tpDistance);
      const r = await venue.submitOrder({ clientOrderId: `ST${i}`, symbol: "EURUSD", side, type: "MARKET", volume: dec("0.01"), stopLoss, takeProfit });
      if (r.status === "rejected") throw new Error(r.message);
      const fillIndex = ticks.findIndex((k) => k.time === r.fillTime && (side === "BUY" ? k.ask : k.bid) === r.fillPrice!.toNumber());
      opened.push({ id: r.positionId!, side, sl: stopLoss.toNumber(), tp: takeProfit.toNumber(), fillIndex });
    }
    await venue.advanceTo(fridayEnd);
    const deals = await venue.fetchDeals(from, to);
    let closedBy = { SL: 0, TP: 0 };
    for (const p of opened) {
      // Independent scan of the raw ticks from the fill on (the fill's own quote counts).
      let expected: { time: number; price: number; reason: "SL" | "TP" } | undefined;
      for (let i = p.fillIndex; i < ticks.length && ticks[i]!.time < fridayEnd && !expected; i++) {
        const k = ticks[i]!;
        const price = p.side === "BUY" ? k.bid : k.ask;
        const sl = p.side === "BUY" ? price <= p.sl : price >= p.sl;
        const tp = p.side === "BUY" ? price >= p.tp : price <= p.tp;
        if (sl || tp) expected = { time: k.time, price, reason: sl ? "SL" : "TP" };
      }
      const deal = closingDeal(deals, p.id);
      expect(deal && { time: deal.time, price: deal.price!.toNumber(), reason: deal.closeReason }).toEqual(expected);
      if (expected) closedBy[expected.reason]++;
      expect(deal?.reason).toBe(expected ? (expected.reason === "SL" ? "stop_loss" : "take_profit") : undefined);
    }
    expect(closedBy.SL).toBeGreaterThan(3);
    expect(closedBy.TP).toBeGreaterThan(3);
  });

  it("fills a stop loss that a tick jumps over at the gapped price, for a long (bid) and a short (ask)", async () => {
    for (const side of ["BUY", "SELL"] as const) {
      // The biggest adverse jump between consecutive ticks (with distinct timestamps) on 1–2 May 2014.
      let at = -1;
      let size = 0;
      for (let i = 1; i < ticks.length && ticks[i]!.time < fridayEnd; i++) {
        const a = ticks[i - 1]!;
        const b = ticks[i]!;
        const jump = side === "BUY" ? a.bid - b.bid : b.ask - a.ask;
        if (b.time > a.time && jump > size) [at, size] = [i, jump];
      }
      expect(size).toBeGreaterThan(0.0002);
      const before = ticks[at - 1]!;
      const after = ticks[at]!;
      const venue = await venueOn();
      await venue.advanceTo(before.time - 60_000);
      const r = await venue.submitOrder({ clientOrderId: `GAP${side}`, symbol: "EURUSD", side, type: "MARKET", volume: dec("0.1") });
      if (r.status === "rejected") throw new Error(r.message);
      await venue.advanceTo(before.time);
      const edge = side === "BUY" ? [before.bid, after.bid] : [before.ask, after.ask];
      const stopLoss = roundToDigits(dec(edge[0]!).plus(edge[1]!).div(2), 5);
      expect((await venue.modifyPosition(r.positionId!, { stopLoss })).status).toBe("done");
      const closed = venue.events.next("positionClosed");
      await venue.step();
      const event = (await closed) as PaperPositionClosed;
      expect([event.reason, event.time]).toEqual(["SL", after.time]);
      const deal = closingDeal(await venue.fetchDeals(from, to), r.positionId!)!;
      expect(deal.price!.toNumber()).toBe(side === "BUY" ? after.bid : after.ask);
      // The fill is worse than the stop by the part of the jump beyond it: real slippage, not a random number.
      const slippage = side === "BUY" ? stopLoss.minus(deal.price!) : deal.price!.minus(stopLoss);
      expect(slippage.toNumber()).toBeGreaterThanOrEqual(0.0001);
      expect(slippage.eq(dec(edge[1]!).minus(stopLoss).abs())).toBe(true);
    }
  });

  it("treats the weekend as a closed market and fills a short's stop at Sunday's gapped opening ask", async () => {
    const venue = await venueOn();
    const friday = ticks.filter((k) => k.time < fridayEnd).at(-1)!;
    const sunday = ticks.find((k) => k.time >= fridayEnd)!;
    await venue.advanceTo(friday.time - 1);
    const r = await venue.submitOrder({ clientOrderId: "WKND", symbol: "EURUSD", side: "SELL", type: "MARKET", volume: dec("0.1") });
    if (r.status === "rejected") throw new Error(r.message);
    expect(r.fillTime).toBe(friday.time);
    const stopLoss = dec(friday.ask).plus(PIP.mul(5));
    expect((await venue.modifyPosition(r.positionId!, { stopLoss })).status).toBe("done");

    await venue.advanceTo(Date.UTC(2014, 4, 3, 12));
    const closed = await venue.submitOrder({ clientOrderId: "SAT", symbol: "EURUSD", side: "BUY", type: "MARKET", volume: dec("0.01") });
    expect(closed.status === "rejected" && closed.errorCode).toBe("TRD_ERR_MARKET_CLOSED");
    expect((await venue.modifyPosition(r.positionId!, { takeProfit: dec("1.3") })).status).toBe("rejected");
    expect((await venue.fetchPrice("EURUSD")).time).toBe(friday.time);

    await venue.advanceTo(sunday.time);
    const deal = closingDeal(await venue.fetchDeals(from, to), r.positionId!)!;
    expect([deal.time, deal.price!.toNumber(), deal.closeReason]).toEqual([sunday.time, sunday.ask, "SL"]);
    expect(deal.price!.minus(stopLoss).gt(PIP.mul(5))).toBe(true);
  });

  it("rejects a market order whose fill would come only after the weekend, since the market closed while it was in flight", async () => {
    const venue = await connectedVenue({ ticks: { EURUSD: ticks } }, { from, to, symbols: ["EURUSD"], latency: { kind: "fixed", ms: 5_000 } });
    const friday = ticks.filter((k) => k.time < fridayEnd).at(-1)!;
    await venue.advanceTo(friday.time);
    const r = await venue.submitOrder({ clientOrderId: "LATE", symbol: "EURUSD", side: "BUY", type: "MARKET", volume: dec("0.01") });
    expect(r.status === "rejected" && r.errorCode).toBe("TRD_ERR_MARKET_CLOSED");
    expect(await venue.fetchPositions()).toEqual([]);
  });
});
