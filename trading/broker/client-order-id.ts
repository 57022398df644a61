import { hash } from "node:crypto";

/** Length of ids made by `clientOrderIdFor`: short enough for MetaTrader (26 characters with the comment). */
export const CLIENT_ORDER_ID_LENGTH = 15;

/**
 * A deterministic client order id for an idempotency key (a TradeIntent's `dedupKey` plus the action):
 * the same key always gives the same id, so a retry after a crash is recognised by the venue lookup.
 * "RL" + 13 base-36 characters of SHA-256 (64 bits).
 */
export function clientOrderIdFor(key: string): string {
  // One-shot hash: a Hash object per id costs twice as much, and a fan-out makes one per copy.
  return `RL${BigInt(`0x${hash("sha256", key, "hex").slice(0, 16)}`).toString(36).toUpperCase().padStart(13, "0")}`;
}
