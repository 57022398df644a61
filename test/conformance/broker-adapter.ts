import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RiskloopError, dec, floorToStep, roundToDigits, type Decimal, type SymbolSpec } from "../../core/index.ts";
import type {
  BrokerEventMap,
  BrokerEventName,
  BrokerPort,
  OrderAccepted,
  OrderResult,
  ReconnectSnapshot,
  SubmitOrderRequest,
} from "../../trading/broker/index.ts";
import { eventually } from "../kit/eventually.ts";

/** How a venue lets the suite drive it. Live venues need none of the hooks; a simulated venue uses them to move its market and clock. */
export interface BrokerScenario {
  /** A symbol the venue trades now (an FX major on a demo account); the suite opens and closes positions on it. */
  symbol: string;
  /** Volume for test trades; must allow a partial close. Default: twice the symbol's minimum volume, on its step. */
  volume?: Decimal;
  /** Called once after connecting: make the market open and quoted (paper venue: set a bid/ask; live: nothing). */
  prepareMarket?(symbol: string): Promise<void>;
  /** Called while the suite waits for an event or state change: move venue time on (paper: step the clock). */
  advance?(ms: number): Promise<void>;
  /** How long to wait for events and lookups, in ms (default 5000; live venues may need more). */
  eventTimeoutMs?: number;
  /** Prefix of the client order ids this run creates (default "CF"); the suite closes what carries it at the end. */
  clientIdPrefix?: string;
  /** Runs last, after the suite closed its positions and disconnected. */
  cleanup?(): Promise<void>;
}

/** Builds a fresh, unconnected adapter and the scenario that drives its venue. */
export type MakeBrokerAdapter = () => Promise<{ adapter: BrokerPort; scenario: BrokerScenario }>;

type Recorded = { [K in BrokerEventName]: BrokerEventMap[K][] };
const EVENT_NAMES: BrokerEventName[] = ["price", "positionOpened", "positionUpdated", "positionClosed", "order", "deal", "account", "connection"];

