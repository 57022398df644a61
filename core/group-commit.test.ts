import { describe, expect, it } from "vitest";
import { GroupCommit } from "./group-commit.ts";

describe("GroupCommit", () => {
  it("commits a burst of writes as one batch and answers each caller in order", async () => {
    const batches: number[][] = [];
    const g = new GroupCommit<number, number>(async (items) => {
      batches.push(items);
      return items.map((x) => x * 10);
    });
    const results = await Promise.all([1, 2, 3, 4].map((x) => g.submit(x)));
    expect(results).toEqual([10, 20, 30, 40]);
    expect(batches).toEqual([[1, 2, 3, 4]]);
  });

  it("queues writes that arrive during a commit into the next batch, never into the running one", async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const g = new GroupCommit<number, number>(async (items) => {
      batches.push(items);
      if (batches.length === 1) await gate;
      return items;
    });
    const first = g.submit(1);
    await new Promise((r) => setImmediate(r));
    const later = [g.submit(2), g.submit(3)];
    release();
    expect(await Promise.all([first, ...later])).toEqual([1, 2, 3]);
    expect(batches).toEqual([[1], [2, 3]]);
  });

  it("holds batches while its gate is closed, gathering what arrives meanwhile into one", async () => {
    const batches: number[][] = [];
    let open!: () => void;
    const closed = new Promise<void>((r) => (open = r));
    let gate: Promise<void> | undefined = closed;
    const g = new GroupCommit<number, number>(
      async (items) => {
        batches.push(items);
        return items;
      },
      { gate: () => gate },
    );
    const first = g.submit(1);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    const later = g.submit(2);
    expect(batches).toEqual([]);
    gate = undefined;
    open();
    expect(await Promise.all([first, later])).toEqual([1, 2]);
    expect(batches).toEqual([[1, 2]]);
  });

  it("fails every write of a failed batch and goes on with the next", async () => {
    let calls = 0;
    const g = new GroupCommit<number, number>(async (items) => {
      calls++;
      if (calls === 1) throw new Error("database gone");
      return items;
    });
    const failed = [g.submit(1), g.submit(2)];
    await expect(Promise.all(failed)).rejects.toThrow("database gone");
    await expect(failed[1]).rejects.toThrow("database gone");
    expect(await g.submit(3)).toBe(3);
  });

  it("splits a burst larger than the batch limit", async () => {
    const sizes: number[] = [];
    const g = new GroupCommit<number, number>(async (items) => {
      sizes.push(items.length);
      return items;
    }, { maxBatch: 3 });
    await Promise.all([1, 2, 3, 4, 5, 6, 7].map((x) => g.submit(x)));
    expect(sizes).toEqual([3, 3, 1]);
  });

  it("with start now, commits the first caller without waiting for the loop to turn and gathers the rest behind it", async () => {
    const batches: number[][] = [];
    const g = new GroupCommit<number, number>(async (items) => {
      batches.push(items);
      return items;
    }, { start: "now" });
    // A chain of microtasks that never yields to the event loop, as in-process database answers are.
    let turned = false;
    setImmediate(() => (turned = true));
    const first = g.submit(1);
    let chain = Promise.resolve();
    for (let i = 0; i < 1000; i++) chain = chain.then(() => undefined);
    const results = await Promise.all([first, chain.then(() => g.submit(2)), chain.then(() => g.submit(3))]);
    expect(results).toEqual([1, 2, 3]);
    expect(turned).toBe(false);
    expect(batches).toEqual([[1], [2, 3]]);

    // The default waits for the turn, so the same burst shares one batch.
    const turnBatches: number[][] = [];
    const t = new GroupCommit<number, number>(async (items) => {
      turnBatches.push(items);
      return items;
    });
    let later = Promise.resolve();
    for (let i = 0; i < 1000; i++) later = later.then(() => undefined);
    await Promise.all([t.submit(1), later.then(() => t.submit(2))]);
    expect(turnBatches).toEqual([[1, 2]]);
  });
});
