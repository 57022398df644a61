import { describe } from "vitest";
import { loadConfig, systemClock } from "../../core/index.ts";
import { BrokerRegistry } from "../../trading/broker/index.ts";
import { metaapiConfig, registerMetaapiBroker } from "../../trading/metaapi/index.ts";
import { runBrokerConformance } from "../conformance/broker-adapter.ts";

// Opt-in: trades on a real MetaApi account (use a demo account) only when both variables are set.
const token = process.env.METAAPI_TOKEN;
const metaapiAccountId = process.env.METAAPI_ACCOUNT_ID;
const enabled = Boolean(token && metaapiAccountId);
if (!enabled) console.warn("[skipped] MetaApi live suite: set METAAPI_TOKEN and METAAPI_ACCOUNT_ID (a deployed demo account) to run it");

describe.skipIf(!enabled)("MetaApi live account", () => {
  runBrokerConformance("metaapi (live demo account)", async () => {
    const settings = loadConfig({ metaapi: metaapiConfig }, process.env, []).value.metaapi;
    const registry = new BrokerRegistry();
    registerMetaapiBroker(registry, settings);
    const adapter = await registry.create(
      { accountId: "live-conformance", platform: "MT5", metaapiAccountId: metaapiAccountId!, credentials: { metaapiToken: token! } },
      { clock: systemClock },
    );
    return { adapter, scenario: { symbol: settings.liveSymbol, eventTimeoutMs: 30_000, clientIdPrefix: "RLT" } };
  });
});
