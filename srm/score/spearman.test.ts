import { describe, expect, it } from "vitest";
import { normalCdf, normalPdf } from "./normal-distribution.ts";
import { averageRanks, pearson, spearman } from "./spearman.ts";

describe("rank statistics", () => {
  it("gives tied values their average rank", () => {
    expect([...averageRanks([10, 20, 20, 30])]).toEqual([1, 2.5, 2.5, 4]);
    expect([...averageRanks([3, 1, 2])]).toEqual([3, 1, 2]);
  });

  it("matches a hand-computed Spearman ρ with ties (8/√95)", () => {
    expect(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(8 / Math.sqrt(95), 12);
  });

  it("is ±1 for monotone data, unchanged by monotone transforms, and null when undefined", () => {
    const x = [0.3, 1.2, 5, 9, 40];
    expect(spearman(x, x.map((v) => Math.exp(v / 10)))).toBeCloseTo(1, 12);
    expect(spearman(x, x.map((v) => -v * v))).toBeCloseTo(-1, 12);
    expect(spearman([1, 2, 3], [4, 4, 4])).toBeNull();
    expect(spearman([1], [2])).toBeNull();
    expect(() => spearman([1, 2], [1])).toThrow(/length/);
  });

  it("computes Pearson's r", () => {
    expect(pearson([1, 2, 3, 4], [2, 4, 6, 8.5])).toBeCloseTo(0.99838143945703, 12);
  });

  it("approximates the normal distribution within 1.5e-7", () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.15865525393145707, 6);
    expect(normalPdf(0)).toBeCloseTo(0.3989422804014327, 12);
  });
});
