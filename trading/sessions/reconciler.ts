import { dec, type Clock, type EventBus, type Logger } from "../../core/index.ts";
import type { PrismaClient, SyncLog } from "../../prisma/index.ts";
import type { BrokerDeal, BrokerOrder, BrokerPosition, ReconnectSnapshot } from "../broker/index.ts";
import type { BrokerSession } from "./broker-session.ts";
import { findOpenFill, historySince, openFillOf } from "./open-fill-lookup.ts";
import type { PositionBook } from "./position-book.ts";

/** Why a reconciliation ran (the SyncLog's kind). */
export type SyncKind = "RECONNECT" | "MANUAL" | "SCHEDULED" | "STARTUP";

/** The event published when an account's database picture was brought in line with its venue. */
export const ACCOUNT_SYNCED_EVENT = "account.synced";

interface Tally {
  synced: number;
  failed: number;
  problems: string[];
}

/**
 * Brings the database in line with the venue after every (re)connect and on demand: positions the venue holds
 * are created or refreshed, positions it no longer holds are closed (with their closing deals booked as closed
 * trades), pending orders likewise, executions whose outcome was unknown are settled by client order id, and
 * the account's money is refreshed. Writes a SyncLog and publishes `account.synced`.
 */
export class Reconciler {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly book: PositionBook,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** The `onReconnected` handler: reconciles against the snapshot the adapter took when the link came up. */
  onReconnected(session: BrokerSession, snapshot: ReconnectSnapshot): Promise<SyncLog> {
    const kind = snapshot.reason === "initial" ? "STARTUP" : "RECONNECT";
    return session.serial(() => this.#run(session, kind, snapshot.positions, snapshot.orders, snapshot.lostAt));
  }

  /** Reconciles now from fresh venue reads ("sync now"). */
  async syncNow(session: BrokerSession, kind: SyncKind = "MANUAL"): Promise<SyncLog> {
    const [positions, orders] = await Promise.all([session.port.fetchPositions(), session.port.fetchOrders()]);
    return session.serial(() => this.#run(session, kind, positions, orders, undefined));
  }

  async #run(session: BrokerSession, kind: SyncKind, positions: BrokerPosition[], orders: BrokerOrder[], lostAt: number | undefined): Promise<SyncLog> {
    const startedAt = this.clock.now();
    const started = this.clock.monotonic();
    const tally: Tally = { synced: 0, failed: 0, problems: [] };
    const attempt = async (what: string, work: () => Promise<unknown>) => {
      try {
        await work();
        tally.synced++;
      } catch (err) {
        tally.failed++;
        tally.problems.push(`${what}: ${(err as Error).message}`);
        this.logger.warn({ err, accountId: session.accountId, what }, "reconciliation item failed");
      }
    };
    const accountId = session.accountId;
    const venueNow = session.now();

    for (const p of positions) await attempt(`position ${p.id}`, () => this.book.positionSeen(session, p));
    const held = new Set(positions.map((p) => p.id));
    const vanished = (await this.prisma.position.findMany({ where: { accountId, status: "OPEN" } })).filter((r) => !held.has(r.brokerPositionId));
    // Closing deals since the link was lost (partial closes too), and those of every position the venue no longer holds.
    const since = Math.min(lostAt ?? Infinity, ...vanished.map((r) => r.openedAt.getTime()));
    let closing: BrokerDeal[] = [];
    if (Number.isFinite(since)) {
      try {
        closing = (await session.port.fetchDeals(since, venueNow + 1)).filter((d) => d.kind === "trade" && (d.entry === "out" || d.entry === "inout"));
      } catch (err) {
        tally.failed++;
        tally.problems.push(`deal history: ${(err as Error).message}`);
      }
    }
    for (const row of vanished) {
      const last = closing.filter((d) => d.positionId === row.brokerPositionId).at(-1);
      if (!last) tally.problems.push(`position ${row.brokerPositionId} closed at the venue but no closing deal was found`);
      // Marked closed before its deals are booked, so the last deal carries the entry commission (see dealBooked).
      await attempt(`closed position ${row.brokerPositionId}`, () => this.book.positionGone(session, row.brokerPositionId, last?.time ?? venueNow));
    }
    for (const d of closing) await attempt(`deal ${d.id}`, () => this.book.dealBooked(session, d));

    for (const o of orders) await attempt(`order ${o.id}`, () => this.book.orderSeen(session, o));
    const working = new Set(orders.map((o) => o.id));
    const finished = (await this.prisma.order.findMany({ where: { accountId, state: "PLACED" } })).filter((r) => !working.has(r.brokerOrderId));
    for (const row of finished) {
      await attempt(`finished order ${row.brokerOrderId}`, async () => {
        const done = row.clientOrderId ? await session.port.fetchOrderByClientId(row.clientOrderId, historySince(session, row.createdAt)) : undefined;
        await this.book.orderSeen(session, done?.id === row.brokerOrderId ? done : orderOf(row));
      });
    }

    const unsettled = await this.prisma.executionLog.findMany({ where: { accountId, kind: "OPEN", status: { in: ["PENDING", "TIMEOUT"] } } });
    for (const log of unsettled) {
      if (session.inflight.has(log.clientOrderId)) continue;
      const working = await this.prisma.order.findFirst({ where: { accountId, clientOrderId: log.clientOrderId, state: "PLACED" } });
      if (working) continue;
      await attempt(`execution ${log.clientOrderId}`, async () => {
        const found = await findOpenFill(session, log.clientOrderId, log.requestedAt);
        if (found) {
          const row = await this.book.positionSeen(session, found.position);
          const fresh = await this.prisma.executionLog.findUniqueOrThrow({ where: { id: log.id } });
          if (fresh.status !== "FILLED") await this.book.settleOpen(session, fresh, row, { ...openFillOf(found), recovered: true });
          return;
        }
        if (found === undefined) {
          // The lookup proves nothing executed: a retry with the same client order id may send it again.
          await this.prisma.executionLog.update({ where: { id: log.id }, data: { status: "REJECTED", errorCode: "TRD_ERR_TIMEOUT", error: "reconciliation found no order or position with this client order id" } });
        }
      });
    }

    await attempt("account", async () => this.book.accountSeen(session, await session.port.fetchAccountInfo(), venueNow));

    const durationMs = Math.round(this.clock.monotonic() - started);
    const status = tally.failed === 0 ? "OK" : tally.synced > 0 ? "PARTIAL" : "FAILED";
    const log = await this.prisma.syncLog.create({
      data: {
        accountId,
        kind,
        startedAt: new Date(startedAt),
        finishedAt: new Date(startedAt + durationMs),
        durationMs,
        itemsSynced: tally.synced,
        itemsFailed: tally.failed,
        status,
        error: tally.problems.length > 0 ? tally.problems.slice(0, 20).join("; ") : null,
        details: { positions: positions.length, orders: orders.length, closedWhileAway: vanished.length, unsettledExecutions: unsettled.length, venueTime: venueNow },
      },
    });
    await this.prisma.brokerAccount.update({ where: { id: accountId }, data: { lastSyncAt: new Date(startedAt + durationMs) } });
    this.bus.publish({
      type: ACCOUNT_SYNCED_EVENT,
      userId: session.userId,
      accountId,
      at: venueNow,
      data: { syncLogId: log.id, kind, status, itemsSynced: tally.synced, itemsFailed: tally.failed, durationMs },
    });
    return log;
  }
}

function orderOf(row: { brokerOrderId: string; clientOrderId: string | null; symbol: string; type: string; volume: { toString(): string }; openPrice: { toString(): string }; createdAt: Date }): BrokerOrder {
  const [side, ...type] = row.type.split("_");
  return {
    id: row.brokerOrderId,
    symbol: row.symbol,
    side: side as "BUY" | "SELL",
    type: type.join("_") as BrokerOrder["type"],
    state: "canceled",
    volume: dec(row.volume.toString()),
    remainingVolume: dec(row.volume.toString()),
    price: dec(row.openPrice.toString()),
    createdAt: row.createdAt.getTime(),
    ...(row.clientOrderId ? { clientOrderId: row.clientOrderId } : {}),
  };
}
