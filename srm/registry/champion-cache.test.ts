import { describe, expect, it } from "vitest";
import { createLogger, LocalEventBus } from "../../core/index.ts";
import { ChampionCache } from "./champion-cache.ts";
import { MODEL_PROMOTED_EVENT, type ModelRegistry } from "./model-registry.ts";

describe("ChampionCache", () => {
  it("stops only once a reload a promotion started is done, so the database can close after it", async () => {
    const bus = new LocalEventBus();
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const reads: string[] = [];
    // A registry whose reads after the start wait until released, as a slow database would.
    let slow = false;
    const registry = {
      champion: async (kind: string) => {
        reads.push(kind);
        if (slow) await released;
        return null;
      },
    } as unknown as ModelRegistry;
    const cache = new ChampionCache(registry, bus, createLogger({ level: "silent" }));
    await cache.start();
    slow = true;
    bus.publish({ type: MODEL_PROMOTED_EVENT, userId: null, at: 0, data: { kind: "slippage" } });
    let stopped = false;
    const stopping = cache.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(reads).toEqual(["score", "slippage", "score", "slippage"]);
  });
});
