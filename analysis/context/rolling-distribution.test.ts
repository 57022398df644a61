import { describe, expect, it } from "vitest";
import { RollingDistribution } from "./rolling-distribution.ts";
import { seededUniform } from "./seeded-uniform.ts";


function bruteMedian(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

describe("RollingDistribution", () => {
  it("agrees with a brute-force window on ranks and medians through growth, ties and expiry", () => {
    const rnd = seededUniform(7);
    const dist = new RollingDistribution(16);
    const window: { time: number; value: number }[] = [];
    let time = 0;
    for (let step = 0; step < 5000; step++) {
      time += Math.floor(rnd() * 5);
      // Values on a coarse grid so ties are common, as with spreads quoted in points.
      const value = Math.round(rnd() * 20) / 10;
      dist.push(time, value);
      window.push({ time, value });
      const cutoff = time - 60;
      dist.expireThrough(cutoff);
      while (window.length > 0 && window[0]!.time <= cutoff) window.shift();
      expect(dist.size).toBe(window.length);
      const probe = Math.round(rnd() * 22) / 10;
      expect(dist.countAtMost(probe)).toBe(window.filter((w) => w.value <= probe).length);
      expect(dist.median()).toBe(bruteMedian(window.map((w) => w.value)));
    }
  });

  it("is empty after expiring everything and ignores NaN", () => {
    const dist = new RollingDistribution();
    dist.push(1, 3);
    dist.push(2, Number.NaN);
    expect(dist.size).toBe(1);
    dist.expireThrough(5);
    expect(dist.size).toBe(0);
    expect(dist.median()).toBeNaN();
  });
});
