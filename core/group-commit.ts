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

  constructor(
    private readonly commit: (items: T[]) => Promise<R[]>,
    private readonly maxBatch = 500,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      // Waiting one turn lets every caller started by the same burst (one fan-out, one HTTP batch) join.
      this.#draining ??= new Promise<void>((start) => setImmediate(start)).then(() => this.#drain());
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, this.maxBatch);
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
