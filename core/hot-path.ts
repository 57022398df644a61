/**
 * Latency-critical work of this process (a copy fan-out between a master's trade and its slaves' orders)
 * against deferrable work (booking fills, storing decisions behind their orders). Hot work brackets itself with
 * `begin()` and the function it returns; deferrable work awaits `calm()` before it starts, so a thousand-slave
 * fan-out sends every order before the first fills are booked instead of interleaving the two on one event
 * loop. The wait is bounded: deferrable work that hot work might itself be waiting for goes ahead after
 * `maxDeferMs` at most, and nothing is held once the process has been hot for `maxHotMs` on end (sustained
 * load, or hot work that never ended: the deferred work must not pile up).
 */
export class HotPath {
  #hot = 0;
  #since = 0;
  #waiters: Array<() => void> = [];

  constructor(
    readonly maxDeferMs = 250,
    readonly maxHotMs = 5_000,
  ) {}

  /** True while some hot work is under way. */
  get hot(): boolean {
    return this.#hot > 0;
  }

  /** Starts hot work; the returned function ends it, once however often it is called (a copy ends on its send or its end). */
  begin(): () => void {
    if (this.#hot++ === 0) this.#since = Date.now();
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      if (--this.#hot > 0) return;
      const waiters = this.#waiters;
      this.#waiters = [];
      for (const w of waiters) w();
    };
  }

  /** Undefined (go now) when nothing is hot, else a promise of the hot work's end or `maxDeferMs`, whichever comes first. */
  calm(): Promise<void> | undefined {
    if (this.#hot === 0 || Date.now() - this.#since > this.maxHotMs) return undefined;
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.maxDeferMs);
      this.#waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/** This process' hot path: one, as there is one event loop. */
export const hotPath = new HotPath();
