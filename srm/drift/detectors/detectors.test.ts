import { describe, expect, it } from "vitest";
import { chiSquareDetector, jensenShannonDetector, kolmogorovSurvival, ksDetector, psiDetector, wassersteinDetector } from "./index.ts";
import { detectorSelection } from "../select-detector.ts";
import { DEFAULT_DRIFT_SETTINGS } from "../drift.config.ts";

// Two spread-like samples (pips) and reference numbers from scipy 1.17 / numpy 2.4: `ks_2samp`,
// `wasserstein_distance(a, b) / np.std(a)`, `jensenshannon` on Sturges bins, `chi2_contingency(correction=False)`,
// and PSI over the reference's deciles written out in numpy with the same 1e-4 floor.
const A = [
  0.82, 1.02, 2.34, 1.49, 0.53, 1.1, 0.83, 1.18, 0.54, 1.23, 1.23, 2.25, 1.27, 1.39, 0.56, 3.05, 0.47, 1.81, 0.95, 0.74, 0.82, 0.82, 1.31, 1.05, 2.15,
  0.49, 1.1, 0.74, 1.57, 0.43, 0.95, 1.21, 0.57, 1.72, 1.2, 1.74, 1.7, 0.71, 0.77, 1.01,
];
const B = [
  1.99, 2.08, 1.03, 1.08, 0.99, 1.09, 1.27, 1.34, 3.58, 1.13, 1.25, 1.74, 0.92, 1.2, 1.43, 2.01, 0.78, 2.63, 1.21, 1.53, 2.08, 1.91, 2.29, 1.53, 1.41,
  1.64, 0.91, 2.45, 1.0, 0.8,
];
const rel = (a: number | undefined, b: number) => Math.abs(a! - b) / Math.abs(b);

describe("detectors against scipy", () => {
  it("KS: the statistic exactly, the p-value within 5% of scipy's exact distribution", () => {
    const r = ksDetector().test(A, B);
    expect(r.statistic).toBeCloseTo(0.30833333333333335, 12);
    expect(rel(r.pValue, 0.06353995779476065)).toBeLessThan(0.05);
    expect(r.drifted).toBe(false);
    expect(ksDetector({ alpha: 0.1 }).test(A, B).drifted).toBe(true);
  });

  it("KS tail: Kolmogorov's Q at known points", () => {
    // Q(1.3581) = 0.05 and Q(1.6276) = 0.01 are the classic critical values.
    expect(kolmogorovSurvival(1.3581)).toBeCloseTo(0.05, 4);
    expect(kolmogorovSurvival(1.6276)).toBeCloseTo(0.01, 4);
    expect(kolmogorovSurvival(0.5)).toBeCloseTo(0.9639452436648751, 8);
  });

  it("Wasserstein normalised by the reference's standard deviation", () => {
    const r = wassersteinDetector().test(A, B);
    expect(rel(r.statistic, 0.6489942151725261)).toBeLessThan(1e-12);
    expect(r.drifted).toBe(true);
  });

  it("Jensen–Shannon distance on Sturges bins and on labels", () => {
    expect(rel(jensenShannonDetector().test(A, B).statistic, 0.32249040993371236)).toBeLessThan(1e-9);
    const ref = [...Array(30).fill("L"), ...Array(10).fill("T"), ...Array(20).fill("N")];
    const cur = [...Array(20).fill("L"), ...Array(25).fill("T"), ...Array(15).fill("N"), "S", "S"];
    expect(rel(jensenShannonDetector().test(ref, cur).statistic, 0.22241385803009503)).toBeLessThan(1e-9);
    const chi = chiSquareDetector().test(ref, cur);
    expect(rel(chi.statistic, 11.11305683563748)).toBeLessThan(1e-12);
    expect(rel(chi.pValue, 0.01112998223459921)).toBeLessThan(1e-9);
    expect(chi.drifted).toBe(true);
  });

  it("PSI over the reference's deciles", () => {
    const r = psiDetector().test(A, B);
    expect(rel(r.statistic, 1.732724716794975)).toBeLessThan(1e-9);
    expect(r.drifted).toBe(true);
  });
});

describe("detectorSelection", () => {
  const sel = detectorSelection(DEFAULT_DRIFT_SETTINGS);

  it("follows the field defaults: tests up to 1000 reference rows, distances above", () => {
    expect(sel.select("numeric", 1000).id).toBe("ks");
    expect(sel.select("numeric", 1001).id).toBe("wasserstein");
    expect(sel.select("categorical", 1000).id).toBe("chi_square");
    expect(sel.select("categorical", 5000).id).toBe("jensen_shannon");
  });

  it("honours a configured method at any size", () => {
    const psi = detectorSelection({ ...DEFAULT_DRIFT_SETTINGS, numericMethod: "psi", categoricalMethod: "jensen_shannon" });
    expect(psi.select("numeric", 50).id).toBe("psi");
    expect(psi.select("categorical", 50).id).toBe("jensen_shannon");
  });
});
