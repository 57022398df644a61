import {
  CoreErrors,
  RiskloopError,
  dec,
  newId,
  notFound,
  ownedBy,
  type Actor,
  type Plan,
  type Vault,
} from "../../core/index.ts";
import type { PrismaClient } from "../../prisma/index.ts";
import type { AuditLog } from "../../prisma/index.ts";

export type Platform = "MT4" | "MT5" | "PAPER";
export type AccountRole = "MASTER" | "SLAVE" | "STANDALONE";

/** Secrets a venue needs; sealed together in the vault, never returned. */
export interface AccountCredentials {
  password?: string;
  investorPassword?: string;
  metaapiToken?: string;
}

export interface CreateAccountInput {
  name: string;
  platform: Platform;
  role?: AccountRole;
  broker?: string;
  server?: string;
  login?: string;
  currency?: string;
  leverage?: number;
  initialBalance?: string;
  /** A paper account only: false makes it a netting account (one position per symbol, as MT5 netting). */
  hedging?: boolean;
  credentials?: AccountCredentials;
}

export type UpdateAccountInput = Partial<Pick<CreateAccountInput, "name" | "role" | "server" | "login" | "leverage" | "credentials">>;

/** What the API shows of an account: everything but its secrets. */
export interface AccountView {
  id: string;
  userId: string;
  name: string;
  platform: Platform;
  role: AccountRole;
  broker: string | null;
  server: string | null;
  login: string | null;
  status: string;
  riskState: string;
  currency: string;
  leverage: number;
  /** False for a netting account; null until an MT5 account's broker reported its mode. */
  hedging: boolean | null;
  balance: string;
  equity: string;
  hasCredentials: boolean;
  metaapiAccountId: string | null;
  createdAt: string;
}

/** Broker accounts a plan may hold. */
export const ACCOUNT_LIMIT: Readonly<Record<Plan, number>> = { FREE: 2, PRO: 10, ENTERPRISE: 200 };

export const credentialsContext = (accountId: string) => `broker_account:${accountId}:credentials`;

