import { describe, expect, it } from "vitest";
import { CLIENT_ORDER_ID_LENGTH, clientOrderIdFor } from "./client-order-id.ts";

describe("clientOrderIdFor", () => {
  it("is deterministic, fixed-length and distinct per key", () => {
    const ids = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const id = clientOrderIdFor(`intent-${i}:OPEN`);
      expect(id).toHaveLength(CLIENT_ORDER_ID_LENGTH);
      expect(id).toMatch(/^RL[0-9A-Z]{13}$/);
      ids.add(id);
    }
    expect(ids.size).toBe(2000);
    expect(clientOrderIdFor("intent-7:OPEN")).toBe(clientOrderIdFor("intent-7:OPEN"));
  });

  it("never changes for a key: orders already at a broker are found again by it", () => {
    // SHA-256 of the key, first 64 bits in base 36.
    expect(clientOrderIdFor("copy:m1:evt-42:s7:OPEN")).toBe("RL18FLQ1QEQ7HTG");
  });
});
