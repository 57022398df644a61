import { beforeEach, describe, expect, it } from "vitest";
import { RiskloopError, dec } from "../../core/index.ts";
import { FakeClock } from "../../test/kit/fake-clock.ts";
import type { OrderAccepted, OrderResult, SubmitOrderRequest } from "../broker/index.ts";
import { ManualTimers } from "../broker/testing/manual-timers.ts";
import { MetaapiAdapter } from "./metaapi-adapter.ts";
import type { MetaapiSettings } from "./metaapi.config.ts";
import { FakeMetaapiClient } from "./testing/fake-metaapi-client.ts";
import { testMetaapiSettings } from "./testing/test-settings.ts";

let clock: FakeClock;
let timers: ManualTimers;
let venue: FakeMetaapiClient;
let adapter: MetaapiAdapter;
let settings: MetaapiSettings;

async function connected(overrides: Partial<MetaapiSettings> = {}): Promise<void> {
  settings = testMetaapiSettings(overrides);
  adapter = new MetaapiAdapter({ accountId: "acc-1", platform: "MT5", raw: venue, settings, clock, timers });
  await adapter.connect();
}

const buy = (clientOrderId: string, extra: Partial<SubmitOrderRequest> = {}): SubmitOrderRequest => ({
  clientOrderId,
  symbol: "EURUSD",
  side: "BUY",
  type: "MARKET",
  volume: dec("0.1"),
  ...extra,
});

function accepted(r: OrderResult): OrderAccepted {
  if (r.status === "rejected") throw new Error(`unexpected rejection ${r.errorCode}`);
  return r;
}

async function thrown(work: Promise<unknown>): Promise<RiskloopError> {
  const err = await work.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(RiskloopError);
  return err as RiskloopError;
}

beforeEach(() => {
  clock = new FakeClock();
  timers = new ManualTimers(clock);
  venue = new FakeMetaapiClient(clock);
});

