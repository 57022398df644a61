import { describe, expect, it } from "vitest";
import { heteroscedasticDataset, runModelFamilyConformance } from "../../test/conformance/model-family.ts";
import { DensePredictor } from "../dense-predictor.ts";
import { linearQuantileFamily } from "./linear-quantile-family.ts";

runModelFamilyConformance(linearQuantileFamily);

describe("linear-quantile", () => {
  it("recovers the true conditional-quantile coefficients", async () => {
    const ds = heteroscedasticDataset(20_000, 5);
    const fitted = await linearQuantileFamily.fit(ds, { seed: 1, quantiles: [0.5, 0.9] });
    // True quantile: 1 + 2a − b + (0.3 + 1.5u)·z_τ, z_0.5 = 0, z_0.9 = 1.2816.
    const out = new Float64Array(2);
    const at = (a: number, b: number, u: number): [number, number] => {
      fitted.predictor.predictInto([a, b, u, 0], out);
      return [out[0] as number, out[1] as number];
    };
    for (const [a, b, u] of [[0, 0, 0.5], [0.8, -0.5, 0.1], [-0.6, 0.7, 0.9]] as const) {
      const [p50, p90] = at(a, b, u);
      // Sampling error of the coefficients at n = 20,000 is about 0.02 each.
      expect(Math.abs(p50 - (1 + 2 * a - b))).toBeLessThan(0.1);
      expect(Math.abs(p90 - (1 + 2 * a - b + (0.3 + 1.5 * u) * 1.2816))).toBeLessThan(0.1);
    }
  });

  it("rearranges crossing quantile lines so outputs stay ordered", () => {
    // Two lines crossing at x = 0: the 0.9 line lies below the 0.5 line for x > 0.
    const p = new DensePredictor({
      familyId: "linear-quantile",
      quantiles: [0.5, 0.9],
      featureNames: ["x"],
      standardiser: { mean: new Float64Array([0]), scale: new Float64Array([1]) },
      layers: [{ kernel: new Float32Array([1, -1]), bias: new Float32Array([0, 0]), inputs: 1, units: 2, activation: "linear" }],
      head: "sorted",
      target: { shift: 0, scale: 1 },
    });
    const out = new Float64Array(2);
    p.predictInto([2], out);
    expect([...out]).toEqual([-2, 2]);
    p.predictInto([-3], out);
    expect([...out]).toEqual([-3, 3]);
  });
});
