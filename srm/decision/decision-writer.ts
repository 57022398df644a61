import { GroupCommit } from "../../core/index.ts";
import { insertSql, rowsParam, type Prisma, type RawSql } from "../../prisma/index.ts";

export interface PendingDecision {
  intent: Prisma.TradeIntentCreateManyInput & { id: string; dedupKey: string };
  decision: Prisma.SrmDecisionCreateManyInput & { id: string };
}

/**
 * Group commit for decisions: concurrent writers share one statement that inserts their intents and, for the
 * intents actually inserted, their decisions (one data-modifying CTE, atomic without a transaction), so
 * throughput grows with load while a lone decision still commits at once. Each caller learns whether its row
 * was stored or lost to an earlier intent with the same dedup key; nothing is acknowledged before it commits.
 */
export class DecisionWriter {
  readonly #group: GroupCommit<PendingDecision, boolean>;

  constructor(
    private readonly db: RawSql,
    maxBatch = 500,
  ) {
    this.#group = new GroupCommit((items) => this.#commit(items), maxBatch);
  }

  /** Resolves true when stored, false when the dedup key already had a decision. */
  write(item: PendingDecision): Promise<boolean> {
    return this.#group.submit(item);
  }

  async #commit(items: PendingDecision[]): Promise<boolean[]> {
    // Two writers in one batch with the same dedup key: the first wins, as it would across batches.
    const seen = new Set<string>();
    const unique = items.filter((d) => !seen.has(d.intent.dedupKey) && seen.add(d.intent.dedupKey));
    const intents = unique.map((d) => d.intent);
    const decisions = unique.map((d) => d.decision);
    const rows = await this.db.$queryRawUnsafe<{ id: string }[]>(
      `WITH i AS (${insertSql("trade_intents", intents, 1, "ON CONFLICT (dedup_key) DO NOTHING RETURNING id")}),
            d AS (${insertSql("srm_decisions", decisions, 2, "WHERE r.intent_id IN (SELECT id FROM i)")})
       SELECT id::text AS id FROM i`,
      rowsParam(intents),
      rowsParam(decisions),
    );
    const stored = new Set(rows.map((r) => r.id));
    return items.map((d) => stored.has(d.intent.id));
  }
}
