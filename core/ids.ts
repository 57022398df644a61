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
  const b = Buffer.allocUnsafe(16);
  randomBits().copy(b, 6, 0, 10);
  b.writeUIntBE(now, 0, 6);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// One system call fills 4 KiB of randomness for about 400 ids; a fan-out makes several ids per copy.
const POOL = Buffer.alloc(4096);
let used = POOL.length;

/** The next 10 unused random bytes of the pool. */
function randomBits(): Buffer {
  if (used + 10 > POOL.length) {
    randomFillSync(POOL);
    used = 0;
  }
  const bits = POOL.subarray(used, used + 10);
  used += 10;
  return bits;
}
