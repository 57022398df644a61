import { newTimeOrderedId } from "../../../core/index.ts";
import { insertSql, rawSqlOf, rowsParam, type Prisma, type PrismaClient } from "../../../prisma/index.ts";
import { signalDedupKey, type MasterSignal } from "../master-signal.ts";

const INTENT_KIND = {
  OPEN: "OPEN",
  INCREASE: "OPEN",
  CLOSE: "CLOSE",
  CLOSE_PARTIAL: "CLOSE_PARTIAL",
  MODIFY: "MODIFY",
  ORDER_PLACED: "OPEN",
  ORDER_MODIFIED: "MODIFY",
  ORDER_CANCELLED: "CLOSE",
} as const;

/** A persisted signal whose fan-out is not known to be complete. */
export interface PendingSignal {
  id: string;
  signal: MasterSignal;
  detectedAt: number;
  createdAt: Date;
}

/** What recording a signal found: whether it is new, and what the fan-out reads with it in the same statement. */
export interface RecordedSignal {
  id: string;
  /** False when the signal was already persisted (nothing more to do). */
  fresh: boolean;
  /** The master's money as stored (null when the master account is gone). */
  master: { balance: string; equity: string } | null;
  /** The version of the master's links (see `LinkBook`); "0" before its first link. */
  linksVersion: string;
}

const money = (column: string) => `trim_scale(${column})::text`;

/**
 * Master signals persisted before any fan-out, as `TradeIntent` rows of the master account (source COPY,
 * dedup key `copy-signal:<master>:<event>`, status RECEIVED until every link has a copy log entry, then
 * EXECUTED; the signal itself in `payload.copySignal`). The unique dedup key makes a second detector, or a
 * redelivered event, a no-op; rows still RECEIVED are fanned out again when the engine resumes.
 */
export class SignalStore {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Persists the signal and, in the same statement, reads the master's money and the version of its links: the
   * fan-out needs both, and a statement less stands between the master's trade and its copies.
   */
  async record(signal: MasterSignal, detectedAt: number): Promise<RecordedSignal> {
    const id = newTimeOrderedId();
    const dedupKey = signalDedupKey(signal.masterAccountId, signal.eventId);
    // A raw insert: this write stands between a master's trade and its copies, and Prisma's create costs more than the insert.
    const row = {
      id,
      source: "COPY",
      dedupKey,
      accountId: signal.masterAccountId,
      masterAccountId: signal.masterAccountId,
      masterDealId: signal.eventId,
      masterPositionId: signal.masterPositionId ?? null,
      symbol: signal.symbol,
      side: signal.side,
      kind: INTENT_KIND[signal.kind],
      volume: signal.volume,
      price: signal.price ?? null,
      stopLoss: signal.stopLoss ?? null,
      takeProfit: signal.takeProfit ?? null,
      signalTime: new Date(signal.time),
      receivedAt: new Date(signal.receivedAt),
      status: "RECEIVED",
      payload: { copySignal: signal, detectedAt } as unknown as Prisma.InputJsonValue,
    } satisfies Prisma.TradeIntentCreateManyInput;
    const sql = `WITH inserted AS (${insertSql("trade_intents", [row], 1, "ON CONFLICT (dedup_key) DO NOTHING RETURNING id::text AS id")})
      SELECT (SELECT id FROM inserted) AS id, ${money("m.balance")} AS balance, ${money("m.equity")} AS equity,
        coalesce((SELECT v.version FROM copy_link_versions v WHERE v.master_account_id = $2::uuid), 0)::text AS version
      FROM (SELECT 1) AS one LEFT JOIN broker_accounts m ON m.id = $2::uuid`;
    const [r] = await rawSqlOf(this.prisma).$queryRawUnsafe<[{ id: string | null; balance: string | null; equity: string | null; version: string }]>(sql, rowsParam([row]), signal.masterAccountId);
    const found = { master: r!.balance === null ? null : { balance: r!.balance, equity: r!.equity! }, linksVersion: r!.version };
    if (r!.id) return { id, fresh: true, ...found };
    const stored = await this.prisma.tradeIntent.findUniqueOrThrow({ where: { dedupKey }, select: { id: true } });
    return { id: stored.id, fresh: false, ...found };
  }

  /** Signals of these masters persisted within [from, to) (wall clock) whose fan-out is not marked complete. */
  async pending(masterAccountIds: readonly string[], from: Date, to: Date): Promise<PendingSignal[]> {
    if (masterAccountIds.length === 0) return [];
    const rows = await this.prisma.tradeIntent.findMany({
      where: { accountId: { in: [...masterAccountIds] }, source: "COPY", status: "RECEIVED", createdAt: { gte: from, lt: to }, dedupKey: { startsWith: "copy-signal:" } },
      orderBy: { createdAt: "asc" },
      select: { id: true, payload: true, createdAt: true },
    });
    return rows.map((r) => {
      const p = r.payload as unknown as { copySignal: MasterSignal; detectedAt: number };
      return { id: r.id, signal: p.copySignal, detectedAt: p.detectedAt, createdAt: r.createdAt };
    });
  }

  /** The master's persisted signals whose event ids start with one of `prefixes`, in the order they were detected. */
  async withEventPrefixes(masterAccountId: string, prefixes: readonly string[]): Promise<MasterSignal[]> {
    if (prefixes.length === 0) return [];
    const rows = await this.prisma.tradeIntent.findMany({
      where: { accountId: masterAccountId, source: "COPY", OR: prefixes.map((p) => ({ dedupKey: { startsWith: signalDedupKey(masterAccountId, p) } })) },
      orderBy: [{ receivedAt: "asc" }, { createdAt: "asc" }],
      select: { payload: true },
    });
    return rows.map((r) => (r.payload as unknown as { copySignal: MasterSignal }).copySignal);
  }

  /** Marks a signal fanned out: every link it concerns has logged its copy. */
  async complete(id: string): Promise<void> {
    await this.prisma.tradeIntent.update({ where: { id }, data: { status: "EXECUTED" } });
  }
}
