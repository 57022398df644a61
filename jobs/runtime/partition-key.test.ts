import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { partitionOf } from "./partition-key.ts";

describe("partitionOf", () => {
  it("is 32-bit FNV-1a over UTF-8, so other languages and versions agree", () => {
    // Reference values of FNV-1a 32: "" → 0x811c9dc5, "a" → 0xe40c292c, "foobar" → 0xbf9cf968.
    expect(partitionOf("", 2 ** 31)).toBe(0x811c9dc5 % 2 ** 31);
    expect(partitionOf("a", 2 ** 31)).toBe(0xe40c292c % 2 ** 31);
    expect(partitionOf("foobar", 2 ** 31)).toBe(0xbf9cf968 % 2 ** 31);
    expect(partitionOf("ü", 1000)).not.toBe(partitionOf("u", 1000));
  });

  it("always lands in [0, n) and is deterministic", () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 1024 }), (key, n) => {
        const p = partitionOf(key, n);
        return Number.isInteger(p) && p >= 0 && p < n && p === partitionOf(key, n);
      }),
      { seed: 20240102 },
    );
  });

  it("spreads account ids evenly over the lanes", () => {
    const counts = new Array<number>(16).fill(0);
    for (let i = 0; i < 16_000; i++) counts[partitionOf(`acct-${i}`, 16)]!++;
    // Chi-square with 15 degrees of freedom; 37.7 is the 0.1% critical value.
    const chi = counts.reduce((sum, c) => sum + (c - 1000) ** 2 / 1000, 0);
    expect(chi).toBeLessThan(37.7);
  });
});
