import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { newId } from "../../core/index.ts";
import { assignVariant, assignmentHash } from "./assignment.ts";

const ACCOUNTS = Array.from({ length: 10_000 }, () => newId());

describe("assignment", () => {
  it("is deterministic: the same experiment and account always get the same arm", () => {
    const exp = newId();
    for (const acc of ACCOUNTS.slice(0, 100)) {
      expect(assignVariant(exp, acc, 0.2)).toBe(assignVariant(exp, acc, 0.2));
      expect(assignmentHash(exp, acc)).toBe(assignmentHash(exp, acc));
    }
    // A fixed vector, so that a change of hash (which would reshuffle live experiments) fails loudly.
    expect(assignmentHash("00000000-0000-7000-8000-000000000001", "00000000-0000-7000-8000-000000000002")).toBeCloseTo(0.4663822329, 9);
  });

  it("puts the pilot share in treatment within binomial tolerance over 10k accounts (property)", () => {
    fc.assert(
      fc.property(fc.uuid(), fc.integer({ min: 1, max: 5000 }).map((k) => k / 10_000), (exp, share) => {
        let treated = 0;
        for (const acc of ACCOUNTS) if (assignVariant(exp, acc, share) === "TREATMENT") treated++;
        const sd = Math.sqrt((share * (1 - share)) / ACCOUNTS.length);
        return Math.abs(treated / ACCOUNTS.length - share) <= 4.5 * sd + 1 / ACCOUNTS.length;
      }),
      { numRuns: 25, seed: 42 },
    );
  });

  it("draws arms independently per experiment", () => {
    const [a, b] = [newId(), newId()];
    let both = 0;
    for (const acc of ACCOUNTS) if (assignVariant(a, acc, 0.5) === "TREATMENT" && assignVariant(b, acc, 0.5) === "TREATMENT") both++;
    // Independent 50/50 arms overlap on a quarter of the accounts (sd 0.0043).
    expect(Math.abs(both / ACCOUNTS.length - 0.25)).toBeLessThan(0.02);
  });

  it("keeps hashes uniform in [0, 1)", () => {
    const exp = newId();
    const deciles = new Array<number>(10).fill(0);
    for (const acc of ACCOUNTS) {
      const h = assignmentHash(exp, acc);
      expect(h).toBeGreaterThanOrEqual(0);
      expect(h).toBeLessThan(1);
      deciles[Math.floor(h * 10)]!++;
    }
    // Chi-square with 9 df stays under 27.9 with probability 0.999.
    const chi = deciles.reduce((s, c) => s + (c - 1000) ** 2 / 1000, 0);
    expect(chi).toBeLessThan(27.9);
  });
});
