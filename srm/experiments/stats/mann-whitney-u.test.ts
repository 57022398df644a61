import { describe, expect, it } from "vitest";
import { mannWhitneyU } from "./mann-whitney-u.ts";

const close = (a: number | undefined, b: number, rel = 1e-9) => expect(Math.abs(a! - b) / Math.abs(b)).toBeLessThan(rel);

// Samples and reference numbers: scipy 1.17 `mannwhitneyu(method="asymptotic")`.
const X = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
const Y = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];

describe("mannWhitneyU", () => {
  it("matches scipy with and without ties", () => {
    const r = mannWhitneyU([19, 22, 16, 29, 24, 22, 20], [20, 11, 17, 12, 22, 16, 18, 13])!;
    expect(r.u).toBe(47);
    close(r.pValue, 0.03135631169517783);
    const r2 = mannWhitneyU(X, Y)!;
    expect(r2.u).toBe(53.5);
    close(r2.pValue, 0.015201303821215302);
  });

  it("is symmetric: swapping the samples gives n1·n2 − U and the same p", () => {
    const a = mannWhitneyU(X, Y)!;
    const b = mannWhitneyU(Y, X)!;
    expect(a.u + b.u).toBe(X.length * Y.length);
    close(b.pValue, a.pValue, 1e-12);
    expect(mannWhitneyU([1, 1], [1, 1])).toMatchObject({ pValue: 1 });
  });
});

