import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scoreMultiplier, slippageMultiplier } from "./lot-multipliers.ts";
import { DEFAULT_LOT_PARAMS as P } from "./lot.config.ts";

describe("scoreMultiplier", () => {
  it("reduces linearly below 60 to the floor at 30, keeps 1 up to 80, and boosts to 1.25 at 100 when slippage is low", () => {
    expect(scoreMultiplier(60, undefined, P)).toBe(1);
    expect(scoreMultiplier(45, undefined, P)).toBeCloseTo(0.625, 12);
    expect(scoreMultiplier(30, undefined, P)).toBe(0.25);
    expect(scoreMultiplier(0, undefined, P)).toBe(0.25);
    expect(scoreMultiplier(80, 0.01, P)).toBe(1);
    expect(scoreMultiplier(90, 0.01, P)).toBeCloseTo(1.125, 12);
    expect(scoreMultiplier(100, 0.05, P)).toBeCloseTo(1.25, 12);
  });

  it("never boosts when slippage is unknown or too high", () => {
    expect(scoreMultiplier(100, undefined, P)).toBe(1);
    expect(scoreMultiplier(100, 0.06, P)).toBe(1);
  });

  it("is non-decreasing in the score for any slippage (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), fc.option(fc.double({ min: -1, max: 1, noNaN: true }), { nil: undefined }), (a, b, slip) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(scoreMultiplier(lo, slip, P)).toBeLessThanOrEqual(scoreMultiplier(hi, slip, P));
      }),
      { seed: 3, numRuns: 300 },
    );
  });
});

describe("slippageMultiplier", () => {
  it("is 1 up to 10% of the SL distance, then keeps risk including slippage constant, down to the floor", () => {
    expect(slippageMultiplier(-0.2, P)).toBe(1);
    expect(slippageMultiplier(0.1, P)).toBe(1);
    expect(slippageMultiplier(0.2, P)).toBeCloseTo(1.1 / 1.2, 12);
    expect(slippageMultiplier(0.2, P) * 1.2).toBeCloseTo(1.1, 12);
    expect(slippageMultiplier(10, P)).toBe(0.25);
  });
});
