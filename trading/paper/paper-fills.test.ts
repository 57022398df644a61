import { beforeAll, describe, expect, it } from "vitest";
import { dec, type Decimal, type Tick } from "../../core/index.ts";
import { hasSharedData, sharedDataPath, describeIfData } from "../../test/kit/shared-data.ts";
import type { SubmitOrderRequest } from "../broker/index.ts";
import { LatencyModel } from "./latency-model.ts";
import type { PaperOrderAccepted, PaperOrderResult, PaperSubmitOrderRequest } from "./paper-types.ts";
import { readLeanTicks } from "./testing/lean-csv.ts";
import { connectedVenue, seededRandom } from "./testing/paper-fixture.ts";

const TICKS = ["prices", "lean", "oanda_eurusd_tick_bidask.csv.gz"] as const;
const from = Date.UTC(2014, 4, 1);
const to = Date.UTC(2014, 4, 2);
const HOUR = 3_600_000;
const PIP = dec("0.0001");

function accepted(r: PaperOrderResult): asserts r is PaperOrderAccepted {
  expect(r.status, r.status === "rejected" ? `${r.errorCode}: ${r.message}` : "").not.toBe("rejected");
}

/** The quote in force at `t`: the last raw tick at or before it. */
function quoteAt(ticks: readonly Tick[], t: number): Tick {
  let q: Tick | undefined;
  for (const k of ticks) {
    if (k.time > t) break;
    q = k;
  }
  return q!;
}

/** Index of the first raw tick after index `start` (inclusive) that passes `hit`. */
function firstIndex(ticks: readonly Tick[], start: number, hit: (k: Tick) => boolean): number {
  for (let i = start; i < ticks.length; i++) if (hit(ticks[i]!)) return i;
  return -1;
}

