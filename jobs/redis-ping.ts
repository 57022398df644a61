import { Redis } from "ioredis";

/**
 * A readiness probe for Redis: one lazily connected client that answers PING within a short timeout and
 * never retries in the background (a readiness check must report, not hang).
 */
export function redisPing(url: string): { ping(): Promise<void>; close(): Promise<void> } {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: 1000, retryStrategy: () => null });
  client.on("error", () => {});
  return {
    async ping() {
      if (client.status !== "ready") await client.connect().catch(() => {});
      const reply = await Promise.race([
        client.ping(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error("Redis did not answer within 1 s")), 1000).unref()),
      ]);
      if (reply !== "PONG") throw new Error(`unexpected Redis reply ${reply}`);
    },
    async close() {
      client.disconnect();
    },
  };
}
