import { describe, expect, it } from "vitest";
import { RiskloopError, systemClock } from "../../core/index.ts";
import { BrokerRegistry, type BrokerAccountConfig } from "../broker/index.ts";
import { MetaapiAdapter } from "./metaapi-adapter.ts";
import { registerMetaapiBroker } from "./metaapi-broker-factory.ts";
import { testMetaapiSettings } from "./testing/test-settings.ts";

const registry = new BrokerRegistry();
registerMetaapiBroker(registry, testMetaapiSettings({ token: undefined }));
const deps = { clock: systemClock };

async function code(account: BrokerAccountConfig): Promise<string> {
  const err = await registry.create(account, deps).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(RiskloopError);
  return (err as RiskloopError).code;
}

describe("registerMetaapiBroker", () => {
  it("serves MT4 and MT5 accounts", () => {
    expect(registry.platforms().sort()).toEqual(["MT4", "MT5"]);
  });

  it("needs the MetaApi account id and a token", async () => {
    expect(await code({ accountId: "a", platform: "MT5", credentials: { metaapiToken: "t" } })).toBe("TRD_ERR_ACCOUNT_CONFIG");
    expect(await code({ accountId: "a", platform: "MT5", metaapiAccountId: "m-1" })).toBe("TRD_ERR_ACCOUNT_CONFIG");
  });

  it("builds a disconnected adapter without touching the network", async () => {
    const adapter = await registry.create({ accountId: "a", platform: "MT4", metaapiAccountId: "m-1", credentials: { metaapiToken: "t" } }, deps);
    expect(adapter).toBeInstanceOf(MetaapiAdapter);
    expect(adapter).toMatchObject({ venue: "metaapi", accountId: "a", connectionState: "disconnected" });
    expect(adapter.capabilities.orderTypes).not.toContain("STOP_LIMIT");
    await adapter.disconnect();
  });
});
