import { newTimeOrderedId } from "../../../core/index.ts";
import { insertRows, rawSqlOf, type Prisma, type PrismaClient } from "../../../prisma/index.ts";
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

/**
 * Master signals persisted before any fan-out, as `TradeIntent` rows of the master account (source COPY,
 * dedup key `copy-signal:<master>:<event>`, status RECEIVED until every link has a copy log entry, then
 * EXECUTED; the signal itself in `payload.copySignal`). The unique dedup key makes a second detector, or a
 * redelivered event, a no-op; rows still RECEIVED are fanned out again when the engine resumes.
 */
export class SignalStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** Persists the signal; `fresh` is false when it was already persisted (nothing more to do). */
  async record(signal: MasterSignal, detectedAt: number): Promise<{ id: string; fresh: boolean }> {
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
    if ((await insertRows(rawSqlOf(this.prisma), "trade_intents", [row], { onConflict: "(dedup_key) DO NOTHING", returning: "id::text AS id" })).length > 0) return { id, fresh: true };
    const stored = await this.prisma.tradeIntent.findUniqueOrThrow({ where: { dedupKey }, select: { id: true } });
    return { id: stored.id, fresh: false };
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

  /** Marks a signal fanned out: every link it concerns has logged its copy. */
  async complete(id: string): Promise<void> {
    await this.prisma.tradeIntent.update({ where: { id }, data: { status: "EXECUTED" } });
  }
}
