import type { Clock, RiskloopError } from "../../core/index.ts";
import { backoffDelay, type BackoffPolicy } from "./backoff.ts";
import { brokerErrorKind, isBrokerError, type BrokerErrorCode } from "./broker-errors.ts";
import type { BrokerHealth, ConnectionState } from "./broker-types.ts";
import type { Timers } from "./timers.ts";

/** What the supervisor tells its adapter when the link is (again) up. */
export interface LinkUp {
  reason: "initial" | "reconnect";
  lostAt?: number;
  attempts: number;
  upAt: number;
}

/** How a supervisor opens, closes and classifies one venue link, and whom it tells. */
export interface SupervisorOptions {
  clock: Clock;
  timers: Timers;
  random?: () => number;
  backoff: BackoffPolicy;
  /** Consecutive failed attempts before giving up in state "failed"; 0 retries forever. */
  maxAttempts: number;
  /** How long the venue's SDK may take to restore a dropped link by itself before we rebuild it. */
  graceMs: number;
  /** Opens the link and waits for synchronisation; applies its own timeouts and throws on failure. */
  open(): Promise<void>;
  /** Tears the link down; never throws. */
  close(): Promise<void>;
  /** Turns any failure into the error `start()` rejects with; a `fatal` broker code ends retrying. */
  classify(err: unknown): RiskloopError;
  onHealth(health: BrokerHealth, previous: ConnectionState): void;
  onUp(up: LinkUp): void;
}

/**
 * Keeps one venue link up: runs connect attempts with exponential backoff, gives the SDK a grace period to
 * heal a dropped link on its own, and keeps a health record any caller can query. Venue-neutral: adapters
 * feed it link signals (`linkLost`, `linkSynchronizing`, `linkRestored`, `brokerLink`).
 */
export class ConnectionSupervisor {
  readonly #o: SupervisorOptions;
  #health: BrokerHealth;
  #wanted = false;
  #attempting = false;
  #generation = 0;
  #everUp = false;
  #lostAt: number | undefined;
  #retryTimer: unknown;
  #graceTimer: unknown;
  #brokerDown = false;

  constructor(options: SupervisorOptions) {
    this.#o = options;
    this.#health = { state: "disconnected", since: options.clock.now(), reconnectAttempts: 0 };
  }

