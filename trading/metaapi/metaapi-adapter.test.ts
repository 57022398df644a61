import { beforeEach, describe, expect, it } from "vitest";
import { RiskloopError, dec } from "../../core/index.ts";
import { FakeClock } from "../../test/kit/fake-clock.ts";
import type { BrokerEventMap, BrokerEventName, ConnectionState, ReconnectSnapshot } from "../broker/index.ts";
import { ManualTimers } from "../broker/testing/manual-timers.ts";
import { metaapiFixtures } from "./fixtures/metaapi-fixtures.ts";
import { MetaapiAdapter, metaapiCapabilities } from "./metaapi-adapter.ts";
import { FakeMetaapiClient } from "./testing/fake-metaapi-client.ts";
import { testMetaapiSettings } from "./testing/test-settings.ts";

const sdkError = (name: string) => Object.assign(new Error(`${name} from the SDK`), { name });

let clock: FakeClock;
let timers: ManualTimers;
let venue: FakeMetaapiClient;
let adapter: MetaapiAdapter;
let snapshots: ReconnectSnapshot[];
let states: ConnectionState[];
const settings = testMetaapiSettings({ reconnectBaseMs: 1000, reconnectMaxMs: 8000, reconnectGraceMs: 30_000, connectTimeoutMs: 60_000 });

beforeEach(() => {
  clock = new FakeClock();
  timers = new ManualTimers(clock);
  venue = new FakeMetaapiClient(clock);
  adapter = new MetaapiAdapter({ accountId: "acc-7", platform: "MT5", raw: venue, settings, clock, timers });
  snapshots = [];
  states = [];
  adapter.onReconnected((s) => {
    snapshots.push(s);
  });
  adapter.events.on("connection", (e) => {
    if (e.health.state !== e.previous) states.push(e.health.state);
  });
});

async function failure(work: Promise<unknown>): Promise<RiskloopError> {
  const err = await work.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(RiskloopError);
  return err as RiskloopError;
}

describe("MetaapiAdapter connection", () => {
  it("connects through connecting → synchronizing → connected and hands over the first snapshot", async () => {
    venue.positions = [metaapiFixtures.positions()[0]!];
    await adapter.connect();
    await timers.advance(0);
    expect(states).toEqual(["connecting", "synchronizing", "connected"]);
    expect(adapter.health()).toEqual({ state: "connected", since: clock.now(), reconnectAttempts: 0 });
    expect(snapshots).toHaveLength(1);
    expect(snapshots[0]).toMatchObject({ accountId: "acc-7", reason: "initial", attempts: 0, reconnectedAt: clock.now(), orders: [] });
    expect(snapshots[0]!.positions.map((p) => p.id)).toEqual(["46214692"]);
    expect(snapshots[0]!.snapshotMs).toBeGreaterThanOrEqual(0);
  });

  it("retries a failing first connect with backoff and reports the attempts", async () => {
    venue.connectFailures.push(sdkError("NotConnectedError"), sdkError("TimeoutError"));
    const t0 = clock.now();
    expect((await failure(adapter.connect())).code).toBe("TRD_ERR_NOT_CONNECTED");
    expect(adapter.health()).toMatchObject({ state: "disconnected", reconnectAttempts: 1, nextAttemptAt: t0 + 1000 });
    await timers.advance(1000);
    expect(adapter.health()).toMatchObject({ reconnectAttempts: 2, nextAttemptAt: t0 + 3000, lastError: { code: "TRD_ERR_TIMEOUT" } });
    await timers.advance(2000);
    expect(adapter.connectionState).toBe("connected");
    expect(venue.connects).toBe(3);
    expect(snapshots).toMatchObject([{ reason: "initial", attempts: 2, reconnectedAt: t0 + 3000 }]);
  });

  it("wraps an SDK connect that never returns in its own timeout", async () => {
    venue.connectHangs = true;
    const pending = failure(adapter.connect());
    await timers.advance(settings.connectTimeoutMs);
    const err = await pending;
    expect(err.code).toBe("TRD_ERR_NOT_CONNECTED");
    expect(err.message).toMatch(/not open after 60000 ms/);
    venue.connectHangs = false;
    await timers.advance(1000);
    expect(adapter.connectionState).toBe("connected");
  });

  it("stops in state failed when MetaApi refuses the token", async () => {
    venue.connectFailures.push(sdkError("UnauthorizedError"));
    expect((await failure(adapter.connect())).code).toBe("TRD_ERR_AUTH");
    await timers.advance(120_000);
    expect(adapter.health()).toMatchObject({ state: "failed", lastError: { code: "TRD_ERR_AUTH" } });
    expect(venue.connects).toBe(1);
  });

  it("after an SDK-healed drop: sends nothing meanwhile, reports what changed, calls onReconnected with the outage", async () => {
    await adapter.connect();
    const opened = await adapter.submitOrder({ clientOrderId: "R1", symbol: "EURUSD", side: "BUY", type: "MARKET", volume: dec("0.1") });
    const positionId = opened.status === "filled" ? opened.positionId : undefined;
    expect(positionId).toBeDefined();
    const closedEvents: string[] = [];
    adapter.events.on("positionClosed", (e) => closedEvents.push(e.positionId));
    const lostAt = clock.now();
    venue.dropLink();
    expect(adapter.connectionState).toBe("connecting");
    expect((await failure(adapter.fetchPositions())).code).toBe("TRD_ERR_NOT_CONNECTED");
    venue.positions = [];
    await timers.advance(5000);
    venue.healLink();
    await timers.advance(0);
    expect(adapter.connectionState).toBe("connected");
    expect(closedEvents).toEqual([positionId]);
    expect(snapshots.at(-1)).toMatchObject({ reason: "reconnect", lostAt, reconnectedAt: lostAt + 5000, attempts: 0, positions: [] });
    expect(venue.connects).toBe(1);
  });

  it("rebuilds the connection itself when the SDK has not healed it within the grace period", async () => {
    await adapter.connect();
    venue.dropLink();
    await timers.advance(settings.reconnectGraceMs);
    expect(venue.connects).toBe(2);
    expect(adapter.connectionState).toBe("connected");
    expect(snapshots.map((s) => s.reason)).toEqual(["initial", "reconnect"]);
  });

  it("disconnect stops everything and releases the client", async () => {
    await adapter.connect();
    await adapter.disconnect();
    expect(adapter.connectionState).toBe("disconnected");
    venue.dropLink();
    await timers.advance(120_000);
    expect(venue.connects).toBe(1);
  });
});

