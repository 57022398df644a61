import { invalid, type Logger } from "../../core/index.ts";
import type { PrismaClient } from "../../prisma/index.ts";
import type { AccountCredentials } from "../accounts/index.ts";
import type { BrokerHealth } from "../broker/index.ts";
import type { BrokerSessions } from "./broker-sessions.ts";

/** The slice of MetaApi's provisioning API that deploy, undeploy and test use (`createMetaapiProvisioning`). */
export interface VenueProvisioning {
  deployAccount(metaapiAccountId: string): Promise<void>;
  undeployAccount(metaapiAccountId: string): Promise<void>;
  readAccount(metaapiAccountId: string): Promise<{ state: string; connectionStatus: string }>;
  close(): void;
}

/** Opens a provisioning client with the account's own token, or the service's when it has none. */
export type OpenProvisioning = (token: string | undefined) => Promise<VenueProvisioning>;

/** What deploy, undeploy and test answer. */
export interface ProvisioningStatus {
  accountId: string;
  platform: string;
  status: string;
  /** MetaApi's own account state and broker connection, for MT4/MT5 accounts. */
  venue?: { state: string; connectionStatus: string };
  session: BrokerHealth;
  /** The venue's account figures; money as decimal strings. */
  account?: { balance: string; equity: string; currency: string; leverage: number; tradeAllowed: boolean };
}

/**
 * Deploy, undeploy and connection test. An MT4/MT5 account is deployed and undeployed at MetaApi (which starts
 * or stops its cloud terminal); a paper account has no terminal, so deploy connects its session and undeploy
 * closes it. Test reads the venue's view of the account through a live session.
 */
export class AccountProvisioning {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly sessions: BrokerSessions,
    private readonly credentials: (accountId: string) => Promise<AccountCredentials | null>,
    private readonly open: OpenProvisioning,
    private readonly logger: Logger,
  ) {}

  async deploy(accountId: string): Promise<ProvisioningStatus> {
    const row = await this.#row(accountId);
    if (row.platform === "PAPER") {
      await this.sessions.get(accountId);
      return this.#status(accountId);
    }
    const venue = await this.#withVenue(accountId, row.metaapiAccountId, async (p, id) => {
      await p.deployAccount(id);
      return p.readAccount(id);
    });
    await this.prisma.brokerAccount.update({ where: { id: accountId }, data: { status: venue.state === "DEPLOYED" ? "DEPLOYED" : "DEPLOYING" } });
    return { ...(await this.#status(accountId)), venue };
  }

  async undeploy(accountId: string): Promise<ProvisioningStatus> {
    const row = await this.#row(accountId);
    await this.sessions.close(accountId);
    if (row.platform === "PAPER") {
      await this.prisma.brokerAccount.update({ where: { id: accountId }, data: { status: "UNDEPLOYED" } });
      return this.#status(accountId);
    }
    const venue = await this.#withVenue(accountId, row.metaapiAccountId, async (p, id) => {
      await p.undeployAccount(id);
      return p.readAccount(id);
    });
    await this.prisma.brokerAccount.update({ where: { id: accountId }, data: { status: "UNDEPLOYED" } });
    return { ...(await this.#status(accountId)), venue };
  }

  /** Connects (if needed) and reads the account from the venue; a failure is reported in the answer, not thrown. */
  async test(accountId: string): Promise<ProvisioningStatus & { ok: boolean; error?: string }> {
    const row = await this.#row(accountId);
    let venue: ProvisioningStatus["venue"];
    try {
      if (row.platform !== "PAPER") venue = await this.#withVenue(accountId, row.metaapiAccountId, (p, id) => p.readAccount(id));
      const session = await this.sessions.get(accountId);
      const info = await session.port.fetchAccountInfo();
      const account = { balance: info.balance.toString(), equity: info.equity.toString(), currency: info.currency, leverage: info.leverage, tradeAllowed: info.tradeAllowed };
      return { ...(await this.#status(accountId)), ...(venue ? { venue } : {}), account, ok: true };
    } catch (err) {
      this.logger.warn({ err, accountId }, "connection test failed");
      return { ...(await this.#status(accountId)), ...(venue ? { venue } : {}), ok: false, error: (err as Error).message };
    }
  }

  async #withVenue<T>(accountId: string, metaapiAccountId: string | null, work: (p: VenueProvisioning, id: string) => Promise<T>): Promise<T> {
    if (!metaapiAccountId) throw invalid("metaapiAccountId", "the account has no MetaApi account id; create it at MetaApi first");
    const p = await this.open((await this.credentials(accountId))?.metaapiToken);
    try {
      return await work(p, metaapiAccountId);
    } finally {
      p.close();
    }
  }

  async #row(accountId: string) {
    return this.prisma.brokerAccount.findUniqueOrThrow({ where: { id: accountId }, select: { platform: true, metaapiAccountId: true } });
  }

  async #status(accountId: string): Promise<ProvisioningStatus> {
    const row = await this.prisma.brokerAccount.findUniqueOrThrow({ where: { id: accountId }, select: { platform: true, status: true } });
    return { accountId, platform: row.platform, status: row.status, session: this.sessions.health(accountId) };
  }
}
