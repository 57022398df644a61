import { describe, expect, it } from "vitest";
import { dec } from "../../../core/index.ts";
import type { MasterSignal } from "../master-signal.ts";
import { combineSettings } from "./combine-settings.ts";
import { parseCopySettings } from "./copy-settings.ts";
import { deviation, planModification, routeOpen, staleness } from "./plan-copy.ts";

const settings = (raw: object, provider: object = {}) => combineSettings(parseCopySettings(provider), parseCopySettings(raw), 60);
const open = (over: Partial<MasterSignal> = {}): MasterSignal => ({
  eventId: "open.1",
  kind: "OPEN",
  masterAccountId: "m",
  symbol: "EURUSD",
  side: "BUY",
  volume: "1",
  price: "1.10000",
  stopLoss: "1.09800",
  takeProfit: "1.10400",
  masterPositionId: "1",
  time: 1_000_000,
  receivedAt: 1_000_005,
  master: { balance: "10000", equity: "10000" },
  ...over,
});

describe("routeOpen", () => {
  it("copies side, symbol, SL and TP as they are by default", () => {
    const r = routeOpen(open(), settings({})).route!;
    expect(r).toMatchObject({ symbol: "EURUSD", side: "BUY" });
    expect([r.stopLoss?.toString(), r.takeProfit?.toString()]).toEqual(["1.098", "1.104"]);
  });

  it("reverse flips the side and swaps SL and TP; reversing twice (XOR) restores them", () => {
    const r = routeOpen(open(), settings({ reverse: true })).route!;
    expect(r.side).toBe("SELL");
    expect([r.stopLoss?.toString(), r.takeProfit?.toString()]).toEqual(["1.104", "1.098"]);
    expect(routeOpen(open(), settings({ reverse: true }, { reverse: true })).route!.side).toBe("BUY");
  });

  it("drops the SL or TP the rules turn off (after the swap)", () => {
    const r = routeOpen(open(), settings({ copyStopLoss: false })).route!;
    expect(r.stopLoss).toBeUndefined();
    expect(r.takeProfit?.toString()).toBe("1.104");
    const rev = routeOpen(open(), settings({ reverse: true, copyTakeProfit: false })).route!;
    expect([rev.stopLoss?.toString(), rev.takeProfit]).toEqual(["1.104", undefined]);
  });

  it("maps the symbol and filters on the master's symbol and the slave's side", () => {
    expect(routeOpen(open({ symbol: "XAUUSD" }), settings({ symbolMapping: { XAUUSD: "GOLD" } })).route!.symbol).toBe("GOLD");
    expect(routeOpen(open(), settings({ excludeSymbols: ["EURUSD"] })).skip?.code).toBe("COPY_SYMBOL_EXCLUDED");
    expect(routeOpen(open(), settings({ includeSymbols: ["GBPUSD"] })).skip?.code).toBe("COPY_SYMBOL_NOT_INCLUDED");
    expect(routeOpen(open(), settings({ allowedSides: ["SELL"] })).skip?.code).toBe("COPY_SIDE_NOT_ALLOWED");
    expect(routeOpen(open(), settings({ allowedSides: ["SELL"], reverse: true })).route!.side).toBe("SELL");
  });

  it("close-only copies no new trade; pending orders follow their switch and reverse LIMIT ↔ STOP", () => {
    expect(routeOpen(open(), settings({ closeOnly: true })).skip?.code).toBe("COPY_CLOSE_ONLY");
    const order = open({ kind: "ORDER_PLACED", orderType: "LIMIT", price: "1.09500", eventId: "order.7", masterOrderId: "7" });
    expect(routeOpen(order, settings({ copyPendingOrders: false })).skip?.code).toBe("COPY_PENDING_OFF");
    expect(routeOpen(order, settings({})).route!.pending).toMatchObject({ type: "LIMIT" });
    expect(routeOpen(order, settings({ reverse: true })).route!.pending).toMatchObject({ type: "STOP" });
    expect(routeOpen({ ...order, orderType: "STOP_LIMIT", stopLimitPrice: "1.1" }, settings({ reverse: true })).skip?.code).toBe("COPY_REVERSE_STOP_LIMIT");
  });
});

