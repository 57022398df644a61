import { describe, expect, it } from "vitest";
import { RiskloopError } from "../../core/index.ts";
import { LatencyModel } from "./latency-model.ts";

const lognormal = { kind: "lognormal", medianMs: 80, p95Ms: 400, seed: 1234 } as const;
const draws = (model: LatencyModel, n: number) => Array.from({ length: n }, () => model.draw());

describe("latency model", () => {
  it("draws a fixed latency as given", () => {
    expect(draws(new LatencyModel({ kind: "fixed", ms: 35 }), 3)).toEqual([35, 35, 35]);
  });

  it("reproduces a seeded log-normal sequence, also when resumed from its stored state", () => {
    const a = new LatencyModel(lognormal);
    const first = draws(a, 50);
    expect(draws(new LatencyModel(lognormal), 50)).toEqual(first);
    const resumed = new LatencyModel(lognormal, a.state);
    expect(draws(resumed, 20)).toEqual(draws(a, 20));
    expect(draws(new LatencyModel({ ...lognormal, seed: 1235 }), 50)).not.toEqual(first);
  });

  it("has the requested median and 95th percentile, in whole milliseconds", () => {
    const sorted = draws(new LatencyModel(lognormal), 40_000).sort((x, y) => x - y);
    expect(sorted.every(Number.isInteger)).toBe(true);
    expect(sorted[20_000]).toBeGreaterThanOrEqual(77);
    expect(sorted[20_000]).toBeLessThanOrEqual(83);
    expect(sorted[38_000]).toBeGreaterThanOrEqual(380);
    expect(sorted[38_000]).toBeLessThanOrEqual(420);
    expect(Math.max(...draws(new LatencyModel({ ...lognormal, maxMs: 500 }), 5_000))).toBe(500);
  });

  it("refuses a model that cannot be meant", () => {
    for (const spec of [{ kind: "fixed", ms: -1 }, { kind: "lognormal", medianMs: 100, p95Ms: 50, seed: 1 }, { kind: "lognormal", medianMs: 100, p95Ms: 200, seed: 0.5 }] as const) {
      expect(() => new LatencyModel(spec)).toThrow(RiskloopError);
    }
  });
});
