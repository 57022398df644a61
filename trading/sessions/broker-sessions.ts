import { notFound, type Clock, type Logger, type SymbolSpec } from "../../core/index.ts";
import type { MarketDataReader } from "../../analysis/market-data/index.ts";
import type { Prisma, PrismaClient } from "../../prisma/index.ts";
import type { AccountCredentials } from "../accounts/index.ts";
import type { BrokerAccountConfig, BrokerHealth, BrokerRegistry, Timers } from "../broker/index.ts";
import { BrokerSession } from "./broker-session.ts";
import { defaultPaperSettings, type StoredPaperSettings } from "./paper-defaults.ts";
import { PaperMarkets } from "./paper-market.ts";

export interface BrokerSessionsOptions {
  prisma: PrismaClient;
  registry: BrokerRegistry;
  /** The account's secrets from the vault (`AccountService.credentials`). */
  credentials(accountId: string): Promise<AccountCredentials | null>;
  clock: Clock;
  logger: Logger;
  timers?: Timers;
  paper: {
    reader: MarketDataReader;
    instruments(): Promise<readonly SymbolSpec[]>;
    /** Recorded-speed multiplier a connected paper account replays at; 0 leaves it to be driven by hand. */
    replaySpeed: number;
  };
  /** Called with each new session before it connects, so event listeners and reconciliation see the first snapshot. */
  attach(session: BrokerSession): void;
}

/**
 * One connected broker port per account, created on demand through the broker registry: a PAPER account
 * resumes its venue from `paperSettings.state` (or starts one over the recorded data), an MT4/MT5 account
 * connects through MetaApi with its vault credentials. Paper state is written back after every change.
 */
export class BrokerSessions {
  readonly #o: BrokerSessionsOptions;
  readonly #sessions = new Map<string, Promise<BrokerSession>>();
  readonly #open = new Map<string, BrokerSession>();
  /** Each paper account's replay settings as stored, without the state snapshot that `persist` adds. */
  readonly #paperSettings = new Map<string, StoredPaperSettings>();
  /** Closes under way: a new session of the account waits for them, so two venues never share one stored state. */
  readonly #closing = new Map<string, Promise<void>>();
  /** Paper state writes queued and not yet started, per session. */
  readonly #persisting = new WeakMap<BrokerSession, Promise<void>>();

  /** The market clocks of the paper venues playing here (see `PaperMarkets`). */
  readonly #markets: PaperMarkets;

