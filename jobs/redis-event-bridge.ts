import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import type { EventBus, Logger, ServiceEvent } from "../core/index.ts";

interface Envelope {
  origin: string;
  event: ServiceEvent;
}

/**
 * Relays the in-process event bus across processes through Redis pub/sub: every local event is published
 * once, and events from other processes are replayed locally (never echoed back). API processes then stream
 * events that workers produce, and a model promoted anywhere swaps the champion everywhere.
 */
export async function bridgeEventBus(bus: EventBus, redisUrl: string, logger: Logger, channel = "riskloop:events"): Promise<{ close(): Promise<void> }> {
  const origin = randomUUID();
  const pub = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const sub = new Redis(redisUrl, { maxRetriesPerRequest: null });
  for (const c of [pub, sub]) c.on("error", (err) => logger.warn({ err }, "event bridge Redis connection error"));
  const replaying = new WeakSet<ServiceEvent>();

  await sub.subscribe(channel);
  sub.on("message", (_channel: string, raw: string) => {
    try {
      const envelope = JSON.parse(raw) as Envelope;
      if (envelope.origin === origin) return;
      replaying.add(envelope.event);
      bus.publish(envelope.event);
    } catch (err) {
      logger.warn({ err }, "event bridge dropped a malformed message");
    }
  });
  const unsubscribe = bus.subscribe((event) => {
    if (replaying.has(event)) return;
    pub.publish(channel, JSON.stringify({ origin, event } satisfies Envelope)).catch((err: unknown) => logger.warn({ err, type: event.type }, "event bridge could not publish"));
  });
  return {
    async close() {
      unsubscribe();
      await sub.quit().catch(() => sub.disconnect());
      await pub.quit().catch(() => pub.disconnect());
    },
  };
}
