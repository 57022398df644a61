import { describe, expect, it } from "vitest";
import { chiSquareGoodnessOfFit, sampleRatioMismatch } from "./sample-ratio-mismatch.ts";

const close = (a: number | undefined, b: number, rel = 1e-9) => expect(Math.abs(a! - b) / Math.abs(b)).toBeLessThan(rel);

// Reference numbers: scipy 1.17 `chisquare(observed, f_exp)`.
describe("chi-square and sample-ratio mismatch", () => {
  it("matches scipy's chisquare", () => {
    const r = chiSquareGoodnessOfFit([70, 30], [0.85, 0.15]);
    close(r.statistic, 17.647058823529413);
    close(r.pValue, 2.659261855078662e-5, 1e-8);
    close(chiSquareGoodnessOfFit([505, 495], [0.5, 0.5]).pValue, 0.7518296340458492);
  });

  it("alerts on a planted 70/30 split against an expected 85/15, not on a fair one", () => {
    const planted = sampleRatioMismatch({ control: 70, treatment: 30 }, 0.15);
    expect(planted).toMatchObject({ checked: true, mismatch: true });
    expect(planted.pValue).toBeLessThan(0.001);
    const fair = sampleRatioMismatch({ control: 853, treatment: 147 }, 0.15);
    expect(fair).toMatchObject({ checked: true, mismatch: false });
    close(fair.pValue, 0.7904822281393452);
    expect(fair.expected).toEqual({ control: 850, treatment: 150 });
  });

  it("has nothing to judge before the first unit, and refuses a share that is not positive", () => {
    expect(chiSquareGoodnessOfFit([0, 0], [0.5, 0.5])).toEqual({ statistic: 0, df: 1, pValue: 1 });
    expect(sampleRatioMismatch({ control: 0, treatment: 0 }, 0.2)).toMatchObject({ checked: false, mismatch: false, pValue: 1 });
    expect(() => chiSquareGoodnessOfFit([3, 4], [1, 0])).toThrow(/every share must be positive/);
  });

  it("does not judge arms with fewer than 8 units", () => {
    const tiny = sampleRatioMismatch({ control: 30, treatment: 7 }, 0.5);
    expect(tiny.pValue).toBeLessThan(0.001);
    expect(tiny).toMatchObject({ checked: false, mismatch: false });
  });
});

