const encoder = new TextEncoder();

/**
 * The lane of `key` among `partitions`: 32-bit FNV-1a over the key's UTF-8 bytes, modulo the count. Stable
 * across processes, machines and Node versions, so every producer sends one key to one lane.
 */
export function partitionOf(key: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (const byte of encoder.encode(key)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitions;
}
