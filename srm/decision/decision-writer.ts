import { GroupCommit, hotPath } from "../../core/index.ts";
import { insertSql, rawSqlOf, rowsParam, type Prisma, type RawSql } from "../../prisma/index.ts";

export interface PendingDecision {
  intent: Prisma.TradeIntentCreateManyInput & { id: string; dedupKey: string };
  decision: Prisma.SrmDecisionCreateManyInput & { id: string };
}

/**
 * A key whose intent is stored is taken, claim or not: claims of stored intents are pruned (`prune`), and the
 * intent's own unique key then stands for them.
 */
const UNDECIDED = `WHERE NOT EXISTS (SELECT 1 FROM "trade_intents" t WHERE t."dedup_key" = k)`;

interface Write {
  row: PendingDecision;
  /** The writer already holds the key's claim (write-behind, or taking over an abandoned claim). */
  held: boolean;
}

/**
 * Group commit for decisions. A dedup key belongs to whoever inserts its claim first (`intent_claims`); a
 * decision is stored with its intent in one data-modifying CTE (claim, intent, decision: atomic without a
 * transaction), so throughput grows with load while a lone decision still commits at once. `claim` alone is
 * the hot path's write-ahead: one narrow row, after which the decision may be acted on and `store`d behind.
 * Two writers in one batch with the same key: the holder of its claim wins, else the first, as across batches.
 * Claims are pruned once their intents are stored and old enough (`prune`), so they do not grow with the intents.
 */
export class DecisionWriter {
  readonly #writes: GroupCommit<Write, boolean>;
  readonly #behind: GroupCommit<Write, boolean>;
  readonly #claims: GroupCommit<string, boolean>;
  readonly #db: RawSql;

  constructor(db: RawSql, maxBatch = 500) {
    this.#db = rawSqlOf(db);
    // Decisions wait for the loop to turn, so concurrent requests share a statement (and a fan-out's decisions,
    // stored behind its orders, go once its orders are out); the hot path's claims go at once.
    this.#writes = new GroupCommit((items) => this.#commit(items), { maxBatch });
    // Decisions already acted on wait, in addition, for this process' hot work (the rest of the fan-out) to end.
    this.#behind = new GroupCommit((items) => this.#commit(items), { maxBatch, gate: () => hotPath.calm() });
    // Claims are narrow: a thousand-slave fan-out's keys fit one statement, so every order waits for one only.
    this.#claims = new GroupCommit((keys) => this.#claim(keys), { maxBatch: 10 * maxBatch, start: "now" });
  }

  /** Claims the key and stores the decision; resolves false (nothing written) when the key was claimed before. */
  write(row: PendingDecision): Promise<boolean> {
    return this.#writes.submit({ row, held: false });
  }

  /** Resolves true when this caller now holds the key, false when it was claimed before. */
  claim(dedupKey: string): Promise<boolean> {
    return this.#claims.submit(dedupKey);
  }

  /** Stores the decision of a key the caller holds; false when a decision is already stored under it. */
  store(row: PendingDecision): Promise<boolean> {
    return this.#writes.submit({ row, held: true });
  }

  /** `store` for a decision whose order is already out: it yields to this process' hot work (`HotPath`). */
  storeBehind(row: PendingDecision): Promise<boolean> {
    return this.#behind.submit({ row, held: true });
  }

  /**
   * Deletes the claims, made before `before`, of keys whose intent is stored: the intent row keeps the key taken
   * (see `UNDECIDED`). A claim without an intent (its decider stopped between claiming and storing) stays: it
   * is what tells the next decider of that key to look the order up before sending. Returns how many went.
   */
  prune(before: Date): Promise<number> {
    return this.#db.$executeRawUnsafe(`DELETE FROM "intent_claims" c USING "trade_intents" t WHERE t."dedup_key" = c."dedup_key" AND c."claimed_at" < $1`, before);
  }

  /** Deletes claims that hold no stored intent (taken ahead, then not decided); returns how many went. */
  release(keys: readonly string[]): Promise<number> {
    return this.#db.$executeRawUnsafe(
      `DELETE FROM "intent_claims" c WHERE c."dedup_key" = ANY($1::text[]) AND NOT EXISTS (SELECT 1 FROM "trade_intents" t WHERE t."dedup_key" = c."dedup_key")`,
      [...keys],
    );
  }

  async #claim(keys: string[]): Promise<boolean[]> {
    const rows = await this.#db.$queryRawUnsafe<{ dedup_key: string }[]>(
      `INSERT INTO "intent_claims" ("dedup_key") SELECT k FROM unnest($1::text[]) k ${UNDECIDED} ON CONFLICT DO NOTHING RETURNING "dedup_key"`,
      [...new Set(keys)],
    );
    const won = new Set(rows.map((r) => r.dedup_key));
    return keys.map((k) => won.delete(k));
  }

  async #commit(items: Write[]): Promise<boolean[]> {
    // A key's holder goes first: a second decider of the same key in the batch cannot take it from the holder.
    const seen = new Set<string>();
    const unique = [...items.filter((w) => w.held), ...items.filter((w) => !w.held)].filter((w) => !seen.has(w.row.intent.dedupKey) && seen.add(w.row.intent.dedupKey));
    const intents = unique.map((w) => w.row.intent);
    const decisions = unique.map((w) => w.row.decision);
    const rows = await this.#db.$queryRawUnsafe<{ id: string }[]>(
      `WITH c AS (INSERT INTO "intent_claims" ("dedup_key") SELECT k FROM unnest($3::text[]) k ${UNDECIDED} ON CONFLICT DO NOTHING RETURNING "dedup_key"),
            i AS (${insertSql("trade_intents", intents, 1, `WHERE r.dedup_key IN (SELECT "dedup_key" FROM c) OR r.dedup_key = ANY($4::text[]) ON CONFLICT (dedup_key) DO NOTHING RETURNING id`)}),
            d AS (${insertSql("srm_decisions", decisions, 2, "WHERE r.intent_id IN (SELECT id FROM i)")})
       SELECT id::text AS id FROM i`,
      rowsParam(intents),
      rowsParam(decisions),
      unique.filter((w) => !w.held).map((w) => w.row.intent.dedupKey),
      unique.filter((w) => w.held).map((w) => w.row.intent.dedupKey),
    );
    const stored = new Set(rows.map((r) => r.id));
    return items.map((w) => stored.delete(w.row.intent.id));
  }
}
