import { describe, expect, it } from "vitest";
import { HotPath } from "./hot-path.ts";

const settled = async (p: Promise<void> | undefined) => {
  let done = false;
  void p?.then(() => (done = true));
  await new Promise((r) => setImmediate(r));
  return p === undefined || done;
};

describe("HotPath", () => {
  it("lets deferrable work go at once while nothing is hot", async () => {
    const hot = new HotPath();
    expect(hot.calm()).toBeUndefined();
  });

  it("holds deferrable work until the last hot work leaves", async () => {
    const hot = new HotPath(10_000);
    const first = hot.begin();
    const second = hot.begin();
    const waiting = hot.calm();
    first();
    expect(await settled(waiting)).toBe(false);
    second();
    expect(await settled(waiting)).toBe(true);
    expect(hot.hot).toBe(false);
  });

  it("bounds the wait, so work that hot work waits for cannot be held forever", async () => {
    const hot = new HotPath(20);
    hot.begin();
    const started = Date.now();
    await hot.calm();
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    expect(hot.hot).toBe(true);
  });

  it("holds nothing once the process has been hot for too long on end (sustained load, or a begin never ended)", async () => {
    const hot = new HotPath(10_000, 20);
    hot.begin();
    expect(hot.calm()).toBeInstanceOf(Promise);
    await new Promise((r) => setTimeout(r, 30));
    expect(hot.calm()).toBeUndefined();
  });

  it("ends each piece of hot work once, however often its end is called", async () => {
    const hot = new HotPath(10_000);
    const first = hot.begin();
    const second = hot.begin();
    first();
    first();
    expect(hot.hot).toBe(true);
    second();
    expect(hot.hot).toBe(false);
    second();
    hot.begin();
    expect(hot.hot).toBe(true);
  });
});
