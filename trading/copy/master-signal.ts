import type { Side } from "../../core/index.ts";

/** What a master did, as the copy engine copies it. */
export type SignalKind = "OPEN" | "INCREASE" | "CLOSE" | "CLOSE_PARTIAL" | "MODIFY" | "ORDER_PLACED" | "ORDER_MODIFIED" | "ORDER_CANCELLED";

/**
 * One master event normalised for copying, JSON-safe (it travels through the job queue): prices and volumes
 * as decimal strings, times in epoch ms of the master's venue. `eventId` is stable for the event however it
 * is observed (live, after a reconnect, by repair), so every path yields the same dedup keys.
 */
export interface MasterSignal {
  eventId: string;
  kind: SignalKind;
  masterAccountId: string;
  symbol: string;
  /** The master position's (or order's) side. */
  side: Side;
  /** Lots opened (OPEN, ORDER_*), added (INCREASE), closed (CLOSE, CLOSE_PARTIAL) or held (MODIFY). */
  volume: string;
  /** The master's fill price (open, the added lots of an INCREASE, close) or the pending order's price. */
  price?: string;
  stopLoss?: string;
  takeProfit?: string;
  masterPositionId?: string;
  masterOrderId?: string;
  /** CLOSE_PARTIAL: the fraction of the master position closed, in (0, 1). */
  closedShare?: string;
  orderType?: "LIMIT" | "STOP" | "STOP_LIMIT";
  stopLimitPrice?: string;
  /** The master's venue time of the event, and when the adapter received it. */
  time: number;
  receivedAt: number;
  /** The master's money when the event was seen (ratio lot scaling); null when not known yet. */
  master: { balance: string; equity: string } | null;
}

/** Kinds that open exposure on the slave; the others follow what is already open. */
export const OPENING_KINDS: ReadonlySet<SignalKind> = new Set(["OPEN", "INCREASE", "ORDER_PLACED"]);

/** The idempotency key of one master event on one slave: the SRM intent's dedup key and, through it, the client order id. */
export function copyDedupKey(masterAccountId: string, eventId: string, slaveAccountId: string): string {
  return `copy:${masterAccountId}:${eventId}:${slaveAccountId}`;
}

/** The persisted signal's dedup key (one row per master event, written before fan-out). */
export function signalDedupKey(masterAccountId: string, eventId: string): string {
  return `copy-signal:${masterAccountId}:${eventId}`;
}

/** Event ids: dots only, so they can be part of queue job ids (which may not contain ":"). */
export const eventIds = {
  open: (positionId: string) => `open.${positionId}`,
  close: (positionId: string) => `close.${positionId}`,
  partial: (positionId: string, remaining: string) => `partial.${positionId}.${remaining}`,
  /** A netting position grown to `volume` by the deal the venue stamped `updateTime`. */
  increase: (positionId: string, volume: string, updateTime: number) => `increase.${positionId}.${volume}.${updateTime}`,
  modify: (positionId: string, updateTime: number, sl: string | undefined, tp: string | undefined) => `modify.${positionId}.${updateTime}.${sl ?? "-"}_${tp ?? "-"}`,
  order: (orderId: string) => `order.${orderId}`,
  orderModify: (orderId: string, time: number, price: string | undefined, sl: string | undefined, tp: string | undefined) =>
    `ordermod.${orderId}.${time}.${price ?? "-"}_${sl ?? "-"}_${tp ?? "-"}`,
  orderCancel: (orderId: string) => `ordercancel.${orderId}`,
};
