import { describe, expect, it } from "vitest";
import { chiSquareSurvival, logGamma, normalSurvival, regularizedBeta, studentTTwoSided } from "./distributions.ts";

// Reference values from scipy 1.17 (stats.t.sf, stats.chi2.sf, stats.norm.sf, special.gammaln, special.betainc).
describe("distribution tails", () => {
  it("match scipy to at least 9 significant digits", () => {
    const close = (a: number, b: number) => expect(Math.abs(a - b) / Math.abs(b)).toBeLessThan(1e-9);
    close(logGamma(0.5), 0.5723649429247);
    close(logGamma(10.3), 13.482036786138359);
    close(regularizedBeta(2.5, 0.5, 0.7), 0.2031106637200549);
    close(studentTTwoSided(2.5, 7.3), 0.03965023466560043);
    close(studentTTwoSided(-0.3, 100), 0.7647998803003035);
    close(chiSquareSurvival(3.84, 1), 0.05004352124870519);
    close(chiSquareSurvival(20, 7), 0.005569683072945574);
    close(chiSquareSurvival(0.5, 3), 0.9188914116546758);
    close(normalSurvival(1.96), 0.024997895148220435);
    close(normalSurvival(6), 9.865876450376946e-10);
    close(normalSurvival(-1), 0.8413447460685429);
  });

  it("handles the edges without NaN", () => {
    expect(chiSquareSurvival(0, 3)).toBe(1);
    expect(chiSquareSurvival(Infinity, 3)).toBe(0);
    expect(studentTTwoSided(0, 5)).toBe(1);
    expect(studentTTwoSided(Infinity, 5)).toBe(0);
  });
});
