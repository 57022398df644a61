import { describe, expect, it } from "vitest";
import { coverage, maeP50, pinballLoss, scoreQuantiles, withinHalfPip } from "./metrics.ts";

describe("quantile metrics", () => {
  const y = [0, 1, 2, 10];
  // Rows: (p50, p90) per actual value.
  const pred = new Float64Array([0, 1, 2, 2, 1, 3, 1, 4]);
  const q = [0.5, 0.9];

  it("pinball loss charges τ per unit under and 1−τ per unit over", () => {
    // p90 errors y − p: −1, −1, −1, +6 → 0.1 + 0.1 + 0.1 + 0.9·6 → mean 5.7/4.
    expect(pinballLoss(y, pred, q, 0.9)).toBeCloseTo(5.7 / 4, 12);
    // p50 errors: 0, −1, 1, 9 → 0.5 each unit → 11·0.5/4.
    expect(pinballLoss(y, pred, q, 0.5)).toBeCloseTo(5.5 / 4, 12);
  });

  it("MAE, coverage and within-half-pip read the right columns", () => {
    expect(maeP50(y, pred, q)).toBe(11 / 4);
    expect(coverage(y, pred, q, 0.9)).toBe(3 / 4);
    expect(withinHalfPip(y, pred, q)).toBe(1 / 4);
  });

  it("scores everything at once and leaves missing quantiles null", () => {
    expect(scoreQuantiles(y, pred, q)).toMatchObject({ n: 4, maeP50: 11 / 4, coverageP90: 0.75, withinHalfPip: 0.25 });
    const only10 = scoreQuantiles([1, 2], new Float64Array([0, 0]), [0.1]);
    expect(only10).toMatchObject({ maeP50: null, coverageP90: null, withinHalfPip: null });
    expect(only10.pinball[0]).toBeCloseTo(0.15, 12);
  });

  it("rejects mismatched shapes and quantiles it does not have", () => {
    expect(() => pinballLoss(y, new Float64Array(3), q, 0.5)).toThrow(/expected 4×2/);
    expect(() => pinballLoss(y, pred, q, 0.75)).toThrow(/do not include 0.75/);
  });
});
