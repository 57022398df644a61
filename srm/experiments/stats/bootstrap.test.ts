import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../models/index.ts";
import { bootstrapMeanDifference, clustersOf } from "./bootstrap.ts";
import { welchTTest } from "./welch-t-test.ts";

const close = (a: number | undefined, b: number, rel = 1e-9) => expect(Math.abs(a! - b) / Math.abs(b)).toBeLessThan(rel);

describe("bootstrapMeanDifference", () => {
  const normalSample = (n: number, mu: number, seed: number) => {
    const rng = seededRandom(seed);
    return Array.from({ length: n }, () => mu + rng.normal());
  };
  const singles = (v: number[]) => v.map((x) => ({ sum: x, count: 1 }));

  it("is reproducible for a seed and agrees with the normal-theory interval on a large sample", () => {
    const c = singles(normalSample(2000, 0, 1));
    const t = singles(normalSample(2000, 0.3, 2));
    const a = bootstrapMeanDifference(c, t, { seed: 7 })!;
    expect(bootstrapMeanDifference(c, t, { seed: 7 })).toEqual(a);
    const w = welchTTest(t.map((x) => x.sum), c.map((x) => x.sum))!;
    close(a.estimate, w.meanDifference, 1e-12);
    // Width ≈ 2 × 1.96 standard errors, centred on the estimate, when the mean difference is close to normal.
    close(a.upper - a.lower, 2 * 1.96 * w.standardError, 0.05);
    expect(Math.abs((a.upper + a.lower) / 2 - a.estimate)).toBeLessThan(0.2 * w.standardError);
  });

  it("covers the true difference about 95% of the time", () => {
    let covered = 0;
    const trials = 200;
    for (let i = 0; i < trials; i++) {
      const ci = bootstrapMeanDifference(singles(normalSample(60, 0, 100 + i)), singles(normalSample(60, 0.5, 900 + i)), { resamples: 500, seed: i })!;
      if (ci.lower <= 0.5 && 0.5 <= ci.upper) covered++;
    }
    // Binomial(200, 0.95) stays within ±3σ ≈ ±0.046 of 0.95; the percentile method runs slightly narrow.
    expect(covered / trials).toBeGreaterThan(0.89);
    expect(covered / trials).toBeLessThanOrEqual(0.99);
  });

  it("resamples whole accounts: correlated trades widen the interval", () => {
    // 10 accounts per arm, 30 trades each, sharing a strong per-account effect.
    const rng = seededRandom(5);
    const arm = (mu: number) => {
      const values: number[] = [];
      const ids: string[] = [];
      for (let a = 0; a < 10; a++) {
        const effect = 3 * rng.normal();
        for (let k = 0; k < 30; k++) {
          values.push(mu + effect + 0.5 * rng.normal());
          ids.push(`acc${a}`);
        }
      }
      return { values, ids };
    };
    const c = arm(0);
    const t = arm(0);
    const clustered = bootstrapMeanDifference(clustersOf(c.values, c.ids), clustersOf(t.values, t.ids))!;
    const naive = bootstrapMeanDifference(singles(c.values), singles(t.values))!;
    expect(clustered.upper - clustered.lower).toBeGreaterThan(3 * (naive.upper - naive.lower));
  });
});
