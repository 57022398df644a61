import { brokerError, type BrokerFactory, type BrokerRegistry } from "../broker/index.ts";
import { MetaapiAdapter } from "./metaapi-adapter.ts";
import type { MetaapiProvisioning } from "./metaapi-client.ts";
import type { MetaapiSettings } from "./metaapi.config.ts";

/**
 * Registers the MetaApi adapter for MT4 and MT5 accounts. An account needs its MetaApi account id and a token
 * (its own `metaapiToken` credential, else METAAPI_TOKEN). The SDK module is loaded on first use only.
 */
export function registerMetaapiBroker(registry: BrokerRegistry, settings: MetaapiSettings): void {
  const factory: BrokerFactory = async (account, deps) => {
    if (account.platform !== "MT4" && account.platform !== "MT5") {
      throw brokerError("TRD_ERR_UNSUPPORTED_PLATFORM", `MetaApi serves MT4 and MT5, not ${account.platform}`, { accountId: account.accountId });
    }
    const metaapiAccountId = account.metaapiAccountId;
    if (!metaapiAccountId) {
      throw brokerError("TRD_ERR_ACCOUNT_CONFIG", `broker account ${account.accountId} has no metaapiAccountId`, { accountId: account.accountId, venue: "metaapi" });
    }
    const token = account.credentials?.metaapiToken ?? settings.token;
    if (!token) {
      throw brokerError("TRD_ERR_ACCOUNT_CONFIG", `no MetaApi token for broker account ${account.accountId}: set METAAPI_TOKEN or the account's metaapiToken`, {
        accountId: account.accountId,
        venue: "metaapi",
      });
    }
    const { MetaapiClient } = await import("./metaapi-client.ts");
    const raw = new MetaapiClient(metaapiAccountId, {
      token,
      ...(settings.region ? { region: settings.region } : {}),
      requestTimeoutMs: settings.requestTimeoutMs,
      connectTimeoutMs: settings.connectTimeoutMs,
      restRetries: settings.restRetries,
      historyLookbackMs: settings.historyLookbackMs,
    });
    return new MetaapiAdapter({
      accountId: account.accountId,
      platform: account.platform,
      raw,
      settings,
      clock: deps.clock,
      ...(deps.timers ? { timers: deps.timers } : {}),
      ...(deps.logger ? { logger: deps.logger.child({ venue: "metaapi", accountId: account.accountId }) } : {}),
    });
  };
  registry.register("MT4", factory);
  registry.register("MT5", factory);
}

/** Account provisioning (create, deploy, undeploy, wait, remove); loads the SDK on demand. Call `close()` when done. */
export async function createMetaapiProvisioning(settings: MetaapiSettings, token = settings.token): Promise<MetaapiProvisioning> {
  if (!token) throw brokerError("TRD_ERR_ACCOUNT_CONFIG", "no MetaApi token: set METAAPI_TOKEN", { venue: "metaapi" });
  const { MetaapiProvisioning } = await import("./metaapi-client.ts");
  return new MetaapiProvisioning({
    token,
    ...(settings.region ? { region: settings.region } : {}),
    requestTimeoutMs: settings.requestTimeoutMs,
    connectTimeoutMs: settings.connectTimeoutMs,
    restRetries: settings.restRetries,
  });
}
