interface Waiter<T, R> {
  item: T;
  resolve(result: R): void;
  reject(err: unknown): void;
}

/**
 * Group commit: writes submitted while a batch is being written, or within the same turn of the event loop,
 * share the next one, so a burst of N writes costs a few round trips instead of N while a lone write still
 * goes out at once (after the current turn). `commit` receives the batch and returns one result per item,
 * in order; if it throws, every item of that batch fails with the error. Nothing resolves before its batch
 * is committed.
 */
export class GroupCommit<T, R> {
  #queue: Waiter<T, R>[] = [];
  #draining: Promise<void> | null = null;

  readonly #maxBatch: number;
  readonly #start: (go: () => void) => void;
  readonly #gate: (() => Promise<void> | undefined) | undefined;

  /**
   * `start: "turn"` (the default) waits one turn of the event loop before the first batch, so every caller
   * started by the same burst (one fan-out, one HTTP batch) joins it. `"now"` commits the first caller at once
   * and gathers the rest behind it: for a write on the way to a broker, which must not wait for the loop to turn
   * (in-process database answers arrive as microtasks, so a busy chain of them can hold the turn off for
   * milliseconds). `gate`, awaited before each batch, holds deferrable writes back (see `HotPath.calm`).
   */
  constructor(
    private readonly commit: (items: T[]) => Promise<R[]>,
    opts: { maxBatch?: number; start?: "turn" | "now"; gate?: () => Promise<void> | undefined } = {},
  ) {
    this.#maxBatch = opts.maxBatch ?? 500;
    this.#start = opts.start === "now" ? queueMicrotask : setImmediate;
    this.#gate = opts.gate;
  }

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#draining ??= new Promise<void>((go) => this.#start(go)).then(() => this.#drain());
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const held = this.#gate?.();
        if (held) await held;
        const batch = this.#queue.splice(0, this.#maxBatch);
        let results: R[];
        try {
          results = await this.commit(batch.map((w) => w.item));
        } catch (err) {
          for (const w of batch) w.reject(err);
          continue;
        }
        batch.forEach((w, i) => w.resolve(results[i]!));
      }
    } finally {
      this.#draining = null;
    }
  }
}
