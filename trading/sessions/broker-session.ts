import type { Clock, Logger, SymbolSpec } from "../../core/index.ts";
import type { BrokerPlatform, BrokerPort } from "../broker/index.ts";
import { PaperVenue } from "../paper/index.ts";

/** Who an account belongs to and how it trades; read once when its session opens. */
export interface SessionAccount {
  accountId: string;
  userId: string;
  platform: BrokerPlatform;
  currency: string;
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
