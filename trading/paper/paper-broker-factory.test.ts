import { describe, expect, it } from "vitest";
import { RiskloopError, dec, systemClock } from "../../core/index.ts";
import { BrokerRegistry } from "../broker/index.ts";
import { registerPaperBroker } from "./paper-broker-factory.ts";
import { resolvePaperSettings } from "./paper-settings.ts";
import type { PaperVenue } from "./paper-venue.ts";
import { ArrayMarketDataReader } from "./testing/array-market-data-reader.ts";
import { quotes } from "./testing/paper-fixture.ts";
import { TEST_INSTRUMENTS } from "./testing/paper-instruments.ts";

const T0 = Date.UTC(2024, 0, 2, 10);
const reader = new ArrayMarketDataReader({ ticks: { EURUSD: quotes([[T0, 1.1, 1.1001], [T0 + 500, 1.1002, 1.1003], [T0 + 60_000, 1.1004, 1.1005]]) } });
const settings = { from: "2024-01-02T00:00:00Z", to: "2024-01-03T00:00:00Z", symbols: ["EURUSD"], latency: { kind: "fixed", ms: 100 } };

async function failure(work: Promise<unknown>): Promise<string | undefined> {
  return work.then(
    () => undefined,
    (e: unknown) => (e instanceof RiskloopError ? e.code : String(e)),
  );
}

describe("paper broker factory", () => {
  const registry = new BrokerRegistry();
  registerPaperBroker(registry, { reader, instruments: async () => TEST_INSTRUMENTS, config: { initialBalance: 2_500, latencyMs: 0, commissionPerLot: 3, stopOutLevel: 30, marketClosedAfterMs: 60_000 } });

  it("builds a venue for a PAPER account from its paper settings, with config defaults and the account's currency", async () => {
    const venue = (await registry.create({ accountId: "acc-1", platform: "PAPER", currency: "USD", leverage: 200, settings }, { clock: systemClock })) as PaperVenue;
    expect([venue.venue, venue.accountId, venue.settings.commissionPerLot, venue.settings.stopOutLevel, venue.settings.latency]).toEqual(["paper", "acc-1", "3", 30, { kind: "fixed", ms: 100 }]);
    await venue.connect();
    const info = await venue.fetchAccountInfo();
    expect([info.balance.toString(), info.leverage, info.currency]).toEqual(["2500", 200, "USD"]);
  });

  it("resumes the stored snapshot when the account's settings carry one", async () => {
    const venue = (await registry.create({ accountId: "acc-2", platform: "PAPER", settings }, { clock: systemClock })) as PaperVenue;
    await venue.connect();
    await venue.advanceTo(T0);
    const r = await venue.submitOrder({ clientOrderId: "F1", symbol: "EURUSD", side: "BUY", type: "MARKET", volume: dec("0.1") });
    expect(r.status).toBe("filled");
    const stored = JSON.parse(JSON.stringify({ ...settings, state: venue }));
    const resumed = (await registry.create({ accountId: "acc-2", platform: "PAPER", settings: stored }, { clock: systemClock })) as PaperVenue;
    await resumed.connect();
    expect([resumed.now, (await resumed.fetchPositions()).map((p) => p.clientOrderId)]).toEqual([venue.now, ["F1"]]);
    expect(await failure(registry.create({ accountId: "acc-3", platform: "PAPER", settings: stored }, { clock: systemClock }))).toBe("TRD_ERR_ACCOUNT_CONFIG");
  });

  it("reports unusable settings as TRD_ERR_ACCOUNT_CONFIG", async () => {
    const create = (s: Record<string, unknown>) => failure(registry.create({ accountId: "bad", platform: "PAPER", settings: s }, { clock: systemClock }));
    expect(await create({})).toBe("TRD_ERR_ACCOUNT_CONFIG");
    expect(await create({ ...settings, symbols: ["EURCHF"] })).toBe("TRD_ERR_ACCOUNT_CONFIG");
    expect(await create({ ...settings, to: settings.from })).toBe("TRD_ERR_ACCOUNT_CONFIG");
    expect(await create({ ...settings, latency: { kind: "lognormal", medianMs: 0, p95Ms: 1, seed: 1 } })).toBe("TRD_ERR_ACCOUNT_CONFIG");
    expect(await create({ ...settings, state: { format: 99 } })).toBe("TRD_ERR_ACCOUNT_CONFIG");
  });
});

describe("paper settings", () => {
  it("fills defaults and normalises times and money", () => {
    const s = resolvePaperSettings({ accountId: "a", from: "2014-05-01T00:00:00Z", to: Date.UTC(2014, 4, 2), initialBalance: dec("5000.50"), swap: { EURUSD: { longPerLot: -6.1, shortPerLot: "1.2" } } }, TEST_INSTRUMENTS);
    expect(s).toMatchObject({
      symbols: ["EURUSD", "GBPUSD", "USDJPY", "XAUUSD"],
      from: Date.UTC(2014, 4, 1),
      source: "auto",
      currency: "USD",
      initialBalance: "5000.5",
      latency: { kind: "fixed", ms: 100 },
      commissionPerLot: "0",
      swap: { EURUSD: { longPerLot: "-6.1", shortPerLot: "1.2" } },
      stopOutLevel: 50,
      marketClosedAfterMs: 600_000,
    });
    expect(resolvePaperSettings(s, TEST_INSTRUMENTS)).toEqual(s);
  });
});