describe("staleness and deviation", () => {
  it("skips a signal older than the maximum delay, on the slave's clock", () => {
    expect(staleness(open(), settings({ maxSignalDelaySeconds: 5 }), 1_004_999)).toBeUndefined();
    expect(staleness(open(), settings({ maxSignalDelaySeconds: 5 }), 1_005_001)?.code).toBe("COPY_SIGNAL_STALE");
  });

  it("skips only an adverse move beyond the limit, per the slave's side", () => {
    const s = settings({ maxPriceDeviationPips: 2 });
    expect(deviation("BUY", dec("1.10000"), { bid: 1.10015, ask: 1.10025 }, 0.0001, s)?.code).toBe("COPY_PRICE_DEVIATION");
    expect(deviation("BUY", dec("1.10000"), { bid: 1.10005, ask: 1.10015 }, 0.0001, s)).toBeUndefined();
    expect(deviation("BUY", dec("1.10000"), { bid: 1.0990, ask: 1.0991 }, 0.0001, s)).toBeUndefined();
    expect(deviation("SELL", dec("1.10000"), { bid: 1.0997, ask: 1.0998 }, 0.0001, s)?.code).toBe("COPY_PRICE_DEVIATION");
    expect(deviation("SELL", dec("1.10000"), { bid: 1.0997, ask: 1.0998 }, 0.0001, settings({}))).toBeUndefined();
  });
});

describe("planModification", () => {
  const modify = (over: Partial<MasterSignal> = {}) => open({ kind: "MODIFY", eventId: "modify.1", ...over });
  const held = { hasStopLoss: true, hasTakeProfit: true, price: undefined };
  const text = (p: ReturnType<typeof planModification>) => p && { sl: p.stopLoss?.toString(), tp: p.takeProfit?.toString(), remove: p.removeLevels, price: p.price?.toString() };

  it("sets the master's new levels and removes a level the master took away and the copy holds", () => {
    expect(text(planModification(modify({ stopLoss: "1.09700", takeProfit: undefined }), settings({}), held))).toEqual({ sl: "1.097", tp: undefined, remove: ["takeProfit"], price: undefined });
    expect(text(planModification(modify({ stopLoss: undefined, takeProfit: undefined }), settings({}), held))).toMatchObject({ remove: ["stopLoss", "takeProfit"] });
  });

  it("removes nothing the copy does not hold, and nothing the rules do not copy", () => {
    expect(planModification(modify({ stopLoss: undefined, takeProfit: undefined }), settings({}), { ...held, hasStopLoss: false, hasTakeProfit: false })).toBeUndefined();
    expect(planModification(modify({ stopLoss: undefined, takeProfit: undefined }), settings({ copyStopLoss: false, copyTakeProfit: false }), held)).toBeUndefined();
    expect(text(planModification(modify({ stopLoss: undefined }), settings({ copyTakeProfit: false }), held))).toEqual({ sl: undefined, tp: undefined, remove: ["stopLoss"], price: undefined });
  });

  it("removes the swapped level when copying in reverse: the master's SL is the copy's TP", () => {
    expect(text(planModification(modify({ stopLoss: undefined }), settings({ reverse: true }), held))).toEqual({ sl: "1.104", tp: undefined, remove: ["takeProfit"], price: undefined });
  });

  it("moves a pending copy to the master's new price, and only when it differs", () => {
    const order = (price: string) => modify({ kind: "ORDER_MODIFIED", price, stopLoss: undefined, takeProfit: undefined });
    const copy = { hasStopLoss: false, hasTakeProfit: false, price: dec("1.09500") };
    expect(text(planModification(order("1.09400"), settings({}), copy))).toEqual({ sl: undefined, tp: undefined, remove: [], price: "1.094" });
    expect(planModification(order("1.09500"), settings({}), copy)).toBeUndefined();
    // A position's modification carries the master's fill price, which is no order price to move to.
    expect(planModification(modify({ price: "1.2", stopLoss: undefined, takeProfit: undefined }), settings({}), { ...copy, price: undefined })).toBeUndefined();
  });
});
