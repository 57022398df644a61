import { invalid, type Clock, type Logger } from "../../core/index.ts";
import { brokerError, isBrokerError, type Timers } from "../broker/index.ts";
import type { QuotePoint } from "./paper-types.ts";
import type { FeedCursor, QuoteFeed } from "./quote-feed.ts";

/** What the replay calls as venue time moves. */
export interface ReplayHooks {
  /** Time-driven work due by `t` (expiry, rollover, a healing link); runs before a point at `t` is applied. */
  onTime(t: number): void;
  onPoint(p: QuotePoint): void;
  /** The recorded range is exhausted (called each time a drive finds it so), or reading it failed (`failure`). */
  onEnd(t: number, failure?: Error): void;
  /** Venue time of the next time-driven event, so the recorded-speed mode wakes up for it. */
  nextWake(): number;
}

export interface ReplayOptions {
  open(): Promise<QuoteFeed>;
  now: number;
  ended: boolean;
  clock: Clock;
  timers: Timers;
  logger?: Logger;
  hooks: ReplayHooks;
}

interface Pacing {
  anchorVenue: number;
  anchorWall: number;
  speed: number;
  timer?: unknown;
}

type Stop = "until" | "limit" | "end";

/**
 * Venue time and the loop that replays recorded quotes, either driven by hand as fast as possible or paced by
 * the wall clock at recorded speed × `speed`. Every drive runs under one lock, so concurrent calls replay in
 * the order they were made and a replay never interleaves with itself.
 */
export class PaperReplay {
  readonly #o: ReplayOptions;
  #feed: QuoteFeed | undefined;
  #now: number;
  #ended: boolean;
  #lock: Promise<unknown> = Promise.resolve();
  #pacing: Pacing | undefined;

  constructor(o: ReplayOptions) {
    this.#o = o;
    this.#now = o.now;
    this.#ended = o.ended;
  }

  get now(): number {
    return this.#now;
  }

  get ended(): boolean {
    return this.#ended;
  }

  get playing(): boolean {
    return this.#pacing !== undefined;
  }

  /** Per-symbol positions, or null when the replay was never opened. */
  cursors(): Record<string, FeedCursor> | null {
    return this.#feed ? this.#feed.cursors() : null;
  }

  /** Runs `fn` after every earlier exclusive call finished; nothing else drives the replay meanwhile. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#lock.then(fn);
    this.#lock = run.catch(() => undefined);
    return run;
  }

  /** Opens the recorded data (once). Inside `exclusive` only, like every method below. */
  async open(): Promise<QuoteFeed> {
    if (this.#feed) return this.#feed;
    try {
      this.#feed = await this.#o.open();
    } catch (err) {
      throw readFailure(err);
    }
    return this.#feed;
  }

  /** Replays every point at or before `t`, then moves venue time to `t`. */
  async driveTo(t: number): Promise<void> {
    await this.#drive(t);
    this.#o.hooks.onTime(t);
    if (t > this.#now) this.#now = t;
  }

  /** Replays points one at a time while `condition` holds; stops at the end of the data. */
  async driveWhile(condition: () => boolean, limit = Infinity): Promise<boolean> {
    return (await this.#drive(limit, () => !condition())) === "until";
  }

  /** Replays exactly one point; undefined at the end of the data. */
  async step(): Promise<QuotePoint | undefined> {
    let taken: QuotePoint | undefined;
    await this.#drive(Infinity, () => taken !== undefined, (p) => (taken = p));
    return taken;
  }

  /** In recorded-speed mode, replays up to the wall clock's venue time; otherwise nothing. */
  async catchUp(): Promise<void> {
    if (this.#pacing) await this.driveTo(this.#pacedNow(this.#pacing));
  }

  /** Starts replaying at recorded speed × `speed`, on the injected clock and timers. */
  play(speed: number): void {
    if (!(speed > 0) || !Number.isFinite(speed)) throw invalid("speed", "must be a positive number");
    this.pause();
    const pacing: Pacing = { anchorVenue: this.#now, anchorWall: this.#o.clock.now(), speed };
    this.#pacing = pacing;
    this.#schedule(pacing, 0);
  }

  pause(): void {
    if (this.#pacing?.timer !== undefined) this.#o.timers.clearTimeout(this.#pacing.timer);
    this.#pacing = undefined;
  }

  async #drive(limit: number, until?: () => boolean, seen?: (p: QuotePoint) => void): Promise<Stop> {
    const feed = await this.open();
    const hooks = this.#o.hooks;
    for (;;) {
      if (until?.()) return "until";
      let p = feed.peekSync();
      if (p === null) p = await this.#peek(feed);
      if (p === undefined) {
        this.#ended = true;
        hooks.onEnd(this.#now);
        return "end";
      }
      if (p.time > limit) return "limit";
      feed.take();
      if (p.time > this.#now) this.#now = p.time;
      hooks.onTime(p.time);
      hooks.onPoint(p);
      seen?.(p);
    }
  }

  async #peek(feed: QuoteFeed): Promise<QuotePoint | undefined> {
    try {
      return await feed.peek();
    } catch (err) {
      throw readFailure(err);
    }
  }

  #pacedNow(pacing: Pacing): number {
    return Math.max(this.#now, Math.floor(pacing.anchorVenue + (this.#o.clock.now() - pacing.anchorWall) * pacing.speed));
  }

  #schedule(pacing: Pacing, wallMs: number): void {
    pacing.timer = this.#o.timers.setTimeout(() => void this.#pace(pacing), wallMs);
  }

  async #pace(pacing: Pacing): Promise<void> {
    if (this.#pacing !== pacing) return;
    pacing.timer = undefined;
    try {
      const next = await this.exclusive(async () => {
        await this.driveTo(this.#pacedNow(pacing));
        return this.#ended ? undefined : this.#peek(await this.open());
      });
      if (this.#pacing !== pacing) return;
      if (next === undefined) {
        await this.exclusive(() => this.#drive(Infinity));
        this.#pacing = undefined;
        return;
      }
      const wake = Math.min(next.time, this.#o.hooks.nextWake());
      this.#schedule(pacing, Math.max(0, Math.ceil((wake - this.#pacedNow(pacing)) / pacing.speed)));
    } catch (err) {
      this.#o.logger?.error({ err }, "paper replay stopped: market data could not be read");
      this.#pacing = undefined;
      this.#o.hooks.onEnd(this.#now, readFailure(err));
    }
  }
}

function readFailure(err: unknown): Error {
  if (isBrokerError(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  return brokerError("TRD_ERR_BROKER_BUSY", `the paper venue could not read market data: ${message}`, { venue: "paper" }, err);
}
