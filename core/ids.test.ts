import { describe, expect, it } from "vitest";
import { newTimeOrderedId } from "./ids.ts";

describe("newTimeOrderedId", () => {
  it("is a valid v7 UUID whose order follows time", () => {
    const a = newTimeOrderedId(1_700_000_000_000);
    const b = newTimeOrderedId(1_700_000_000_001);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a < b).toBe(true);
    expect(parseInt(a.replace(/-/g, "").slice(0, 12), 16)).toBe(1_700_000_000_000);
  });

  it("never repeats, also across refills of its randomness pool (ids of the same millisecond differ in random bits)", () => {
    const ids = Array.from({ length: 5_000 }, () => newTimeOrderedId(1_700_000_000_000));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 50)) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