describeIfData(hasSharedData(...TICKS), "paper venue fills on real EURUSD ticks", () => {
  let ticks: Tick[];
  beforeAll(() => {
    ticks = readLeanTicks(sharedDataPath(...TICKS), from, to);
  });

  it("fills a market order at the real ask (buy) or bid (sell) of the first tick at or after request time + latency", async () => {
    const venue = await connectedVenue({ ticks: { EURUSD: ticks } }, { from, to, symbols: ["EURUSD"], latency: { kind: "fixed", ms: 1_500 } });
    const random = seededRandom(7);
    let t = from + HOUR;
    let slipped = 0;
    for (let i = 0; i < 40; i++) {
      t += 1 + Math.floor(random() * 20 * 60_000);
      await venue.advanceTo(t);
      const side = i % 2 === 0 ? "BUY" : "SELL";
      const result = await venue.submitOrder({ clientOrderId: `FILL${i}`, symbol: "EURUSD", side, type: "MARKET", volume: dec("0.01") });
      accepted(result);
      const before = quoteAt(ticks, t);
      const fill = ticks[firstIndex(ticks, 0, (k) => k.time >= t + 1_500)]!;
      expect(result.requestedPrice!.toNumber()).toBe(side === "BUY" ? before.ask : before.bid);
      expect(result.fillPrice!.toNumber()).toBe(side === "BUY" ? fill.ask : fill.bid);
      expect([result.requestedAt, result.fillTime, result.respondedAt, result.latencyMs]).toEqual([t, fill.time, fill.time, 1_500]);
      if (!result.fillPrice!.eq(result.requestedPrice!)) slipped++;
      t = venue.now;
    }
    // Slippage is the real price movement during the latency, so some fills differ from the requested quote.
    expect(slipped).toBeGreaterThan(3);
    const entries = (await venue.fetchDeals(from, to)).filter((d) => d.entry === "in");
    expect(entries).toHaveLength(40);
    expect(entries.every((d) => "requestedPrice" in d && "latencyMs" in d)).toBe(true);
  });

  it("records each drawn latency on the fill and fills after exactly that latency (seeded log-normal)", async () => {
    const latency = { kind: "lognormal", medianMs: 120, p95Ms: 900, seed: 42 } as const;
    const venue = await connectedVenue({ ticks: { EURUSD: ticks } }, { from, to, symbols: ["EURUSD"], latency });
    const expectedLatencies = new LatencyModel(latency);
    for (let i = 0; i < 25; i++) {
      const t = from + 3 * HOUR + i * 7 * 60_000;
      await venue.advanceTo(t);
      const result = await venue.submitOrder({ clientOrderId: `LN${i}`, symbol: "EURUSD", side: "SELL", type: "MARKET", volume: dec("0.01") });
      accepted(result);
      expect(result.latencyMs).toBe(expectedLatencies.draw());
      const fill = ticks[firstIndex(ticks, 0, (k) => k.time >= t + result.latencyMs!)]!;
      expect([result.fillTime, result.fillPrice!.toNumber()]).toEqual([fill.time, fill.bid]);
    }
  });

  it("with slippage control, refuses (TRD_ERR_REQUOTE) exactly the fills that moved against the order by more than allowed", async () => {
    const venue = await connectedVenue({ ticks: { EURUSD: ticks } }, { from, to, symbols: ["EURUSD"], latency: { kind: "fixed", ms: 3_000 } });
    const outcomes = { filled: 0, requoted: 0 };
    for (let i = 0; i < 40; i++) {
      const t = from + 6 * HOUR + i * 9 * 60_000;
      await venue.advanceTo(t);
      const side = i % 2 === 0 ? "BUY" : "SELL";
      const result = await venue.submitOrder({ clientOrderId: `SLIP${i}`, symbol: "EURUSD", side, type: "MARKET", volume: dec("0.01"), slippagePoints: 2 });
      const before = quoteAt(ticks, t);
      const fill = ticks[firstIndex(ticks, 0, (k) => k.time >= t + 3_000)]!;
      const adversePoints = Math.round((side === "BUY" ? fill.ask - before.ask : before.bid - fill.bid) * 1e5);
      expect(result.status === "rejected" ? result.errorCode : result.status).toBe(adversePoints > 2 ? "TRD_ERR_REQUOTE" : "filled");
      outcomes[result.status === "rejected" ? "requoted" : "filled"]++;
    }
    expect(outcomes.filled).toBeGreaterThan(0);
    expect(outcomes.requoted).toBeGreaterThan(0);
  });

  it("triggers each pending type on its side and fills at the triggering tick: limits at or better, stops at or worse", async () => {
    const venue = await connectedVenue({ ticks: { EURUSD: ticks } }, { from, to, symbols: ["EURUSD"], latency: { kind: "fixed", ms: 0 } });
    const t = from + 2 * HOUR;
    await venue.advanceTo(t);
    const q = quoteAt(ticks, t);
    const ask = dec(q.ask);
    const bid = dec(q.bid);
    const orders: (SubmitOrderRequest & { expect: (start: number) => { at: number; price: number } | undefined })[] = [];
    const simple = (id: string, side: "BUY" | "SELL", type: "LIMIT" | "STOP", price: Decimal) => {
      const p = price.toNumber();
      const hit = side === "BUY" ? (type === "LIMIT" ? (k: Tick) => k.ask <= p : (k: Tick) => k.ask >= p) : type === "LIMIT" ? (k: Tick) => k.bid >= p : (k: Tick) => k.bid <= p;
      orders.push({ clientOrderId: id, symbol: "EURUSD", side, type, volume: dec("0.01"), price, expect: (start) => at(firstIndex(ticks, start, hit), side) });
    };
    const at = (i: number, side: "BUY" | "SELL") => (i < 0 ? undefined : { at: ticks[i]!.time, price: side === "BUY" ? ticks[i]!.ask : ticks[i]!.bid });
    simple("BL", "BUY", "LIMIT", ask.minus(PIP.mul(3)));
    simple("SL", "SELL", "LIMIT", bid.plus(PIP.mul(3)));
    simple("BS", "BUY", "STOP", ask.plus(PIP.mul(3)));
    simple("SS", "SELL", "STOP", bid.minus(PIP.mul(3)));
    const stop = ask.plus(PIP.mul(2));
    const limit = ask.plus(PIP);
    orders.push({
      clientOrderId: "BSL",
      symbol: "EURUSD",
      side: "BUY",
      type: "STOP_LIMIT",
      volume: dec("0.01"),
      price: stop,
      stopLimitPrice: limit,
      expect: (start) => at(firstIndex(ticks, firstIndex(ticks, start, (k) => k.ask >= stop.toNumber()), (k) => k.ask <= limit.toNumber()), "BUY"),
    });
    const sellStop = bid.minus(PIP.mul(2));
    const sellLimit = bid.minus(PIP);
    orders.push({
      clientOrderId: "SSL",
      symbol: "EURUSD",
      side: "SELL",
      type: "STOP_LIMIT",
      volume: dec("0.01"),
      price: sellStop,
      stopLimitPrice: sellLimit,
      expect: (start) => at(firstIndex(ticks, firstIndex(ticks, start, (k) => k.bid <= sellStop.toNumber()), (k) => k.bid >= sellLimit.toNumber()), "SELL"),
    });
    for (const { expect: _e, ...request } of orders) expect((await venue.submitOrder(request)).status).toBe("placed");
    let opened = 0;
    venue.events.on("positionOpened", () => opened++);
    expect(await venue.runUntil(() => opened === orders.length)).toBe(true);
    const start = firstIndex(ticks, 0, (k) => k.time > t);
    for (const o of orders) {
      const expected = o.expect(start)!;
      const position = await venue.fetchPositionByClientId(o.clientOrderId);
      expect([o.clientOrderId, position?.openTime, position?.openPrice.toNumber()]).toEqual([o.clientOrderId, expected.at, expected.price]);
      const entry = (o.type === "STOP_LIMIT" ? o.stopLimitPrice! : o.price!).toNumber();
      const buy = o.side === "BUY";
      // Limits fill at their price or better (a gap helps), stops at their price or worse (a gap hurts).
      if (o.type === "STOP") expect(buy ? expected.price >= entry : expected.price <= entry).toBe(true);
      else expect(buy ? expected.price <= entry : expected.price >= entry).toBe(true);
    }
    expect(await venue.fetchOrders()).toHaveLength(0);
    expect((await venue.fetchOrderByClientId("BSL"))?.state).toBe("filled");
  });

  it("expires a pending order at its expiry time and refuses pending prices and stops on the wrong side", async () => {
    const venue = await connectedVenue({ ticks: { EURUSD: ticks } }, { from, to, symbols: ["EURUSD"] });
    const t = from + 5 * HOUR;
    await venue.advanceTo(t);
    const { ask, bid } = await venue.fetchPrice("EURUSD");
    const base = { symbol: "EURUSD", volume: dec("0.01") } as const;
    const placed = await venue.submitOrder({ ...base, clientOrderId: "EXP", side: "BUY", type: "LIMIT", price: ask.minus(PIP.mul(80)), expiresAt: t + 600_000 });
    expect(placed.status).toBe("placed");
    const completed: string[] = [];
    venue.events.on("order", (e) => e.status === "completed" && completed.push(`${e.orderId}:${e.order?.state}:${e.time}`));
    await venue.advanceTo(t + 660_000);
    expect(await venue.fetchOrders()).toEqual([]);
    const expired = await venue.fetchOrderByClientId("EXP");
    expect([expired?.state, expired?.doneAt]).toEqual(["expired", t + 600_000]);
    expect(completed).toEqual([`${expired!.id}:expired:${t + 600_000}`]);

    const now = await venue.fetchPrice("EURUSD");
    const refused = async (request: Omit<PaperSubmitOrderRequest, "symbol" | "volume">) => {
      const r = await venue.submitOrder({ ...base, ...request });
      return r.status === "rejected" ? r.errorCode : r.status;
    };
    expect(await refused({ clientOrderId: "W1", side: "BUY", type: "LIMIT", price: now.ask.plus(PIP) })).toBe("TRD_ERR_INVALID_PRICE");
    expect(await refused({ clientOrderId: "W2", side: "SELL", type: "STOP", price: now.bid.plus(PIP) })).toBe("TRD_ERR_INVALID_PRICE");
    expect(await refused({ clientOrderId: "W3", side: "BUY", type: "STOP_LIMIT", price: now.ask.plus(PIP.mul(5)), stopLimitPrice: now.ask.plus(PIP.mul(6)) })).toBe("TRD_ERR_INVALID_PRICE");
    expect(await refused({ clientOrderId: "W4", side: "SELL", type: "LIMIT", price: now.bid.plus(PIP.mul(10)), stopLoss: now.bid })).toBe("TRD_ERR_INVALID_STOPS");
    expect(await refused({ clientOrderId: "W5", side: "BUY", type: "LIMIT", price: now.ask.minus(PIP.mul(10)), expiresAt: venue.now })).toBe("TRD_ERR_INVALID_REQUEST");
    expect(await refused({ clientOrderId: "W6", side: "BUY", type: "LIMIT", price: dec("1.123456") })).toBe("TRD_ERR_INVALID_PRICE");
  });
});
