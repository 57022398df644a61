import { describe, expect, it } from "vitest";
import { columnsKey, empiricalQuantiles, globalQuantileBaseline, groupQuantileBaseline } from "./baselines.ts";
import { createDataset } from "./dataset.ts";

describe("baselines", () => {
  // Column 0 is a group id; group 1 slips 0..9 pips, group 2 slips 100..109.
  const rows = Array.from({ length: 20 }, (_, i) => [i < 10 ? 1 : 2, i]);
  const train = createDataset(
    Float32Array.from(rows.flat()),
    Float32Array.from({ length: 20 }, (_, i) => (i < 10 ? i : 100 + i - 10)),
    ["group", "idx"],
  );

  it("empirical quantiles interpolate between order statistics", () => {
    expect([...empiricalQuantiles([3, 1, 2, 4], [0.5, 0.9])]).toEqual([2.5, 3.7]);
    expect([...empiricalQuantiles([7], [0.1, 0.9])]).toEqual([7, 7]);
  });

  it("the global baseline answers the training quantiles for any row", () => {
    const p = globalQuantileBaseline(train);
    const out = new Float64Array(2);
    p.predictInto([2, 0], out);
    expect([...out]).toEqual([...empiricalQuantiles(train.y, [0.5, 0.9])]);
    expect(p.predictBatch(new Float32Array([1, 0, 9, 9]), 2)).toEqual(Float64Array.from([...out, ...out]));
  });

  it("the group baseline answers each group's quantiles and falls back to global for unseen groups", () => {
    const p = groupQuantileBaseline(train, columnsKey([0]));
    const out = new Float64Array(2);
    p.predictInto([1, 0], out);
    expect([...out]).toEqual([4.5, 8.1]);
    p.predictInto([2, 0], out);
    expect([...out]).toEqual([104.5, 108.1]);
    p.predictInto([3, 0], out);
    expect([...out]).toEqual([...empiricalQuantiles(train.y, [0.5, 0.9])]);
    expect(p.predictBatch(new Float32Array([1, 0, 2, 0]), 2)).toEqual(new Float64Array([4.5, 8.1, 104.5, 108.1]));
  });

  it("groups smaller than minGroupSize use the global quantiles", () => {
    const p = groupQuantileBaseline(train, columnsKey([0]), { minGroupSize: 11 });
    const out = new Float64Array(2);
    p.predictInto([1, 0], out);
    expect([...out]).toEqual([...empiricalQuantiles(train.y, [0.5, 0.9])]);
  });

  it("validates rows like a model does", () => {
    const p = globalQuantileBaseline(train);
    expect(() => p.predictInto([1], new Float64Array(2))).toThrow(/expected d = 2/);
    expect(() => p.predictInto([1, Number.POSITIVE_INFINITY], new Float64Array(2))).toThrow(/column 1 is Infinity/);
  });
});
