import { beforeEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../test/kit/fake-clock.ts";
import { BrokerEventEmitter, type BrokerEventMap, type BrokerEventName } from "../broker/index.ts";
import { metaapiFixtures } from "./fixtures/metaapi-fixtures.ts";
import { MetaapiEventBridge, type LinkSignals } from "./metaapi-event-bridge.ts";

const I1 = "vint-hill:0:ps-mpa-1";
const I2 = "vint-hill:1:ps-mpa-2";

let clock: FakeClock;
let bridge: MetaapiEventBridge;
let seen: { name: BrokerEventName; event: BrokerEventMap[BrokerEventName] }[];
let signals: string[];

beforeEach(() => {
  clock = new FakeClock();
  const events = new BrokerEventEmitter();
  seen = [];
  for (const name of ["price", "positionOpened", "positionUpdated", "positionClosed", "order", "deal", "account"] as const) {
    events.on(name, (event) => seen.push({ name, event }));
  }
  signals = [];
  const link: LinkSignals = {
    linkLost: (m) => signals.push(`lost:${m}`),
    linkSynchronizing: () => signals.push("sync"),
    linkRestored: () => signals.push("restored"),
    brokerLink: (c) => signals.push(`broker:${c}`),
  };
  bridge = new MetaapiEventBridge(events, clock, link);
});

function synchronise(positions = metaapiFixtures.positions()): void {
  bridge.onConnected(I1);
  bridge.onPositionsReplaced(I1, positions);
  bridge.onPendingOrdersReplaced(I1, metaapiFixtures.orders());
  for (const d of metaapiFixtures.deals()) bridge.onDealAdded(I1, d);
  bridge.onDealsSynchronized(I1);
}

describe("MetaapiEventBridge", () => {
  it("takes the first synchronisation as state, not news", () => {
    synchronise();
    expect(seen).toEqual([]);
    expect(signals).toEqual(["sync", "restored"]);
    expect(bridge.position("46214692")?.symbol).toBe("GBPUSD");
    expect(bridge.findByClientId("RL0A1B2C3D4E5F6").deals.map((d) => d.id)).toEqual(["33230099"]);
  });

  it("tells opened from updated, drops replica repeats and ignores price-only changes", () => {
    synchronise();
    const fresh = { ...metaapiFixtures.positions()[0]!, id: 777, time: new Date("2024-05-14T10:00:00Z") };
    bridge.onPositionUpdated(I1, fresh);
    bridge.onPositionUpdated(I2, fresh);
    bridge.onPositionUpdated(I1, { ...fresh, currentPrice: 1.3, profit: 12 });
    bridge.onPositionUpdated(I1, { ...fresh, stopLoss: 1.25 });
    expect(seen.map((s) => s.name)).toEqual(["positionOpened", "positionUpdated"]);
    const opened = seen[0]!.event as BrokerEventMap["positionOpened"];
    expect(opened).toMatchObject({ time: Date.parse("2024-05-14T10:00:00Z"), receivedAt: clock.now() });
  });

  it("reports a removal once with the last known position", () => {
    synchronise();
    bridge.onPositionRemoved(I1, "46214692");
    bridge.onPositionRemoved(I2, "46214692");
    expect(seen).toHaveLength(1);
    expect(seen[0]!.event).toMatchObject({ positionId: "46214692", position: { symbol: "GBPUSD" } });
  });

  it("after a resynchronisation, reports what changed during the outage", () => {
    synchronise();
    const [, gold] = metaapiFixtures.positions();
    const opened = { ...gold!, id: 888 };
    bridge.onPositionsReplaced(I1, [gold!, opened]);
    expect(seen.map((s) => [s.name, (s.event as { position?: { id: string } }).position?.id])).toEqual([
      ["positionClosed", "46214692"],
      ["positionOpened", "888"],
    ]);
  });

  it("emits each deal once, and wakes a waiter for its fill", async () => {
    synchronise();
    const deal = { ...metaapiFixtures.deals()[1]!, id: "99", orderId: "55" };
    const timers = { setTimeout: () => 0, clearTimeout: () => {} };
    const waiting = bridge.waitForDeal((d) => d.orderId === "55", 1000, timers);
    bridge.onDealAdded(I1, deal);
    bridge.onDealAdded(I2, deal);
    expect((await waiting)?.id).toBe("99");
    expect(seen.filter((s) => s.name === "deal")).toHaveLength(1);
  });

  it("reports order changes and completion, skipping repeats", () => {
    synchronise();
    const order = metaapiFixtures.orders()[0]!;
    bridge.onPendingOrderUpdated(I1, { ...order, takeProfit: 1.07 });
    bridge.onPendingOrderUpdated(I2, { ...order, takeProfit: 1.07 });
    bridge.onPendingOrderCompleted(I1, String(order.id));
    bridge.onPendingOrderCompleted(I2, String(order.id));
    expect(seen.map((s) => (s.event as BrokerEventMap["order"]).status)).toEqual(["updated", "completed"]);
  });

  it("streams each quote once with both timestamps, and account updates", () => {
    const price = metaapiFixtures.symbolPrices()[1]!;
    bridge.onSymbolPriceUpdated(I1, price);
    bridge.onSymbolPriceUpdated(I2, price);
    bridge.onAccountInformationUpdated(I1, metaapiFixtures.accountInformation()[0]!);
    expect(seen.map((s) => s.name)).toEqual(["price", "account"]);
    expect(seen[0]!.event).toMatchObject({ symbol: "XAUUSD", time: Date.parse("2024-05-14T13:05:01.020Z"), receivedAt: clock.now() });
  });

  it("signals a lost link only when the last replica disconnects", () => {
    bridge.onConnected(I1);
    bridge.onConnected(I2);
    bridge.onDisconnected(I1);
    expect(signals.filter((s) => s.startsWith("lost"))).toEqual([]);
    bridge.onDisconnected(I2);
    expect(signals.at(-1)).toBe("lost:MetaApi streaming connection lost");
    bridge.onBrokerConnectionStatusChanged(I1, false);
    expect(signals.at(-1)).toBe("broker:false");
  });
});
