import type { Logger } from "../../core/index.ts";
import type { BrokerHealth, BrokerOrder, BrokerPosition, ConnectionState, LinkUp, ReconnectHandler, ReconnectSnapshot } from "../broker/index.ts";

export interface LinkOptions {
  accountId: string;
  now: number;
  onHealth(health: BrokerHealth, previous: ConnectionState): void;
  /** The account's open positions and working orders, for the reconnect snapshot. */
  state(): { positions: BrokerPosition[]; orders: BrokerOrder[] };
  logger?: Logger;
}

/**
 * The paper venue's connection, on venue time. It has nothing to fail by itself, so it only moves when told:
 * `connect`/`disconnect` from the port, and `drop`/`up` from the venue's connection-fault simulation. Each time
 * it comes up, the `onReconnected` handlers get the state of that moment.
 */
export class PaperLink {
  readonly #o: LinkOptions;
  readonly #handlers = new Set<ReconnectHandler>();
  readonly #runs = new Set<Promise<void>>();
  #health: BrokerHealth;
  #everUp = false;
  #lostAt: number | undefined;
  #reconnectAt: number | undefined;

  constructor(o: LinkOptions) {
    this.#o = o;
    this.#health = { state: "disconnected", since: o.now, reconnectAttempts: 0 };
  }

  onReconnected(handler: ReconnectHandler): () => void {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }

  /** Resolves when every handler run started so far has finished. */
  async handlersDone(): Promise<void> {
    await Promise.all([...this.#runs]);
  }

  get state(): ConnectionState {
    return this.#health.state;
  }

  /** When a simulated drop heals by itself (venue time), if one is under way. */
  get reconnectAt(): number | undefined {
    return this.#reconnectAt;
  }

  health(): BrokerHealth {
    return { ...this.#health };
  }

  /** A connect attempt begins. */
  connecting(now: number): void {
    this.#set("connecting", now, {});
  }

  /** The link is up; resolves when the reconnect handlers have seen the snapshot of this moment. */
  up(now: number): Promise<void> {
    this.#set("synchronizing", now, {});
    const up: LinkUp = {
      reason: this.#everUp ? "reconnect" : "initial",
      attempts: this.#health.reconnectAttempts,
      upAt: now,
      ...(this.#lostAt === undefined ? {} : { lostAt: this.#lostAt }),
    };
    this.#everUp = true;
    this.#lostAt = undefined;
    this.#reconnectAt = undefined;
    this.#set("connected", now, { reconnectAttempts: 0, nextAttemptAt: undefined });
    return this.#announce(up);
  }

  close(now: number): void {
    this.#lostAt = undefined;
    this.#reconnectAt = undefined;
    this.#set("disconnected", now, { reconnectAttempts: 0, nextAttemptAt: undefined });
  }

  /** The link drops at `now`; it heals at `reconnectAt` (venue time) unless that is undefined. */
  drop(now: number, reconnectAt: number | undefined, failedAttempts: number): void {
    this.#lostAt = now;
    this.#reconnectAt = reconnectAt;
    this.#set("connecting", now, {
      lastError: { code: "TRD_ERR_NOT_CONNECTED", message: "simulated connection drop", at: now },
      reconnectAttempts: failedAttempts,
      nextAttemptAt: reconnectAt,
    });
  }

  #announce(up: LinkUp): Promise<void> {
    const snapshot: ReconnectSnapshot = {
      accountId: this.#o.accountId,
      reason: up.reason,
      ...(up.lostAt === undefined ? {} : { lostAt: up.lostAt }),
      reconnectedAt: up.upAt,
      attempts: up.attempts,
      ...this.#o.state(),
      snapshotMs: 0,
    };
    const run = (async () => {
      for (const handler of [...this.#handlers]) {
        try {
          await handler(snapshot);
        } catch (err) {
          this.#o.logger?.error({ err, accountId: this.#o.accountId }, "onReconnected handler failed");
        }
      }
    })();
    this.#runs.add(run);
    void run.then(() => this.#runs.delete(run));
    return run;
  }

  #set(state: ConnectionState, now: number, patch: Partial<BrokerHealth>): void {
    const previous = this.#health.state;
    const next: BrokerHealth = { ...this.#health, ...patch, state, since: state === previous ? this.#health.since : now };
    if (next.nextAttemptAt === undefined) delete next.nextAttemptAt;
    this.#health = next;
    this.#o.onHealth(this.health(), previous);
  }
}
