import { GroupCommit, newTimeOrderedId, type EventBus } from "../../../core/index.ts";
import { insertSql, rawSqlOf, rowsParam, type CopyEvent, type CopyEventStatus, type PrismaClient, type RawSql } from "../../../prisma/index.ts";
import type { CopyReason } from "../rules/lot-scaling.ts";

/** Where the time of one copy went, in milliseconds (null for stages it never reached). */
export interface CopyTiming {
  /** Master event's venue time → our adapter's receive time. */
  detectionMs: number | null;
  /** Our receive → the slave's job starting (persisting the signal and the queue hop). */
  queueMs: number | null;
  /** Job start → SRM decision (reading the link, planning, deciding). */
  decisionMs: number | null;
  /** Decision → the order handed to the slave's broker. */
  dispatchMs: number | null;
  /** Order sent → the broker's answer (fill, placement or refusal), before anything of it is recorded. */
  ackMs: number | null;
}

/** One copy's outcome as the copy log keeps it. */
export interface CopyOutcome {
  linkId: string;
  slaveAccountId: string;
  /** The slave's owner: copy events are published to them. */
  userId: string;
  eventId: string;
  intentId: string | null;
  status: CopyEventStatus;
  reasons: CopyReason[];
  timing: CopyTiming;
  slippagePips: number | null;
  /** What the live feed shows besides the log row (symbol, side, lot, kind, positions). */
  detail: Record<string, unknown>;
}

export const NO_TIMING: CopyTiming = { detectionMs: null, queueMs: null, decisionMs: null, dispatchMs: null, ackMs: null };

/** The API's and the live feed's view of a copy log row. */
export function copyEventView(e: CopyEvent) {
  return {
    id: e.id,
    linkId: e.linkId,
    intentId: e.intentId,
    slaveAccountId: e.slaveAccountId,
    masterEventId: e.masterDealId,
    status: e.status,
    reasons: e.reasons as unknown as CopyReason[],
    latency: { detectionMs: e.detectionMs, queueMs: e.queueMs, decisionMs: e.decisionMs, dispatchMs: e.dispatchMs, ackMs: e.ackMs },
    slippagePips: e.slippagePips,
    createdAt: e.createdAt.toISOString(),
  };
}

/** A copy_events row of table alias `t` as a `CopyEvent`. */
const columns = (t: string) =>
  `${t}.id::text AS id, ${t}.link_id::text AS "linkId", ${t}.intent_id::text AS "intentId", ${t}.slave_account_id::text AS "slaveAccountId",
   ${t}.master_deal_id AS "masterDealId", ${t}.status::text AS status, ${t}.reasons, ${t}.detection_ms AS "detectionMs", ${t}.queue_ms AS "queueMs",
   ${t}.decision_ms AS "decisionMs", ${t}.dispatch_ms AS "dispatchMs", ${t}.ack_ms AS "ackMs", ${t}.slippage_pips AS "slippagePips", ${t}.created_at AS "createdAt"`;

const UPDATED = ["intent_id", "status", "reasons", "detection_ms", "queue_ms", "decision_ms", "dispatch_ms", "ack_ms", "slippage_pips"];

/**
 * Upserts copy log rows in one statement: a new (link, event) is inserted, a FAILED one overwritten, a final one
 * (every other status ends a copy) left alone and answered as it is (`written` false). The statement reads the
 * table as it was before it ran.
 */
function upsertSql(rows: readonly Record<string, unknown>[]): string {
  const up = insertSql(
    "copy_events",
    rows,
    1,
    `ON CONFLICT (link_id, master_deal_id) DO UPDATE SET ${UPDATED.map((c) => `${c} = EXCLUDED.${c}`).join(", ")} WHERE copy_events.status = 'FAILED' RETURNING *`,
  );
  return `WITH up AS (${up})
    SELECT coalesce(json_agg(x), '[]')::text AS rows FROM (
      SELECT ${columns("up")}, true AS written FROM up
      UNION ALL
      SELECT ${columns("e")}, false AS written
        FROM copy_events e JOIN json_populate_recordset(NULL::copy_events, $1::json) r ON e.link_id = r.link_id AND e.master_deal_id = r.master_deal_id
        WHERE e.id NOT IN (SELECT id FROM up)
    ) x`;
}

type Stored = Omit<CopyEvent, "createdAt"> & { createdAt: string; written: boolean };

/**
 * Writes the copy log: one CopyEvent per (link, master event), updated by later attempts while it is FAILED and
 * left alone once final, so a redelivered job neither duplicates a row nor overwrites the first timing. Each
 * write is published as `copy.<status>` to the slave's owner. The copies of a fan-out log in one statement
 * (group commit), after their orders are out.
 */
export class CopyRecorder {
  readonly #group: GroupCommit<CopyOutcome, { row: CopyEvent; written: boolean }>;
  readonly #sql: RawSql;

  constructor(
    prisma: PrismaClient,
    private readonly bus: EventBus,
    private readonly now: () => number,
  ) {
    this.#sql = rawSqlOf(prisma);
    this.#group = new GroupCommit((outcomes) => this.#write(outcomes));
  }

  async record(o: CopyOutcome): Promise<CopyEvent> {
    const { row, written } = await this.#group.submit(o);
    if (written) this.bus.publish({ type: `copy.${o.status.toLowerCase()}`, userId: o.userId, accountId: o.slaveAccountId, at: this.now(), data: { ...copyEventView(row), ...o.detail } });
    return row;
  }

  /** Writes a batch; a (link, event) repeated within it goes in a later statement, after the first. */
  async #write(outcomes: CopyOutcome[]): Promise<{ row: CopyEvent; written: boolean }[]> {
    const results = new Array<{ row: CopyEvent; written: boolean }>(outcomes.length);
    let left = outcomes.map((o, i) => ({ o, i }));
    while (left.length > 0) {
      const keys = new Set<string>();
      const batch = new Set(left.filter(({ o }) => !keys.has(`${o.linkId}/${o.eventId}`) && keys.add(`${o.linkId}/${o.eventId}`)));
      left = left.filter((x) => !batch.has(x));
      const rows = [...batch].map(({ o }) => ({
        id: newTimeOrderedId(),
        linkId: o.linkId,
        intentId: o.intentId,
        slaveAccountId: o.slaveAccountId,
        masterDealId: o.eventId,
        status: o.status,
        reasons: o.reasons,
        ...o.timing,
        slippagePips: o.slippagePips,
      }));
      const [{ rows: text }] = await this.#sql.$queryRawUnsafe<[{ rows: string }]>(upsertSql(rows), rowsParam(rows));
      const byKey = new Map((JSON.parse(text) as Stored[]).map((r) => [`${r.linkId}/${r.masterDealId}`, r]));
      for (const { o, i } of batch) {
        const { written, createdAt, ...row } = byKey.get(`${o.linkId}/${o.eventId}`)!;
        results[i] = { row: { ...row, createdAt: new Date(createdAt) } as CopyEvent, written };
      }
    }
    return results;
  }
}