/** Broker accounts, owned by users; credentials go through the vault in the same write. */
export class AccountService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly vault: Vault,
    private readonly audit: AuditLog,
  ) {}

  async create(actor: Actor, input: CreateAccountInput, ip?: string): Promise<AccountView> {
    const id = newId();
    const sealed = input.credentials ? this.vault.seal(JSON.stringify(input.credentials), credentialsContext(id)) : null;
    const balance = dec(input.initialBalance ?? "0");
    if (balance.isNegative()) throw new RiskloopError(CoreErrors.CORE_ERR_INVALID, "initialBalance: must not be negative", { field: "initialBalance" });
    if (input.hedging !== undefined && input.platform !== "PAPER") {
      throw new RiskloopError(CoreErrors.CORE_ERR_INVALID, "hedging: a MetaTrader account's broker sets it; only a PAPER account takes it", { field: "hedging" });
    }
    const row = await this.prisma.$transaction(async (tx) => {
      const count = await tx.brokerAccount.count({ where: { userId: actor.id } });
      if (count >= ACCOUNT_LIMIT[actor.plan]) {
        throw new RiskloopError(CoreErrors.CORE_ERR_FORBIDDEN, `plan ${actor.plan} allows ${ACCOUNT_LIMIT[actor.plan]} broker accounts`, {
          limit: ACCOUNT_LIMIT[actor.plan],
        });
      }
      const created = await tx.brokerAccount.create({
        data: {
          id,
          userId: actor.id,
          name: input.name,
          platform: input.platform,
          role: input.role ?? "STANDALONE",
          broker: input.broker ?? (input.platform === "PAPER" ? "Riskloop paper" : null),
          server: input.server ?? null,
          login: input.login ?? null,
          currency: input.currency ?? "USD",
          leverage: input.leverage ?? 100,
          // MT4 always hedges; an MT5 account's mode comes from its broker once connected.
          hedging: input.platform === "PAPER" ? (input.hedging ?? true) : input.platform === "MT4" ? true : null,
          balance: balance.toString(),
          equity: balance.toString(),
          dayStartBalance: balance.toString(),
          equityHighWaterMark: balance.toString(),
          credentials: sealed,
          credentialsKeyId: sealed ? this.vault.activeKeyId : null,
          // The paper venue's own settings; the replay range and symbols are filled in when it first starts.
          ...(input.hedging === undefined ? {} : { paperSettings: { hedging: input.hedging } }),
        },
      });
      await this.audit.record({ actorUserId: actor.id, action: "account.create", entityType: "broker_account", entityId: id, after: redacted(created), ip }, tx);
      return created;
    });
    return toView(row);
  }

  async list(actor: Actor): Promise<AccountView[]> {
    const rows = await this.prisma.brokerAccount.findMany({ where: ownedBy(actor), orderBy: { createdAt: "asc" } });
    return rows.map(toView);
  }

  async get(actor: Actor, id: string): Promise<AccountView> {
    return toView(await this.#owned(actor, id));
  }

  async update(actor: Actor, id: string, input: UpdateAccountInput, ip?: string): Promise<AccountView> {
    const before = await this.#owned(actor, id);
    const sealed = input.credentials ? this.vault.seal(JSON.stringify(input.credentials), credentialsContext(id)) : undefined;
    const row = await this.prisma.$transaction(async (tx) => {
      const updated = await tx.brokerAccount.update({
        where: { id },
        data: {
          name: input.name,
          role: input.role,
          server: input.server,
          login: input.login,
          leverage: input.leverage,
          ...(sealed ? { credentials: sealed, credentialsKeyId: this.vault.activeKeyId } : {}),
        },
      });
      await this.audit.record(
        { actorUserId: actor.id, action: "account.update", entityType: "broker_account", entityId: id, before: redacted(before), after: redacted(updated), ip },
        tx,
      );
      return updated;
    });
    return toView(row);
  }

  async remove(actor: Actor, id: string, ip?: string): Promise<void> {
    const before = await this.#owned(actor, id);
    await this.prisma.$transaction(async (tx) => {
      await tx.brokerAccount.delete({ where: { id } });
      await this.audit.record({ actorUserId: actor.id, action: "account.delete", entityType: "broker_account", entityId: id, before: redacted(before), ip }, tx);
    });
  }

  /** Decrypted credentials for the trading side; never for API responses. */
  async credentials(accountId: string): Promise<AccountCredentials | null> {
    const row = await this.prisma.brokerAccount.findUnique({ where: { id: accountId }, select: { credentials: true } });
    if (!row?.credentials) return null;
    return JSON.parse(this.vault.open(row.credentials, credentialsContext(accountId))) as AccountCredentials;
  }

  /** Another user's account answers exactly like a missing one (404), so ids leak nothing. */
  async #owned(actor: Actor, id: string) {
    const row = await this.prisma.brokerAccount.findFirst({ where: { id, ...ownedBy(actor) } });
    if (!row) throw notFound("account", id);
    return row;
  }
}

type Row = Awaited<ReturnType<PrismaClient["brokerAccount"]["findFirstOrThrow"]>>;

function redacted(row: Row): Omit<Row, "credentials"> & { credentials: string | null } {
  return { ...row, credentials: row.credentials ? "[sealed]" : null };
}

function toView(r: Row): AccountView {
  return {
    id: r.id,
    userId: r.userId,
    name: r.name,
    platform: r.platform as Platform,
    role: r.role as AccountRole,
    broker: r.broker,
    server: r.server,
    login: r.login,
    status: r.status,
    riskState: r.riskState,
    currency: r.currency,
    leverage: r.leverage,
    hedging: r.hedging,
    balance: r.balance.toString(),
    equity: r.equity.toString(),
    hasCredentials: r.credentials !== null,
    metaapiAccountId: r.metaapiAccountId,
    createdAt: r.createdAt.toISOString(),
  };
}
