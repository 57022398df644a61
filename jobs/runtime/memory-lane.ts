/** One queued run in memory. */
export interface LaneItem {
  jobId: string;
  data: unknown;
  attempt: number;
  key?: string;
}

/** How many finished job ids a lane remembers for idempotent enqueue (BullMQ keeps the same number of jobs). */
export const RETAINED_IDS = 10_000;

/** Array-backed FIFO with O(1) amortised shift (Array#shift is O(n), and iterating a Set past deletions is too). */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  peek(): T | undefined {
    return this.items[this.head];
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

/** A FIFO lane with a concurrency limit and the ids it still remembers, for the in-process runtime. */
export class MemoryLane {
  running = 0;
  private readonly queue = new Fifo<LaneItem>();
  /** Queued, delayed, running or retrying ids: never forgotten. */
  private readonly pending = new Set<string>();
  /** Finished ids with the sequence number of their finish; `finishOrder` forgets the oldest first. */
  private readonly finished = new Map<string, number>();
  private readonly finishOrder = new Fifo<{ jobId: string; seq: number }>();
  private finishSeq = 0;

  constructor(readonly limit: number) {}

  get length(): number {
    return this.queue.length;
  }

  has(jobId: string): boolean {
    return this.pending.has(jobId) || this.finished.has(jobId);
  }

  claim(jobId: string): void {
    this.finished.delete(jobId);
    this.pending.add(jobId);
  }

  forget(jobId: string): void {
    this.pending.delete(jobId);
    this.finished.delete(jobId);
  }

  finish(jobId: string): void {
    if (!this.pending.delete(jobId)) return;
    const seq = this.finishSeq++;
    this.finished.set(jobId, seq);
    this.finishOrder.push({ jobId, seq });
    while (this.finished.size > RETAINED_IDS) {
      const oldest = this.finishOrder.shift()!;
      // An id forgotten and finished again has a newer entry; only its latest finish counts.
      if (this.finished.get(oldest.jobId) === oldest.seq) this.finished.delete(oldest.jobId);
    }
  }

  push(item: LaneItem): void {
    this.queue.push(item);
  }

  peek(): LaneItem | undefined {
    return this.queue.peek();
  }

  shift(): LaneItem | undefined {
    return this.queue.shift();
  }

  clear(): void {
    this.queue.clear();
  }
}
