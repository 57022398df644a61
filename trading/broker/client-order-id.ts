import { createHash } from "node:crypto";

/** Length of ids made by `clientOrderIdFor`: short enough for MetaTrader (26 characters with the comment). */
export const CLIENT_ORDER_ID_LENGTH = 15;

/**
 * A deterministic client order id for an idempotency key (a TradeIntent's `dedupKey` plus the action):
 * the same key always gives the same id, so a retry after a crash is recognised by the venue lookup.
 * "RL" + 13 base-36 characters of SHA-256 (64 bits).
 */
export function clientOrderIdFor(key: string): string {
  const digest = createHash("sha256").update(key, "utf8").digest();
  return `RL${digest.readBigUInt64BE(0).toString(36).toUpperCase().padStart(13, "0")}`;
}
