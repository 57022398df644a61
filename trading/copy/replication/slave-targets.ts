import { CoreErrors, Decimal, RiskloopError, dec, type Side } from "../../../core/index.ts";
import type { ExecutionLog, Order, Position, PrismaClient } from "../../../prisma/index.ts";
import { clientOrderIdFor } from "../../broker/index.ts";
import type { BrokerSession } from "../../sessions/index.ts";
import { copyDedupKey, eventIds } from "../master-signal.ts";

/** The accounts of a link, as the lookups need them. */
export interface LinkAccounts {
  id: string;
  masterAccountId: string;
  slaveAccountId: string;
}

/**
 * The slave's positions copying a master position: linked to it, opened under the copy's client order id, or
 * filled by one of its copies (a netting slave nets copies of several master positions into one position).
 */
function copiesWhere(link: LinkAccounts, masterPositionId: string, status: { status?: "OPEN" }) {
  return {
    accountId: link.slaveAccountId,
    ...status,
    OR: [
      { copyLinkId: link.id, masterPositionId },
      { clientOrderId: copyClientOrderId(link, eventIds.open(masterPositionId), "OPEN") },
      { executions: { some: { kind: "OPEN" as const, status: "FILLED" as const, intent: { copyLinkId: link.id, masterPositionId } } } },
    ],
  };
}

/**
 * The dedup key of an exit or modification of one copy: the event's own key for the first copy of the master
 * position, the key and the position's id for copies of later additions, so every copy keeps one key whichever
 * copies are still open when an attempt is repeated.
 */
export function copyExitKey(base: string, position: { id: string }, first: { id: string } | null): string {
  return first === null || position.id === first.id ? base : `${base}:${position.id}`;
}

/** The client order id execution gives an intent (`clientOrderIdFor(dedupKey:kind)`), so copies can be found by it. */
export function copyClientOrderId(link: LinkAccounts, eventId: string, kind: string): string {
  return clientOrderIdFor(`${copyDedupKey(link.masterAccountId, eventId, link.slaveAccountId)}:${kind}`);
}

/**
 * Finds what a link's slave holds for a master position or order: by the link and master position recorded on
 * the slave's position, and else by the deterministic client order id of the copy (which survives a decision
 * replayed without those fields), and chooses the dedup key of an exit or modification.
 */
export class SlaveTargets {
  constructor(private readonly prisma: PrismaClient) {}

  /** The slave's position copying `masterPositionId` (open only, unless `any`). */
  copyOf(link: LinkAccounts, masterPositionId: string, opts: { any?: boolean } = {}): Promise<Position | null> {
    return this.prisma.position.findFirst({ where: copiesWhere(link, masterPositionId, opts.any ? {} : { status: "OPEN" }), orderBy: { openedAt: "asc" } });
  }

  /**
   * Every slave position copying `masterPositionId`: the first copy ever made (open or not) and the open ones,
   * oldest first. A master that adds to a netting position has one copy per addition on a hedging slave.
   */
  async copiesOf(link: LinkAccounts, masterPositionId: string): Promise<{ first: Position | null; open: Position[] }> {
    const all = await this.prisma.position.findMany({ where: copiesWhere(link, masterPositionId, {}), orderBy: [{ openedAt: "asc" }, { id: "asc" }] });
    return { first: all[0] ?? null, open: all.filter((p) => p.status === "OPEN") };
  }

  /**
   * What a slave position holds, per link and master position it copies: its filled copies' lots, those on the
   * position's side less those against it (exits, and opposite copies a netting broker offset against it). A
   * netting slave nets every copy on a symbol (of any master position or link) into one position.
   */
  async sharesOf(position: { id: string; side: Side }): Promise<{ linkId: string; masterPositionId: string; lots: Decimal }[]> {
    const fills = await this.prisma.executionLog.findMany({
      where: { positionId: position.id, status: "FILLED", kind: { in: ["OPEN", "CLOSE"] }, intent: { copyLinkId: { not: null }, masterPositionId: { not: null } } },
      select: { side: true, volume: true, intent: { select: { copyLinkId: true, masterPositionId: true } } },
    });
    const shares = new Map<string, { linkId: string; masterPositionId: string; lots: Decimal }>();
    for (const f of fills) {
      const { copyLinkId, masterPositionId } = f.intent!;
      const key = `${copyLinkId}|${masterPositionId}`;
      const share = shares.get(key) ?? shares.set(key, { linkId: copyLinkId!, masterPositionId: masterPositionId!, lots: dec(0) }).get(key)!;
      share.lots = share.lots.plus(dec(f.volume.toString()).mul(f.side === position.side ? 1 : -1));
    }
    return [...shares.values()];
  }

  /** This link's master position's lots in a slave position that also holds other copies (`sharesOf`); null when it holds only this one's. */
  async shareOf(link: LinkAccounts, masterPositionId: string, position: { id: string; side: Side }): Promise<Decimal | null> {
    let mine = dec(0);
    let others = dec(0);
    for (const s of await this.sharesOf(position)) {
      if (s.linkId === link.id && s.masterPositionId === masterPositionId) mine = mine.plus(s.lots);
      else others = others.plus(s.lots);
    }
    return others.gt(0) ? Decimal.max(mine, 0) : null;
  }

  /** The slave's copy of a master pending order (any state). */
  orderCopyOf(link: LinkAccounts, masterOrderId: string): Promise<Order | null> {
    return this.prisma.order.findFirst({ where: { accountId: link.slaveAccountId, clientOrderId: copyClientOrderId(link, eventIds.order(masterOrderId), "OPEN") } });
  }

  /** The position a copied pending order opened at the slave's venue. */
  positionOfOrder(link: LinkAccounts, masterOrderId: string): Promise<Position | null> {
    return this.prisma.position.findFirst({ where: { accountId: link.slaveAccountId, clientOrderId: copyClientOrderId(link, eventIds.order(masterOrderId), "OPEN") } });
  }

  /**
   * The dedup key to send an exit or modification under. SRM answers a replayed key with the stored decision,
   * which has no position id and so cannot be executed again; a key decided before but never carried out is
   * therefore followed by a next generation (`…:g1`). Done when a generation already executed; a partial close
   * whose request may have executed is looked up at the venue first, so it is never sent twice.
   */
  async exitKey(session: BrokerSession, base: string, kind: "CLOSE" | "CLOSE_PARTIAL" | "MODIFY"): Promise<{ key: string; done?: undefined } | { done: ExecutionLog; key?: undefined }> {
    for (let g = 0; g < 50; g++) {
      const key = g === 0 ? base : `${base}:g${g}`;
      if ((await this.prisma.tradeIntent.count({ where: { dedupKey: key } })) === 0) return { key };
      const id = clientOrderIdFor(`${key}:${kind}`);
      const log = await this.prisma.executionLog.findUnique({ where: { clientOrderId: id } });
      if (log && (log.status === "FILLED" || log.status === "CANCELLED")) return { done: log };
      if (log && (log.status === "PENDING" || log.status === "TIMEOUT") && kind !== "MODIFY") {
        const order = await session.port.fetchOrderByClientId(id);
        if (order?.state === "filled") return { done: log };
        if (order && !["canceled", "rejected", "expired"].includes(order.state)) {
          throw new RiskloopError(CoreErrors.CORE_ERR_UNAVAILABLE, `the exit ${id} is still working at the venue`, { clientOrderId: id });
        }
      }
    }
    throw new RiskloopError(CoreErrors.CORE_ERR_CONFLICT, `too many attempts at ${base}`, { dedupKey: base });
  }
}
