import { describe, expect, it } from "vitest";
import { dec } from "../../core/index.ts";
import { anIntent } from "../../test/kit/builders.ts";
import { approve, isApproved } from "./approved-decision.ts";

const fields = () => ({
  decisionId: "d-1",
  intent: anIntent(),
  userId: "u-1",
  lot: dec("0.30"),
  stopLoss: undefined,
  takeProfit: undefined,
  predictedSlippageP50: 0.2,
  predictedSlippageP90: 0.9,
  providerScore: null,
  decidedAt: 1,
});

describe("approve / isApproved", () => {
  it("passes only the object SRM issued: not a spread copy, a prototype copy or a deserialised one", () => {
    const a = approve(fields());
    expect(isApproved(a)).toBe(true);
    expect(isApproved({ ...a })).toBe(false);
    expect(isApproved(Object.create(Object.getPrototypeOf(a) as object))).toBe(false);
    expect(isApproved(JSON.parse(JSON.stringify(a)))).toBe(false);
    expect(isApproved(fields())).toBe(false);
    expect(isApproved(null)).toBe(false);
    expect(isApproved("d-1")).toBe(false);
  });

  it("cannot be changed after it is issued, and carries the hot-path terms only when given", () => {
    const a = approve(fields());
    expect(Object.isFrozen(a)).toBe(true);
    expect(() => Object.assign(a, { lot: dec("5") })).toThrow(TypeError);
    expect(a.lot.toString()).toBe("0.3");
    expect("stored" in a || "mayHaveBeenSent" in a).toBe(false);
    const stored = Promise.resolve();
    const hot = approve({ ...fields(), stored, mayHaveBeenSent: true });
    expect(hot.stored).toBe(stored);
    expect(hot.mayHaveBeenSent).toBe(true);
  });
});