async function rejectsWith(work: Promise<unknown>, code: string): Promise<void> {
  const err = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected a RiskloopError ${code}`).toBeInstanceOf(RiskloopError);
  expect((err as RiskloopError).code).toBe(code);
}

function expectAccepted(result: OrderResult, status: "filled" | "placed"): asserts result is OrderAccepted {
  expect(result.status, result.status === "rejected" ? `${result.errorCode}: ${result.message}` : "").toBe(status);
}

const eq = (a: Decimal | undefined, b: Decimal) => expect(a !== undefined && a.eq(b), `${a?.toString()} should equal ${b.toString()}`).toBe(true);

/**
 * What every broker adapter must do, whatever the venue: one line runs it
 * (`runBrokerConformance("paper", async () => ({ adapter, scenario }))`). Tests share one connection and one
 * position and run in order; everything opened carries `clientIdPrefix` and is closed afterwards.
 */
export function runBrokerConformance(name: string, makeAdapter: MakeBrokerAdapter): void {
  describe(`broker adapter conformance: ${name}`, () => {
    let adapter: BrokerPort;
    let scenario: BrokerScenario;
    let spec: SymbolSpec;
    let volume: Decimal;
    let initialState: string;
    let positionId: string;
    let openId: string;
    const events = Object.fromEntries(EVENT_NAMES.map((n) => [n, []])) as unknown as Recorded;
    const snapshots: ReconnectSnapshot[] = [];
    let counter = 0;
    const runTag = Date.now().toString(36).slice(-5).toUpperCase();
    const nextId = () => `${scenario.clientIdPrefix ?? "CF"}${runTag}${(counter++).toString(36).toUpperCase()}`;
    const waitFor = <T>(check: () => T | Promise<T>) =>
      eventually(async () => {
        await scenario.advance?.(100);
        return check();
      }, scenario.eventTimeoutMs ?? 5000, 20);
    const pips = (n: number) => dec(spec.pipSize).mul(n);
    const price = (p: Decimal) => roundToDigits(p, spec.digits);
    const market = (side: "BUY" | "SELL", extra: Partial<SubmitOrderRequest> = {}): SubmitOrderRequest => ({
      clientOrderId: nextId(),
      symbol: scenario.symbol,
      side,
      type: "MARKET",
      volume,
      ...extra,
    });

    beforeAll(async () => {
      ({ adapter, scenario } = await makeAdapter());
      for (const n of EVENT_NAMES) adapter.events.on(n, (e) => (events[n] as unknown[]).push(e));
      adapter.onReconnected((s) => {
        snapshots.push(s);
      });
      initialState = adapter.connectionState;
      await adapter.connect();
      await scenario.prepareMarket?.(scenario.symbol);
      spec = await adapter.fetchSymbolSpec(scenario.symbol);
      volume = scenario.volume ?? floorToStep(spec.minVolume.mul(2), spec.volumeStep);
    });

    afterAll(async () => {
      if (!adapter) return;
      const prefix = scenario.clientIdPrefix ?? "CF";
      if (adapter.connectionState !== "connected") await adapter.connect().catch(() => {});
      for (const p of await adapter.fetchPositions().catch(() => [])) {
        if (p.clientOrderId?.startsWith(prefix)) await adapter.closePosition(p.id, undefined, nextId()).catch(() => {});
      }
      for (const o of await adapter.fetchOrders().catch(() => [])) {
        if (o.clientOrderId?.startsWith(prefix)) await adapter.cancelOrder(o.id).catch(() => {});
      }
      await adapter.disconnect();
      await scenario.cleanup?.();
    });

    it("starts disconnected, connects through reported states, and hands onReconnected a snapshot", async () => {
      expect(initialState).toBe("disconnected");
      expect(adapter.connectionState).toBe("connected");
      const health = adapter.health();
      expect(health.state).toBe("connected");
      expect(health.reconnectAttempts).toBe(0);
      expect(health.since).toBeLessThanOrEqual(Date.now() + 1);
      const states = events.connection.map((e) => e.health.state);
      expect(states.at(-1)).toBe("connected");
      expect(states).toContain("connecting");
      for (const e of events.connection) expect(typeof e.time === "number" && typeof e.receivedAt === "number").toBe(true);
      await waitFor(() => expect(snapshots.length).toBeGreaterThan(0));
      expect(snapshots[0]!.reason).toBe("initial");
      expect(Array.isArray(snapshots[0]!.positions) && Array.isArray(snapshots[0]!.orders)).toBe(true);
    });

    it("declares its capabilities as plain data", () => {
      const c = adapter.capabilities;
      expect(JSON.parse(JSON.stringify(c))).toEqual(c);
      expect(c.orderTypes).toContain("MARKET");
      expect(c.clientOrderIds).toBe(true);
      expect(c.clientOrderIdMaxLength).toBeGreaterThanOrEqual(nextId().length);
    });

    it("returns a sane symbol specification, and TRD_ERR_UNKNOWN_SYMBOL for a symbol it does not have", async () => {
      expect(spec.symbol).toBe(scenario.symbol);
      expect(Number.isInteger(spec.digits) && spec.digits >= 0 && spec.digits <= 8).toBe(true);
      expect(spec.pipSize).toBeGreaterThanOrEqual(10 ** -spec.digits - 1e-12);
      expect(spec.pipSize).toBeLessThanOrEqual(10 ** (2 - spec.digits) + 1e-12);
      expect(spec.contractSize).toBeGreaterThan(0);
      expect(spec.minVolume.gt(0) && spec.volumeStep.gt(0) && spec.maxVolume.gte(spec.minVolume)).toBe(true);
      expect(spec.marginRate > 0 && spec.marginRate <= 1).toBe(true);
      expect(spec.quoteCurrency).toMatch(/^[A-Z]{3}$/);
      await rejectsWith(adapter.fetchSymbolSpec("NOSUCHSYMBOL"), "TRD_ERR_UNKNOWN_SYMBOL");
    });

    it("quotes bid ≤ ask with the venue's time and the receive time", async () => {
      const q = await adapter.fetchPrice(scenario.symbol);
      expect(q.symbol).toBe(scenario.symbol);
      expect(q.bid.gt(0) && q.ask.gte(q.bid)).toBe(true);
      expect(Number.isFinite(q.time) && Number.isFinite(q.receivedAt)).toBe(true);
    });

    it("reports account money as decimals", async () => {
      const a = await adapter.fetchAccountInfo();
      for (const v of [a.balance, a.equity, a.margin, a.freeMargin]) expect(v.isFinite()).toBe(true);
      expect(a.leverage).toBeGreaterThan(0);
      expect(a.currency).toMatch(/^[A-Z]{3}$/);
    });

    it("opens a market position that is found by its client order id, with a positionOpened event", async () => {
      const request = market("BUY");
      openId = request.clientOrderId;
      const result = await adapter.submitOrder(request);
      expectAccepted(result, "filled");
      expect(result.clientOrderId).toBe(openId);
      expect(result.positionId).toBeDefined();
      positionId = result.positionId!;
      expect(result.respondedAt).toBeGreaterThanOrEqual(result.requestedAt);
      const position = await waitFor(async () => {
        const p = await adapter.fetchPositionByClientId(openId);
        expect(p).toBeDefined();
        return p!;
      });
      expect(position.id).toBe(positionId);
      expect(position.side).toBe("BUY");
      eq(position.volume, volume);
      const order = await adapter.fetchOrderByClientId(openId);
      expect(order?.clientOrderId).toBe(openId);
      await waitFor(() => expect(events.positionOpened.some((e) => e.position.id === positionId)).toBe(true));
      const opened = events.positionOpened.find((e) => e.position.id === positionId)!;
      expect(Number.isFinite(opened.time) && Number.isFinite(opened.receivedAt)).toBe(true);
    });

    it("never opens a second position for a repeated client order id", async () => {
      const again = await adapter.submitOrder({ clientOrderId: openId, symbol: scenario.symbol, side: "BUY", type: "MARKET", volume });
      expectAccepted(again, "filled");
      expect(again.positionId).toBe(positionId);
      const same = (await adapter.fetchPositions()).filter((p) => p.clientOrderId === openId);
      expect(same).toHaveLength(1);
    });

    it("round-trips stop loss and take profit on the position", async () => {
      const q = await adapter.fetchPrice(scenario.symbol);
      const stopLoss = price(q.bid.minus(pips(50)));
      const takeProfit = price(q.ask.plus(pips(50)));
      const result = await adapter.modifyPosition(positionId, { stopLoss, takeProfit });
      expect(result.status, result.status === "rejected" ? result.message : "").toBe("done");
      const p = await waitFor(async () => {
        const found = await adapter.fetchPositionByClientId(openId);
        expect(found?.stopLoss?.eq(stopLoss)).toBe(true);
        return found!;
      });
      eq(p.takeProfit, takeProfit);
      await waitFor(() => expect(events.positionUpdated.some((e) => e.position.id === positionId && e.position.stopLoss?.eq(stopLoss))).toBe(true));
    });

    it("reduces the volume on a partial close", async (ctx) => {
      if (!adapter.capabilities.partialClose) ctx.skip();
      const part = floorToStep(volume.div(2), spec.volumeStep);
      const result = await adapter.closePosition(positionId, part, nextId());
      expectAccepted(result, "filled");
      await waitFor(async () => eq((await adapter.fetchPositionByClientId(openId))?.volume, volume.minus(part)));
    });

    it("closes the position, then emits positionClosed and the closing deal", async () => {
      const result = await adapter.closePosition(positionId, undefined, nextId());
      expectAccepted(result, "filled");
      await waitFor(async () => expect(await adapter.fetchPositionByClientId(openId)).toBeUndefined());
      await waitFor(() => expect(events.positionClosed.some((e) => e.positionId === positionId)).toBe(true));
      await waitFor(() => expect(events.deal.some((e) => e.deal.positionId === positionId && e.deal.entry === "out")).toBe(true));
    });

    it("rejects an invalid volume with TRD_ERR_INVALID_VOLUME and opens nothing", async () => {
      const request = market("BUY", { volume: spec.minVolume.div(2) });
      const result = await adapter.submitOrder(request);
      expect(result.status).toBe("rejected");
      if (result.status !== "rejected") return;
      expect(result.errorCode).toBe("TRD_ERR_INVALID_VOLUME");
      expect(result.errorKind).toBe("invalid");
      expect(await adapter.fetchPositionByClientId(request.clientOrderId)).toBeUndefined();
    });

    it("rejects a stop loss on the wrong side with TRD_ERR_INVALID_STOPS", async () => {
      const q = await adapter.fetchPrice(scenario.symbol);
      const result = await adapter.submitOrder(market("BUY", { stopLoss: price(q.ask.plus(pips(100))) }));
      expect(result.status).toBe("rejected");
      if (result.status === "rejected") expect(result.errorCode).toBe("TRD_ERR_INVALID_STOPS");
    });

    it("places, finds, modifies and cancels a pending limit order", async (ctx) => {
      if (!adapter.capabilities.orderTypes.includes("LIMIT")) ctx.skip();
      const q = await adapter.fetchPrice(scenario.symbol);
      const request: SubmitOrderRequest = { ...market("BUY"), type: "LIMIT", price: price(q.bid.minus(pips(200))) };
      const placed = await adapter.submitOrder(request);
      expectAccepted(placed, "placed");
      const order = await waitFor(async () => {
        const o = await adapter.fetchOrderByClientId(request.clientOrderId);
        expect(o?.state === "placed" || o?.state === "pending").toBe(true);
        return o!;
      });
      eq(order.price, request.price!);
      const newPrice = price(request.price!.minus(pips(10)));
      expect((await adapter.modifyOrder(order.id, { price: newPrice })).status).toBe("done");
      await waitFor(async () => eq((await adapter.fetchOrders()).find((o) => o.id === order.id)?.price, newPrice));
      expect((await adapter.cancelOrder(order.id)).status).toBe("done");
      await waitFor(async () => expect((await adapter.fetchOrders()).some((o) => o.id === order.id)).toBe(false));
    });

    it("sends nothing while disconnected (TRD_ERR_NOT_CONNECTED) and reconnects with a fresh snapshot", async () => {
      await adapter.disconnect();
      expect(adapter.connectionState).toBe("disconnected");
      const request = market("BUY");
      await rejectsWith(adapter.submitOrder(request), "TRD_ERR_NOT_CONNECTED");
      const before = snapshots.length;
      await adapter.connect();
      expect(adapter.connectionState).toBe("connected");
      await waitFor(() => expect(snapshots.length).toBeGreaterThan(before));
      expect(await adapter.fetchPositionByClientId(request.clientOrderId)).toBeUndefined();
    });
  });
}
