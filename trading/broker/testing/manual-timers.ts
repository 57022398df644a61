import type { Clock } from "../../../core/index.ts";
import type { Timers } from "../timers.ts";

interface Scheduled {
  id: number;
  at: number;
  fn: () => void;
}

/**
 * Test double for `Timers` on a hand-moved clock: `advance(ms)` fires due timers in time order, moving the
 * clock to each one, and lets promise callbacks run between them so async chains (retry → connect) progress.
 */
export class ManualTimers implements Timers {
  readonly #clock: Clock & { set(ms: number): void };
  #queue: Scheduled[] = [];
  #nextId = 1;

  constructor(clock: Clock & { set(ms: number): void }) {
    this.#clock = clock;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.#nextId++;
    this.#queue.push({ id, at: this.#clock.now() + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#queue = this.#queue.filter((t) => t.id !== handle);
  }

  /** Delays of the pending timers from now, soonest first. */
  pendingDelays(): number[] {
    const now = this.#clock.now();
    return this.#queue.map((t) => t.at - now).sort((a, b) => a - b);
  }

  async advance(ms: number): Promise<void> {
    const end = this.#clock.now() + ms;
    await flush();
    for (;;) {
      const due = this.#queue.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.#queue = this.#queue.filter((t) => t !== due);
      this.#clock.set(Math.max(this.#clock.now(), due.at));
      due.fn();
      await flush();
    }
    this.#clock.set(end);
    await flush();
  }
}

/** Lets queued promise callbacks (several levels deep) run. */
async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
