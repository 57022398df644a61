import type { Clock, Logger } from "../../core/index.ts";
import { brokerError } from "./broker-errors.ts";
import type { BrokerPort } from "./broker-port.ts";
import type { Timers } from "./timers.ts";

/** Account platforms an adapter can be registered for (as trading/accounts stores them). */
export type BrokerPlatform = "MT4" | "MT5" | "PAPER";

/** What a factory needs to build the adapter of one broker account (shaped like trading/accounts' rows). */
export interface BrokerAccountConfig {
  /** Riskloop's broker account id. */
  accountId: string;
  platform: BrokerPlatform;
  metaapiAccountId?: string | null;
  server?: string | null;
  login?: string | null;
  currency?: string;
  leverage?: number;
  /** Secrets opened from the vault; adapters never log them. */
  credentials?: { password?: string; investorPassword?: string; metaapiToken?: string };
  /** Venue-specific settings (for example the paper venue's initial balance and tick source). */
  settings?: Readonly<Record<string, unknown>>;
}

/** Shared services handed to every factory. */
export interface BrokerDeps {
  clock: Clock;
  logger?: Logger;
  timers?: Timers;
}

/** Builds the adapter of one account; may load the venue's SDK lazily. */
export type BrokerFactory = (account: BrokerAccountConfig, deps: BrokerDeps) => BrokerPort | Promise<BrokerPort>;

/**
 * Picks and builds the adapter for an account from its platform. Venues register their factory here
 * (`registerMetaapiBroker(registry, settings)`, the paper venue likewise); the composition root owns the instance.
 */
export class BrokerRegistry {
  readonly #factories = new Map<BrokerPlatform, BrokerFactory>();

  /** Registers a factory; registering a platform twice is a wiring mistake unless `replace` is set. */
  register(platform: BrokerPlatform, factory: BrokerFactory, options: { replace?: boolean } = {}): void {
    if (this.#factories.has(platform) && !options.replace) throw new Error(`a broker factory for ${platform} is already registered`);
    this.#factories.set(platform, factory);
  }

  has(platform: BrokerPlatform): boolean {
    return this.#factories.has(platform);
  }

  platforms(): BrokerPlatform[] {
    return [...this.#factories.keys()];
  }

  async create(account: BrokerAccountConfig, deps: BrokerDeps): Promise<BrokerPort> {
    const factory = this.#factories.get(account.platform);
    if (!factory) {
      throw brokerError("TRD_ERR_UNSUPPORTED_PLATFORM", `no broker adapter registered for platform ${account.platform}`, {
        accountId: account.accountId,
        platform: account.platform,
        registered: this.platforms(),
      });
    }
    return factory(account, deps);
  }
}
