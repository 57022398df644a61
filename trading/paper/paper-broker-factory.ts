import { RiskloopError, type SymbolSpec } from "../../core/index.ts";
import type { MarketDataReader } from "../../analysis/market-data/index.ts";
import { brokerError, type BrokerFactory, type BrokerRegistry } from "../broker/index.ts";
import type { PaperSettingsInput } from "./paper-settings.ts";
import { PaperVenue, type PaperVenueDeps } from "./paper-venue.ts";
import { PAPER_DEFAULTS, type PaperConfig } from "./paper.config.ts";

/** What every paper account shares; the database stays outside the venue. */
export interface PaperBrokerDeps {
  reader: MarketDataReader;
  /** Symbol specifications (the Instrument table), or a loader called whenever an account's venue is built. */
  instruments: readonly SymbolSpec[] | (() => Promise<readonly SymbolSpec[]>);
  config?: PaperConfig;
}

/**
 * Registers the paper venue for platform PAPER. An account's `settings` (its `paperSettings` column) hold the
 * replay settings (`PaperSettingsInput` without accountId, currency and leverage, which come from the account)
 * and, once execution has persisted one, `state`: the venue's `toJSON()` snapshot, which is resumed instead.
 */
export function registerPaperBroker(registry: BrokerRegistry, deps: PaperBrokerDeps): void {
  const factory: BrokerFactory = async (account, shared) => {
    const fail = (message: string, cause?: unknown) =>
      brokerError("TRD_ERR_ACCOUNT_CONFIG", `paper account ${account.accountId}: ${message}`, { accountId: account.accountId, venue: "paper" }, cause);
    if (account.platform !== "PAPER") {
      throw brokerError("TRD_ERR_UNSUPPORTED_PLATFORM", `the paper venue serves PAPER accounts, not ${account.platform}`, { accountId: account.accountId });
    }
    const instruments = typeof deps.instruments === "function" ? await deps.instruments() : deps.instruments;
    const services: PaperVenueDeps = {
      reader: deps.reader,
      instruments,
      clock: shared.clock,
      ...(shared.timers ? { timers: shared.timers } : {}),
      ...(shared.logger ? { logger: shared.logger.child({ venue: "paper", accountId: account.accountId }) } : {}),
    };
    const { state, ...settings } = (account.settings ?? {}) as Partial<PaperSettingsInput> & { state?: unknown };
    try {
      if (state !== undefined) {
        const venue = PaperVenue.fromJSON(state, services);
        if (venue.accountId !== account.accountId) throw fail(`the stored paper state belongs to account ${venue.accountId}`);
        return venue;
      }
      const config = deps.config ?? PAPER_DEFAULTS;
      return new PaperVenue({
        initialBalance: config.initialBalance,
        latency: { kind: "fixed", ms: config.latencyMs },
        commissionPerLot: config.commissionPerLot,
        stopOutLevel: config.stopOutLevel,
        marketClosedAfterMs: config.marketClosedAfterMs,
        ...settings,
        from: settings.from!,
        to: settings.to!,
        accountId: account.accountId,
        ...(account.currency ? { currency: account.currency } : {}),
        ...(account.leverage ? { leverage: account.leverage } : {}),
        ...services,
      });
    } catch (err) {
      if (err instanceof RiskloopError && err.kind === "invalid") throw fail(err.message, err);
      throw err;
    }
  };
  registry.register("PAPER", factory);
}