describe("MetaapiAdapter events", () => {
  it("turns one trade's life into port events with venue and receive times", async () => {
    const seen: { name: BrokerEventName; event: BrokerEventMap[BrokerEventName] }[] = [];
    for (const name of ["price", "positionOpened", "positionUpdated", "positionClosed", "order", "deal"] as const) {
      adapter.events.on(name, (event) => seen.push({ name, event }));
    }
    await adapter.connect();
    await adapter.subscribePrices(["EURUSD"]);
    clock.advance(1000);
    venue.setPrice("EURUSD", 1.082, 1.0821);
    const r = await adapter.submitOrder({ clientOrderId: "E1", symbol: "EURUSD", side: "SELL", type: "MARKET", volume: dec("0.2") });
    const positionId = r.status === "filled" ? r.positionId! : "";
    await adapter.modifyPosition(positionId, { stopLoss: dec("1.09") });
    await adapter.closePosition(positionId, dec("0.1"), "E2");
    await adapter.closePosition(positionId, undefined, "E3");
    const limit = await adapter.submitOrder({ clientOrderId: "E4", symbol: "EURUSD", side: "BUY", type: "LIMIT", volume: dec("0.1"), price: dec("1.07") });
    await adapter.cancelOrder(limit.status === "placed" ? limit.orderId! : "");
    expect(seen.map((s) => s.name)).toEqual(["price", "positionOpened", "deal", "positionUpdated", "positionUpdated", "deal", "positionClosed", "deal", "order", "order"]);
    expect(seen[0]!.event).toMatchObject({ symbol: "EURUSD", time: clock.now(), receivedAt: clock.now() });
    expect(seen[6]!.event).toMatchObject({ positionId, position: { volume: dec("0.1") } });
    expect(seen.map((s) => (s.event as { status?: string }).status).slice(-2)).toEqual(["updated", "completed"]);
  });
});

describe("MetaapiAdapter reads", () => {
  it("restores quote subscriptions on a rebuilt connection", async () => {
    await adapter.connect();
    await adapter.subscribePrices(["EURUSD"]);
    venue.dropLink();
    await timers.advance(settings.reconnectGraceMs);
    expect(venue.connects).toBe(2);
    const quotes: string[] = [];
    adapter.events.on("price", (p) => quotes.push(p.bid.toString()));
    venue.setPrice("EURUSD", 1.09, 1.0901);
    expect(quotes).toEqual(["1.09"]);
  });

  it("refuses to pass off incomplete deal history as complete", async () => {
    await adapter.connect();
    venue.dealsSynchronizing = true;
    expect((await failure(adapter.fetchDeals(0, clock.now()))).code).toBe("TRD_ERR_NOT_SYNCHRONIZED");
    expect((await failure(adapter.fetchOrderByClientId("nope"))).code).toBe("TRD_ERR_NOT_SYNCHRONIZED");
  });

  it("returns deals in a time range oldest first, and unknown symbols as TRD_ERR_UNKNOWN_SYMBOL", async () => {
    venue.deals = metaapiFixtures.deals();
    await adapter.connect();
    const deals = await adapter.fetchDeals(Date.parse("2020-04-15T00:00:00Z"), Date.parse("2020-04-16T12:00:00Z"));
    expect(deals.map((d) => d.id)).toEqual(["33230099", "33230180"]);
    expect((await failure(adapter.fetchSymbolSpec("NOPE"))).code).toBe("TRD_ERR_UNKNOWN_SYMBOL");
    expect((await adapter.fetchSymbolSpec("EURUSD")).marginRate).toBeCloseTo(0.01, 12);
  });
});

describe("metaapiCapabilities", () => {
  it("declares MT4 without stop-limit orders and always hedging, MT5 hedging per account", () => {
    expect(metaapiCapabilities("MT4")).toMatchObject({ orderTypes: ["MARKET", "LIMIT", "STOP"], hedging: true, clientOrderIdMaxLength: 26 });
    expect(metaapiCapabilities("MT5")).toMatchObject({ orderTypes: ["MARKET", "LIMIT", "STOP", "STOP_LIMIT"], hedging: "account", priceStreamIntervalMs: 2500 });
  });
});
