import { describe, expect, it } from "vitest";
import { MemoryLane, RETAINED_IDS } from "./memory-lane.ts";

describe("MemoryLane", () => {
  it("is FIFO across compactions", () => {
    const lane = new MemoryLane(1);
    for (let i = 0; i < 5000; i++) lane.push({ jobId: `j${i}`, data: i, attempt: 1 });
    const out: unknown[] = [];
    for (let i = 0; i < 3000; i++) out.push(lane.shift()?.data);
    for (let i = 5000; i < 6000; i++) lane.push({ jobId: `j${i}`, data: i, attempt: 1 });
    while (lane.length > 0) out.push(lane.shift()?.data);
    expect(out).toEqual(Array.from({ length: 6000 }, (_, i) => i));
    expect(lane.shift()).toBeUndefined();
  });

  it("remembers pending ids forever and forgets the oldest finished ids beyond the retention", () => {
    const lane = new MemoryLane(1);
    lane.claim("still-running");
    for (let i = 0; i < RETAINED_IDS + 10; i++) {
      lane.claim(`done-${i}`);
      lane.finish(`done-${i}`);
    }
    expect(lane.has("still-running")).toBe(true);
    expect(lane.has("done-0")).toBe(false);
    expect(lane.has("done-9")).toBe(false);
    expect(lane.has("done-10")).toBe(true);
    expect(lane.has(`done-${RETAINED_IDS + 9}`)).toBe(true);
  });
});
