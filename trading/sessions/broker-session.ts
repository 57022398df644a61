import type { Clock, Logger, SymbolSpec } from "../../core/index.ts";
import type { AccountInfo, BrokerPlatform, BrokerPort } from "../broker/index.ts";
import { PaperVenue } from "../paper/index.ts";

/** Who an account belongs to and how it trades; read once when its session opens. */
export interface SessionAccount {
  accountId: string;
  userId: string;
  platform: BrokerPlatform;
  currency: string;
  /** The money stored on the account when its session opens (see `BrokerSession.money`). */
  money?: SessionMoney;
}

/** An account's money as text (as SRM reads it) and its hedging mode (null while its broker has not said). */
export interface SessionMoney {
  balance: string;
  equity: string;
  freeMargin: string;
  hedging: boolean | null;
  /** When the venue reported it (epoch ms); 0 for the stored row the session opened with. */
  at: number;
}

/**
 * One account's connected broker port plus the bookkeeping around it: a serial queue so database work for
 * the account (broker events, fills, reconciliation) applies in arrival order, the client order ids being
 * sent right now, and a cache of symbol specifications.
 */
export class BrokerSession {
  readonly accountId: string;
  readonly userId: string;
  readonly platform: BrokerPlatform;
  readonly currency: string;
  readonly port: BrokerPort;
  /** Client order ids with a request at the venue right now; reconciliation leaves their logs alone. */
  readonly inflight = new Set<string>();
  /**
   * The account's money: its stored row when the session opened, then what its venue reports, as it arrives
   * (before the row is written), so what the session holds is never older than the row this process writes.
   */
  money: SessionMoney | undefined;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #specs = new Map<string, SymbolSpec>();
  readonly #detached = new Set<Promise<unknown>>();
  #queue: Promise<unknown> = Promise.resolve();
  #stops: Array<() => void> = [];

  constructor(account: SessionAccount, port: BrokerPort, clock: Clock, logger: Logger) {
    this.accountId = account.accountId;
    this.userId = account.userId;
    this.platform = account.platform;
    this.currency = account.currency;
    this.money = account.money;
    this.port = port;
    this.#clock = clock;
    this.#logger = logger;
  }

  /** The paper venue behind this session, when it is one. */
  get paper(): PaperVenue | undefined {
    return this.port instanceof PaperVenue ? this.port : undefined;
  }

  /** Where executions of this account come from in the execution log. */
  get origin(): "PAPER" | "LIVE" {
    return this.platform === "PAPER" ? "PAPER" : "LIVE";
  }

  /** The venue's now: recorded time on a paper account, the service clock elsewhere. */
  now(): number {
    return this.paper?.now ?? this.#clock.now();
  }

  /** Takes the venue's report of the account's money, unless a later one was taken already. */
  noteAccount(info: AccountInfo): void {
    if (this.money && info.receivedAt < this.money.at) return;
    this.money = { balance: info.balance.toString(), equity: info.equity.toString(), freeMargin: info.freeMargin.toString(), hedging: info.hedging, at: info.receivedAt };
  }

  /** The symbol's specification, read from the venue once per session. */
  async spec(symbol: string): Promise<SymbolSpec> {
    let spec = this.#specs.get(symbol);
    if (!spec) {
      spec = await this.port.fetchSymbolSpec(symbol);
      this.#specs.set(symbol, spec);
    }
    return spec;
  }

  /** Runs `work` after every earlier job of this account; a failure is logged and does not stop the queue. */
  serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work);
    this.#queue = run.catch((err: unknown) => this.#logger.error({ err, accountId: this.accountId }, "account bookkeeping failed"));
    return run;
  }

  /** Queues `work` without waiting for it (broker event handlers); its failure is logged by the queue. */
  enqueue(work: () => Promise<unknown>): void {
    this.serial(work).catch(() => undefined);
  }

  /**
   * Starts work that must not hold the queue (an emergency stop closes positions, whose fills queue behind it)
   * and keeps track of it so `idle()` waits for it too.
   */
  detach(work: () => Promise<unknown>): void {
    const run = work().catch((err: unknown) => this.#logger.error({ err, accountId: this.accountId }, "account follow-up failed"));
    this.#detached.add(run);
    void run.finally(() => this.#detached.delete(run));
  }

  /** Resolves once the queue and every detached follow-up are done, including work they started. */
  async idle(): Promise<void> {
    for (;;) {
      const queue = this.#queue;
      await Promise.all([queue, ...this.#detached]);
      if (queue === this.#queue && this.#detached.size === 0) return;
    }
  }

  /** Registers cleanup (event listeners, timers) run by `stop()`. */
  onStop(stop: () => void): void {
    this.#stops.push(stop);
  }

  stop(): void {
    for (const stop of this.#stops) stop();
    this.#stops = [];
  }
}