  health(): BrokerHealth {
    return { ...this.#health };
  }

  get state(): ConnectionState {
    return this.#health.state;
  }

  /** First attempt; rejects with its error, but unless the error is fatal retries continue in the background. */
  start(): Promise<void> {
    if (this.#wanted && this.#health.state === "connected") return Promise.resolve();
    this.#wanted = true;
    this.#generation++;
    this.#clearTimers();
    this.#health.reconnectAttempts = 0;
    return this.#attempt(this.#generation);
  }

  async stop(): Promise<void> {
    this.#wanted = false;
    this.#generation++;
    this.#clearTimers();
    this.#lostAt = undefined;
    await this.#o.close();
    this.#set("disconnected", { reconnectAttempts: 0, nextAttemptAt: undefined });
  }

  /** The venue reports the link dropped; the SDK is expected to restore it within the grace period. */
  linkLost(message: string): void {
    if (!this.#wanted || this.#attempting || this.#health.state === "disconnected" || this.#health.state === "failed") return;
    this.#lostAt ??= this.#o.clock.now();
    this.#set("connecting", { lastError: this.#error("TRD_ERR_NOT_CONNECTED", message) });
    if (this.#graceTimer !== undefined) return;
    const generation = this.#generation;
    this.#graceTimer = this.#o.timers.setTimeout(() => {
      this.#graceTimer = undefined;
      if (generation === this.#generation && this.#health.state !== "connected") void this.#retry(generation);
    }, this.#o.graceMs);
  }

  /** The venue link is open and synchronising account state (during an attempt, or healing by itself). */
  linkSynchronizing(): void {
    if (this.#wanted && this.#health.state === "connecting") this.#set("synchronizing");
  }

  /** The venue finished re-synchronising after a drop it healed by itself. */
  linkRestored(): void {
    const s = this.#health.state;
    if (this.#wanted && !this.#attempting && this.#lostAt !== undefined && (s === "connecting" || s === "synchronizing")) this.#up();
  }

  /** The venue's terminal lost (false) or regained (true) its broker server; trading waits meanwhile. */
  brokerLink(connected: boolean, message = "terminal disconnected from the broker server"): void {
    if (!connected && this.#health.state === "connected") {
      this.#brokerDown = true;
      this.#set("connecting", { lastError: this.#error("TRD_ERR_NOT_CONNECTED", message) });
    } else if (connected && this.#brokerDown && this.#health.state === "connecting" && this.#lostAt === undefined) {
      this.#brokerDown = false;
      this.#set("connected");
    }
  }

  async #attempt(generation: number): Promise<void> {
    this.#set("connecting", { nextAttemptAt: undefined });
    this.#attempting = true;
    try {
      await this.#o.open();
    } catch (err) {
      this.#attempting = false;
      const error = this.#o.classify(err);
      if (generation === this.#generation) this.#failed(error, generation);
      throw error;
    }
    this.#attempting = false;
    if (generation !== this.#generation) {
      await this.#o.close();
      return;
    }
    this.#up();
  }

  async #retry(generation: number): Promise<void> {
    await this.#o.close();
    if (generation !== this.#generation) return;
    // Background attempts report through health; nobody awaits them.
    await this.#attempt(generation).catch(() => {});
  }

  #failed(error: RiskloopError, generation: number): void {
    const attempts = this.#health.reconnectAttempts + 1;
    const code: BrokerErrorCode = isBrokerError(error) ? error.code : "TRD_ERR_NOT_CONNECTED";
    const lastError = this.#error(code, error.message);
    const max = this.#o.maxAttempts;
    if (brokerErrorKind(code) === "fatal" || error.kind === "fatal" || (max > 0 && attempts >= max)) {
      this.#set("failed", { lastError, reconnectAttempts: attempts, nextAttemptAt: undefined });
      return;
    }
    const wait = backoffDelay(this.#o.backoff, attempts, this.#o.random);
    this.#set("disconnected", { lastError, reconnectAttempts: attempts, nextAttemptAt: this.#o.clock.now() + wait });
    this.#retryTimer = this.#o.timers.setTimeout(() => {
      this.#retryTimer = undefined;
      void this.#retry(generation);
    }, wait);
  }

  #up(): void {
    this.#clearTimers();
    const up: LinkUp = {
      reason: this.#everUp ? "reconnect" : "initial",
      attempts: this.#health.reconnectAttempts,
      upAt: this.#o.clock.now(),
      ...(this.#lostAt === undefined ? {} : { lostAt: this.#lostAt }),
    };
    this.#everUp = true;
    this.#lostAt = undefined;
    this.#brokerDown = false;
    this.#set("connected", { reconnectAttempts: 0, nextAttemptAt: undefined });
    this.#o.onUp(up);
  }

  #set(state: ConnectionState, patch: Partial<BrokerHealth> = {}): void {
    const previous = this.#health.state;
    const since = state === previous ? this.#health.since : this.#o.clock.now();
    const next: BrokerHealth = { ...this.#health, ...patch, state, since };
    if (next.nextAttemptAt === undefined) delete next.nextAttemptAt;
    this.#health = next;
    if (state !== previous || Object.keys(patch).length > 0) this.#o.onHealth(this.health(), previous);
  }

  #error(code: BrokerErrorCode, message: string): NonNullable<BrokerHealth["lastError"]> {
    return { code, message, at: this.#o.clock.now() };
  }

  #clearTimers(): void {
    if (this.#retryTimer !== undefined) this.#o.timers.clearTimeout(this.#retryTimer);
    if (this.#graceTimer !== undefined) this.#o.timers.clearTimeout(this.#graceTimer);
    this.#retryTimer = undefined;
    this.#graceTimer = undefined;
  }
}
