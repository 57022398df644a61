import type { Decimal } from "../../core/index.ts";
import type { BrokerOrder, BrokerPosition } from "../broker/index.ts";
import type { BrokerSession } from "./broker-session.ts";

/** What the venue holds for an opening order: the position it opened, or the one a netting account filled it into (with the order). */
export interface OpenFillFound {
  position: BrokerPosition;
  order?: BrokerOrder;
}

/**
 * The `since` of a venue history lookup for something requested at `at` (wall clock). It is on the venue's clock:
 * on a live venue a minute before `at` (a broker's clock may be off); a paper venue replaying recorded time runs
 * years behind, so its whole (in-memory) history is searched.
 */
export function historySince(session: BrokerSession, at: Date): { since?: number } {
  return Math.abs(session.now() - Date.now()) < 60_000 ? { since: at.getTime() - 60_000 } : {};
}

/**
 * Looks an opening order up at the venue by its client order id: the position it opened, else the position a
 * netting account filled it into (another order opened and named that one). Undefined when the venue proves it
 * never executed; null when it may still, or did into a position no longer open (the caller cannot tell).
 */
export async function findOpenFill(session: BrokerSession, clientOrderId: string, requestedAt: Date): Promise<OpenFillFound | undefined | null> {
  const position = await session.port.fetchPositionByClientId(clientOrderId);
  if (position) return { position };
  const order = await session.port.fetchOrderByClientId(clientOrderId, historySince(session, requestedAt));
  if (!order || order.state === "canceled" || order.state === "rejected" || order.state === "expired") return undefined;
  if (order.state === "filled" && order.positionId) {
    const into = (await session.port.fetchPositions()).find((p) => p.id === order.positionId);
    if (into) return { position: into, order };
  }
  return null;
}

/** The fill of a found order: the order's own when a netting account filled it into another position, else the position's. */
export function openFillOf(found: OpenFillFound): { price: Decimal; volume: Decimal; time: number } {
  const o = found.order;
  if (o?.price && o.doneAt !== undefined) return { price: o.price, volume: o.volume, time: o.doneAt };
  return { price: found.position.openPrice, volume: found.position.volume, time: found.position.openTime };
}
