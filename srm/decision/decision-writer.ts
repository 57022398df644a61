import type { Prisma, PrismaClient } from "../../prisma/index.ts";

export interface PendingDecision {
  intent: Prisma.TradeIntentCreateManyInput & { id: string; dedupKey: string };
  decision: Prisma.SrmDecisionCreateManyInput & { id: string };
}

interface Waiter {
  item: PendingDecision;
  resolve(stored: boolean): void;
  reject(err: unknown): void;
}

/**
 * Group commit for decisions: concurrent writers share one transaction (intents then decisions, each one
 * multi-row insert), so throughput grows with load while an idle writer still commits at once. Each caller
 * learns whether its row was stored or lost to an earlier intent with the same dedup key; nothing is
 * acknowledged before its transaction commits.
 */
export class DecisionWriter {
  #queue: Waiter[] = [];
  #flushing: Promise<void> | null = null;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly maxBatch = 500,
  ) {}

  /** Resolves true when stored, false when the dedup key already had a decision. */
  write(item: PendingDecision): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#flushing ??= this.#drain();
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, this.maxBatch);
        await this.#commit(batch);
      }
    } finally {
      this.#flushing = null;
    }
  }

  async #commit(batch: Waiter[]): Promise<void> {
    // Two writers in one batch with the same dedup key: the first wins, as it would across batches.
    const seen = new Set<string>();
    const unique = batch.filter((w) => !seen.has(w.item.intent.dedupKey) && seen.add(w.item.intent.dedupKey));
    let stored: Set<string>;
    try {
      stored = await this.prisma.$transaction(async (tx) => {
        await tx.tradeIntent.createMany({ data: unique.map((w) => w.item.intent), skipDuplicates: true });
        const inserted = await tx.tradeIntent.findMany({ where: { id: { in: unique.map((w) => w.item.intent.id) } }, select: { id: true } });
        const ids = new Set(inserted.map((r) => r.id));
        const decisions = unique.filter((w) => ids.has(w.item.intent.id)).map((w) => w.item.decision);
        if (decisions.length > 0) await tx.srmDecision.createMany({ data: decisions });
        return ids;
      });
    } catch (err) {
      for (const w of batch) w.reject(err);
      return;
    }
    for (const w of batch) w.resolve(stored.has(w.item.intent.id));
  }
}
