import { beforeAll, describe, expect, it } from "vitest";
import { RiskloopError, dec, type Tick } from "../../core/index.ts";
import { hasSharedData, sharedDataPath, describeIfData } from "../../test/kit/shared-data.ts";
import type { BrokerEventName, ReconnectSnapshot } from "../broker/index.ts";
import type { PaperVenue } from "./paper-venue.ts";
import { readLeanTicks } from "./testing/lean-csv.ts";
import { connectedVenue } from "./testing/paper-fixture.ts";

const TICKS = ["prices", "lean", "oanda_eurusd_tick_bidask.csv.gz"] as const;
const from = Date.UTC(2014, 4, 1);
const to = Date.UTC(2014, 4, 2);
const OUTAGE = 3 * 3_600_000;
const market = (clientOrderId: string, volume = "0.1") => ({ clientOrderId, symbol: "EURUSD", side: "BUY", type: "MARKET", volume: dec(volume) }) as const;

async function thrown(work: Promise<unknown>): Promise<RiskloopError> {
  const err = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RiskloopError);
  return err as RiskloopError;
}

describeIfData(hasSharedData(...TICKS), "paper venue idempotency, lost acknowledgements and connection drops", () => {
  let ticks: Tick[];
  let venue: PaperVenue;
  beforeAll(() => {
    ticks = readLeanTicks(sharedDataPath(...TICKS), from, to);
  });
  const open = async () => {
    venue = await connectedVenue({ ticks: { EURUSD: ticks } }, { from, to, symbols: ["EURUSD"], latency: { kind: "fixed", ms: 300 } });
    await venue.advanceTo(from + 4 * 3_600_000);
    return venue;
  };
  const positionsWith = async (id: string) => (await venue.fetchPositions()).filter((p) => p.clientOrderId === id);

  it("answers a repeated client order id with the first result, marked duplicate, and never opens twice", async () => {
    await open();
    const first = await venue.submitOrder(market("IDEM1"));
    await venue.advanceBy(60_000);
    const again = await venue.submitOrder(market("IDEM1", "0.5"));
    expect(again).toEqual({ ...first, duplicate: true });
    const [a, b] = await Promise.all([venue.submitOrder(market("IDEM2")), venue.submitOrder(market("IDEM2"))]);
    expect([a.status, b.status, a.status !== "rejected" && a.positionId === (b.status !== "rejected" && b.positionId)]).toEqual(["filled", "filled", true]);
    expect([a, b].filter((r) => r.status !== "rejected" && r.duplicate)).toHaveLength(1);
    expect(await positionsWith("IDEM1")).toHaveLength(1);
    expect(await positionsWith("IDEM2")).toHaveLength(1);
    // A refusal executed nothing, so the same id may be used again once the request is fixed.
    expect((await venue.submitOrder(market("IDEM3", "0.001"))).status).toBe("rejected");
    expect((await venue.submitOrder(market("IDEM3"))).status).toBe("filled");
  });

  it("fills but throws TRD_ERR_OUTCOME_UNKNOWN on a lost acknowledgement; a lookup finds the position and a retry opens nothing new", async () => {
    await open();
    venue.setFaults({ failAcknowledgement: (r) => r.clientOrderId.startsWith("LOST") });
    const err = await thrown(venue.submitOrder(market("LOST1")));
    expect([err.code, err.kind, err.details?.clientOrderId]).toEqual(["TRD_ERR_OUTCOME_UNKNOWN", "transient", "LOST1"]);
    // What execution's reconciliation does before any retry: look the order up by its client id.
    const found = await venue.fetchPositionByClientId("LOST1");
    expect(found?.volume.toString()).toBe("0.1");
    expect((await venue.fetchOrderByClientId("LOST1"))?.state).toBe("filled");
    const retry = await venue.submitOrder(market("LOST1"));
    expect(retry.status !== "rejected" && [retry.duplicate, retry.positionId]).toEqual([true, found!.id]);
    expect(await positionsWith("LOST1")).toHaveLength(1);

    const closeErr = await thrown(venue.closePosition(found!.id, undefined, "LOSTCLOSE"));
    expect(closeErr.code).toBe("TRD_ERR_OUTCOME_UNKNOWN");
    expect(await venue.fetchPositionByClientId("LOST1")).toBeUndefined();
    const closeRetry = await venue.closePosition(found!.id, undefined, "LOSTCLOSE");
    expect(closeRetry.status !== "rejected" && closeRetry.duplicate).toBe(true);
    expect((await venue.fetchDeals(from, to)).filter((d) => d.positionId === found!.id && d.entry === "out")).toHaveLength(1);
  });

  it("drops the link on request: calls throw, events stop, stops still trigger, and the reconnect hands over a fresh snapshot", async () => {
    await open();
    const seen: BrokerEventName[] = [];
    for (const name of ["positionClosed", "deal", "account", "connection"] as const) venue.events.on(name, () => seen.push(name));
    const snapshots: ReconnectSnapshot[] = [];
    venue.onReconnected((s) => {
      snapshots.push(s);
    });
    const result = await venue.submitOrder(market("DROP1"));
    if (result.status === "rejected") throw new Error(result.message);
    const q = await venue.fetchPrice("EURUSD");
    await venue.modifyPosition(result.positionId!, { takeProfit: q.bid.plus("0.0002") });

    venue.dropConnection({ reconnectAfterMs: OUTAGE, failedAttempts: 2 });
    expect(seen.at(-1)).toBe("connection");
    seen.length = 0;
    const lostAt = venue.now;
    expect([venue.connectionState, venue.health().lastError?.code, venue.health().reconnectAttempts]).toEqual(["connecting", "TRD_ERR_NOT_CONNECTED", 2]);
    expect((await thrown(venue.submitOrder(market("DROP2")))).code).toBe("TRD_ERR_NOT_CONNECTED");
    expect((await thrown(venue.fetchPositions())).code).toBe("TRD_ERR_NOT_CONNECTED");
    // The take profit is held by the venue, so it fills during the outage, unseen by us.
    const tpHit = ticks.find((k) => k.time > lostAt && k.bid >= q.bid.plus("0.0002").toNumber())!;
    expect(tpHit.time).toBeLessThan(lostAt + OUTAGE);
    await venue.advanceTo(lostAt + OUTAGE - 60_000);
    expect(seen).toEqual([]);
    await venue.advanceTo(lostAt + OUTAGE + 60_000);
    expect(venue.connectionState).toBe("connected");
    expect(seen).toEqual(["connection", "connection"]);
    expect(snapshots.map((s) => [s.reason, s.lostAt, s.reconnectedAt, s.attempts, s.positions.length])).toEqual([["reconnect", lostAt, lostAt + OUTAGE, 2, 0]]);
    const exit = (await venue.fetchDeals(from, to)).find((d) => d.positionId === result.positionId && d.entry === "out");
    expect([exit?.reason, exit?.time, exit?.price?.toNumber()]).toEqual(["take_profit", tpHit.time, tpHit.bid]);
  });
});