describe("safe order submission", () => {
  it("reports the fill with deal id, price, volume and time", async () => {
    await connected();
    const r = accepted(await adapter.submitOrder(buy("A1")));
    expect(r).toMatchObject({ status: "filled", clientOrderId: "A1", fillTime: clock.now() });
    expect(r.fillPrice?.toString()).toBe("1.0813");
    expect(r.fillVolume?.toString()).toBe("0.1");
    expect(r.dealId).toBeDefined();
    expect(r.recovered).toBeUndefined();
  });

  it("timed out but executed: finds the position by client id and never sends twice", async () => {
    await connected();
    venue.silentStream = true;
    venue.tradeFaults.push({ kind: "timeout-after-execute" });
    const r = accepted(await adapter.submitOrder(buy("A2")));
    expect(r).toMatchObject({ status: "filled", recovered: true, positionId: String(venue.positions[0]!.id) });
    expect(venue.tradeCalls).toEqual(["createMarketBuyOrder"]);
    expect(venue.positions).toHaveLength(1);
  });

  it("no answer at all (our own timeout) but executed: recovered after the request timeout", async () => {
    await connected();
    venue.silentStream = true;
    venue.tradeFaults.push({ kind: "hang-after-execute" });
    const pending = adapter.submitOrder(buy("A3"));
    await timers.advance(settings.requestTimeoutMs);
    expect(accepted(await pending)).toMatchObject({ status: "filled", recovered: true });
    expect(venue.tradeCalls).toHaveLength(1);
  });

  it("executed, then stopped out before the lookup: found through deal history", async () => {
    await connected({ lookupDelayMs: 1000 });
    venue.silentStream = true;
    venue.tradeFaults.push({ kind: "timeout-after-execute" });
    const pending = adapter.submitOrder(buy("A4"));
    await timers.advance(0);
    venue.positions = [];
    await timers.advance(1000);
    const r = accepted(await pending);
    expect(r).toMatchObject({ status: "filled", recovered: true, clientOrderId: "A4" });
    expect(r.fillPrice?.toString()).toBe("1.0813");
    expect(venue.tradeCalls).toHaveLength(1);
  });

  it("timed out before reaching the venue: proven absent, resent once, one position", async () => {
    await connected();
    venue.tradeFaults.push({ kind: "timeout-before-execute" });
    const r = accepted(await adapter.submitOrder(buy("A5")));
    expect(r.recovered).toBeUndefined();
    expect(venue.tradeCalls).toHaveLength(2);
    expect(venue.positions).toHaveLength(1);
  });

  it("proven absent on every attempt: TRD_ERR_TIMEOUT, and a later retry with the same id sends", async () => {
    await connected({ submitMaxAttempts: 2 });
    venue.tradeFaults.push({ kind: "timeout-before-execute" }, { kind: "timeout-before-execute" });
    const err = await thrown(adapter.submitOrder(buy("A6")));
    expect(err).toMatchObject({ code: "TRD_ERR_TIMEOUT", kind: "transient" });
    expect(err.details).toMatchObject({ attempts: 2, clientOrderId: "A6" });
    expect(venue.positions).toHaveLength(0);
    expect(accepted(await adapter.submitOrder(buy("A6"))).status).toBe("filled");
    expect(venue.tradeCalls).toHaveLength(3);
  });

  it("lookup impossible: TRD_ERR_OUTCOME_UNKNOWN, and the retry looks up before sending", async () => {
    await connected();
    venue.silentStream = true;
    venue.tradeFaults.push({ kind: "timeout-after-execute" });
    venue.rpcFailure = Object.assign(new Error("socket hang up"), { name: "TimeoutError" });
    const err = await thrown(adapter.submitOrder(buy("A7")));
    expect(err.code).toBe("TRD_ERR_OUTCOME_UNKNOWN");
    venue.rpcFailure = undefined;
    const r = accepted(await adapter.submitOrder(buy("A7")));
    expect(r).toMatchObject({ status: "filled", recovered: true });
    expect(venue.tradeCalls).toHaveLength(1);
    expect(venue.positions).toHaveLength(1);
  });

  it("deal history still synchronising is not proof of absence", async () => {
    await connected();
    venue.tradeFaults.push({ kind: "timeout-before-execute" });
    venue.dealsSynchronizing = true;
    expect((await thrown(adapter.submitOrder(buy("A8")))).code).toBe("TRD_ERR_OUTCOME_UNKNOWN");
    expect(venue.tradeCalls).toHaveLength(1);
    venue.dealsSynchronizing = false;
    expect(accepted(await adapter.submitOrder(buy("A8"))).recovered).toBeUndefined();
    expect(venue.tradeCalls).toHaveLength(2);
    expect(venue.positions).toHaveLength(1);
  });

  it("concurrent and repeated submits with one client id send once", async () => {
    await connected();
    const [a, b] = await Promise.all([adapter.submitOrder(buy("A9")), adapter.submitOrder(buy("A9"))]);
    const again = accepted(await adapter.submitOrder(buy("A9")));
    expect(accepted(a).positionId).toBe(accepted(b).positionId);
    expect(again).toMatchObject({ duplicate: true, positionId: accepted(a).positionId });
    expect(venue.tradeCalls).toHaveLength(1);
  });

  it("a refusal is a value with our code and the venue's; retrying it sends again", async () => {
    await connected();
    venue.tradeFaults.push({ kind: "trade-error", numericCode: 10019, stringCode: "TRADE_RETCODE_NO_MONEY" });
    const r = await adapter.submitOrder(buy("B1"));
    expect(r).toMatchObject({ status: "rejected", errorCode: "TRD_ERR_NO_MONEY", errorKind: "invalid", brokerCode: "TRADE_RETCODE_NO_MONEY", clientOrderId: "B1" });
    expect(accepted(await adapter.submitOrder(buy("B1"))).status).toBe("filled");
    expect(venue.tradeCalls).toHaveLength(2);
  });

  it("refuses before sending: not connected, bad client id, bad volume", async () => {
    adapter = new MetaapiAdapter({ accountId: "acc-1", platform: "MT5", raw: venue, settings: testMetaapiSettings(), clock, timers });
    expect((await thrown(adapter.submitOrder(buy("B2")))).code).toBe("TRD_ERR_NOT_CONNECTED");
    await adapter.connect();
    expect(await adapter.submitOrder(buy("X".repeat(27)))).toMatchObject({ status: "rejected", errorCode: "TRD_ERR_INVALID_REQUEST" });
    expect(await adapter.submitOrder(buy("B3", { volume: dec(0) }))).toMatchObject({ status: "rejected", errorCode: "TRD_ERR_INVALID_VOLUME" });
    expect(await adapter.submitOrder(buy("B4", { type: "LIMIT" }))).toMatchObject({ status: "rejected", errorCode: "TRD_ERR_INVALID_PRICE" });
    expect(venue.tradeCalls).toHaveLength(0);
  });

  it("cuts the comment to MetaTrader's 26-character budget next to the client id", async () => {
    await connected();
    await adapter.submitOrder(buy("RL0123456789ABC", { comment: "a very long strategy comment" }));
    expect(venue.positions[0]!.comment).toBe("a very long");
  });

  it("a close that timed out but executed is recovered from its deal; a lost partial close is resent once", async () => {
    await connected();
    const opened = accepted(await adapter.submitOrder(buy("C1", { volume: dec("0.3") })));
    venue.tradeFaults.push({ kind: "timeout-before-execute" });
    expect(accepted(await adapter.closePosition(opened.positionId!, dec("0.1"), "C2")).recovered).toBeUndefined();
    expect(venue.positions[0]!.volume).toBe(0.2);
    venue.silentStream = true;
    venue.tradeFaults.push({ kind: "timeout-after-execute" });
    const closed = accepted(await adapter.closePosition(opened.positionId!, undefined, "C3"));
    expect(closed).toMatchObject({ status: "filled", recovered: true });
    expect(closed.fillPrice?.toString()).toBe("1.0812");
    expect(venue.positions).toHaveLength(0);
    expect(venue.tradeCalls).toEqual(["createMarketBuyOrder", "closePositionPartially", "closePositionPartially", "closePosition"]);
  });

  it("refuses to reuse an opening order's client id for a close", async () => {
    await connected();
    const opened = accepted(await adapter.submitOrder(buy("D1")));
    const r = await adapter.closePosition(opened.positionId!, undefined, "D1");
    expect(r).toMatchObject({ status: "rejected", errorCode: "TRD_ERR_INVALID_REQUEST" });
    expect(venue.positions).toHaveLength(1);
  });
});
