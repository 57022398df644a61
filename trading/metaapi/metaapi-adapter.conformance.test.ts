import { systemClock } from "../../core/index.ts";
import { runBrokerConformance } from "../../test/conformance/broker-adapter.ts";
import { MetaapiAdapter } from "./metaapi-adapter.ts";
import { FakeMetaapiClient } from "./testing/fake-metaapi-client.ts";
import { testMetaapiSettings } from "./testing/test-settings.ts";

// The MetaApi adapter, wired to an in-memory venue that enforces MetaTrader's rules, passes the shared suite;
// the same suite runs against a real account in test/live/metaapi.live.test.ts.
runBrokerConformance("metaapi adapter on a fake MetaApi venue", async () => ({
  adapter: new MetaapiAdapter({ accountId: "acc-conformance", platform: "MT5", raw: new FakeMetaapiClient(systemClock), settings: testMetaapiSettings() }),
  scenario: { symbol: "EURUSD" },
}));
