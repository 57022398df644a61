import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dec, floorToStep, roundToDigits } from "./decimal.ts";

describe("decimal", () => {
  it("floors volumes to the step exactly (no binary float error)", () => {
    expect(floorToStep("0.29", "0.01").toString()).toBe("0.29");
    expect(floorToStep("0.299", "0.01").toString()).toBe("0.29");
    expect(floorToStep("1.7", "0.5").toString()).toBe("1.5");
  });

  it("never rounds a volume up", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.constantFrom("0.01", "0.1", "1"), (n, step) => {
        const v = dec(n).div(10_000);
        const f = floorToStep(v, step);
        return f.lte(v) && v.minus(f).lt(step) && f.div(step).isInteger();
      }),
    );
  });

  it("rounds prices to the symbol's digits half-even", () => {
    expect(roundToDigits("1.123455", 5).toString()).toBe("1.12346");
    expect(roundToDigits("1.123445", 5).toString()).toBe("1.12344");
  });
});
