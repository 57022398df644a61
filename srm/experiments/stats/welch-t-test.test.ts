import { describe, expect, it } from "vitest";
import { welchTTest } from "./welch-t-test.ts";

const close = (a: number | undefined, b: number, rel = 1e-9) => expect(Math.abs(a! - b) / Math.abs(b)).toBeLessThan(rel);

// Samples and reference numbers: scipy 1.17 `ttest_ind(x, y, equal_var=False)`.
const X = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
const Y = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];

describe("welchTTest", () => {
  it("matches scipy", () => {
    const r = welchTTest(X, Y)!;
    close(r.t, -2.455356398286006);
    close(r.df, 24.988529290231416);
    close(r.pValue, 0.021378001462866992);
    const r2 = welchTTest([1.2, 3.4, 0.5, 2.2, 2.2, 5.1], [0.3, 0.9, 2.2, 1.1, 0.4, 0.8, 1.6, 0.2])!;
    close(r2.t, 2.1020705678645144);
    close(r2.df, 6.333833319115734);
    close(r2.pValue, 0.07780895514578305);
  });

  it("needs two values per sample and survives constant samples", () => {
    expect(welchTTest([1], [1, 2])).toBeNull();
    expect(welchTTest([2, 2], [2, 2])).toMatchObject({ t: 0, pValue: 1 });
    expect(welchTTest([3, 3], [2, 2])).toMatchObject({ t: Infinity, pValue: 0 });
  });
});

