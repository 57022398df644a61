import { randomFillSync, randomUUID } from "node:crypto";

/** A new random identifier (UUID v4) for rows created by the service. */
export function newId(): string {
  return randomUUID();
}

/**
 * A time-ordered UUID v7 (RFC 9562): inserts of ids made in order append to the primary-key index, which
 * matters for high-volume tables such as decisions and intents.
 */
export function newTimeOrderedId(now = Date.now()): string {
  if (used + 10 > POOL.length) refill();
  const r = used;
  used += 10;
  // Written from a byte→hex table: a decision, an intent and an execution each take one on a copy's way out.
  const t = now.toString(16).padStart(12, "0");
  return (
    `${t.slice(0, 8)}-${t.slice(8, 12)}-${HEX[(POOL[r]! & 0x0f) | 0x70]}${HEX[POOL[r + 1]!]}-${HEX[(POOL[r + 2]! & 0x3f) | 0x80]}${HEX[POOL[r + 3]!]}-` +
    `${HEX[POOL[r + 4]!]}${HEX[POOL[r + 5]!]}${HEX[POOL[r + 6]!]}${HEX[POOL[r + 7]!]}${HEX[POOL[r + 8]!]}${HEX[POOL[r + 9]!]}`
  );
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

// One system call fills 4 KiB of randomness for about 400 ids; a fan-out makes several ids per copy.
const POOL = Buffer.alloc(4096);
let used = POOL.length;

function refill(): void {
  randomFillSync(POOL);
  used = 0;
}
