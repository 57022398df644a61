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
});
