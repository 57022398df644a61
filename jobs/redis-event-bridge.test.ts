import { afterEach, describe, expect, it } from "vitest";
import { createLogger, LocalEventBus, type ServiceEvent } from "../core/index.ts";
import { eventually } from "../test/kit/eventually.ts";
import { REDIS_URL, serviceAvailable } from "../test/kit/services.ts";
import { bridgeEventBus } from "./redis-event-bridge.ts";

const available = await serviceAvailable("redis");
const logger = createLogger({ level: "silent" });

describe.skipIf(!available)("Redis event bridge", () => {
  const closers: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((c) => c.close()));
  });

  it("delivers an event published in one process to the others, exactly once, without echo", async () => {
    const channel = `riskloop:test:${Date.now()}:${Math.random()}`;
    const a = new LocalEventBus();
    const b = new LocalEventBus();
    const c = new LocalEventBus();
    for (const bus of [a, b, c]) closers.push(await bridgeEventBus(bus, REDIS_URL, logger, channel));
    const seen = { a: [] as ServiceEvent[], b: [] as ServiceEvent[], c: [] as ServiceEvent[] };
    a.subscribe((e) => seen.a.push(e));
    b.subscribe((e) => seen.b.push(e));
    c.subscribe((e) => seen.c.push(e));

    a.publish({ type: "model.promoted", userId: null, at: 1, data: { kind: "slippage", version: "v2" } });
    b.publish({ type: "srm.decision", userId: "u1", at: 2, data: { id: "d1" } });
    await eventually(() => {
      expect(seen.b.map((e) => e.type).sort()).toEqual(["model.promoted", "srm.decision"]);
      expect(seen.c.map((e) => e.type).sort()).toEqual(["model.promoted", "srm.decision"]);
      expect(seen.a.map((e) => e.type).sort()).toEqual(["model.promoted", "srm.decision"]);
    });
    expect(seen.c.find((e) => e.type === "model.promoted")?.data).toEqual({ kind: "slippage", version: "v2" });
  });
});