  constructor(options: BrokerSessionsOptions) {
    this.#o = options;
    const venues = () => [...this.#open.values()].flatMap((s) => (s.paper ? [s.paper] : []));
    this.#markets = new PaperMarkets(options.prisma, options.clock, options.paper.replaySpeed, venues, options.logger);
  }

  /** The account's session, connecting it first if needed; concurrent callers share one connection attempt. */
  get(accountId: string): Promise<BrokerSession> {
    let session = this.#sessions.get(accountId);
    if (!session) {
      session = (this.#closing.get(accountId) ?? Promise.resolve()).then(() => this.#create(accountId));
      this.#sessions.set(accountId, session);
      session.then(
        (s) => this.#open.set(accountId, s),
        () => this.#sessions.delete(accountId),
      );
    }
    return session;
  }

  /** The session if one is open, without connecting. */
  peek(accountId: string): BrokerSession | undefined {
    return this.#open.get(accountId);
  }

  /** The accounts whose session is open in this process. */
  openAccountIds(): string[] {
    return [...this.#open.keys()];
  }

  /** Link health of the account's session; "disconnected" when none is open. */
  health(accountId: string): BrokerHealth {
    return this.#open.get(accountId)?.port.health() ?? { state: "disconnected", since: 0, reconnectAttempts: 0 };
  }

  /**
   * Writes a paper venue's state to `paperSettings.state`, in the account's queue so snapshots land in order.
   * A write already queued and not yet started takes the state as it is when it runs, so callers arriving
   * meanwhile share it instead of queueing one identical write each.
   */
  persist(session: BrokerSession): Promise<void> {
    const venue = session.paper;
    if (!venue) return Promise.resolve();
    const queued = this.#persisting.get(session);
    if (queued) return queued;
    const run = session.serial(async () => {
      this.#persisting.delete(session);
      const settings = this.#paperSettings.get(session.accountId) ?? {};
      const stored = { ...settings, state: venue.toJSON() };
      await this.#o.prisma.brokerAccount.updateMany({ where: { id: session.accountId }, data: { paperSettings: stored as unknown as Prisma.InputJsonValue } });
    });
    this.#persisting.set(session, run);
    return run;
  }

  /** Disconnects the account's session (its paper state saved first). */
  close(accountId: string): Promise<void> {
    const run = this.#close(accountId);
    this.#closing.set(accountId, run);
    const done = () => {
      if (this.#closing.get(accountId) === run) this.#closing.delete(accountId);
    };
    run.then(done, done);
    return run;
  }

  async #close(accountId: string): Promise<void> {
    const pending = this.#sessions.get(accountId);
    this.#sessions.delete(accountId);
    this.#open.delete(accountId);
    const session = await pending?.catch(() => undefined);
    if (!session) return;
    session.paper?.pause();
    session.stop();
    await session.idle();
    await this.persist(session);
    this.#paperSettings.delete(accountId);
    await session.port.disconnect();
  }

  async closeAll(): Promise<void> {
    this.#markets.stop();
    await Promise.all([...this.#sessions.keys()].map((id) => this.close(id)));
  }

  async #create(accountId: string): Promise<BrokerSession> {
    const { prisma, clock, logger } = this.#o;
    const row = await prisma.brokerAccount.findUnique({ where: { id: accountId } });
    if (!row) throw notFound("account", accountId);
    let settings = (row.paperSettings ?? undefined) as StoredPaperSettings | undefined;
    const fresh = row.platform === "PAPER" && settings?.state === undefined;
    if (fresh && (settings?.from === undefined || settings.to === undefined)) {
      settings = { ...(await defaultPaperSettings(this.#o.paper.reader, await this.#o.paper.instruments(), row.balance.toString(), settings?.symbols)), ...settings };
    }
    if (row.platform === "PAPER") {
      const { state: _state, ...replay } = settings ?? {};
      this.#paperSettings.set(accountId, replay);
    }
    const credentials = row.platform === "PAPER" ? null : await this.#o.credentials(accountId);
    const config: BrokerAccountConfig = {
      accountId,
      platform: row.platform,
      metaapiAccountId: row.metaapiAccountId,
      server: row.server,
      login: row.login,
      currency: row.currency,
      leverage: row.leverage,
      ...(credentials ? { credentials } : {}),
      ...(settings ? { settings } : {}),
    };
    const port = await this.#o.registry.create(config, { clock, logger, ...(this.#o.timers ? { timers: this.#o.timers } : {}) });
    const money = { balance: row.balance.toString(), equity: row.equity.toString(), freeMargin: row.freeMargin.toString(), hedging: row.hedging, at: 0 };
    const session = new BrokerSession({ accountId, userId: row.userId, platform: row.platform, currency: row.currency, money }, port, clock, logger.child({ accountId }));
    this.#o.attach(session);
    try {
      await port.connect();
      const venue = session.paper;
      if (venue) {
        // A new venue has replayed nothing yet: move it onto its first recorded quote so it can quote and fill.
        if (fresh && !venue.ended) await venue.step();
        if (this.#o.paper.replaySpeed > 0) {
          await this.#markets.join(venue);
          venue.play({ speed: this.#o.paper.replaySpeed });
        }
        await this.persist(session);
      }
    } catch (err) {
      session.stop();
      await port.disconnect().catch(() => undefined);
      throw err;
    }
    return session;
  }
}
