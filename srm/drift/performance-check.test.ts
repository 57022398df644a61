import { describe, expect, it } from "vitest";
import { seededRandom } from "../../models/index.ts";
import { accuracyBand, checkPerformance } from "./performance-check.ts";

const hits = (n: number, rate: number, seed: number) => {
  const rng = seededRandom(seed);
  return Array.from({ length: n }, () => rng.next() < rate);
};
const settings = { minAccuracy: 0.5, referenceChunks: 10, sigmas: 3, minRows: 30 };

describe("accuracy band", () => {
  it("is mean ± 3σ of the chunk accuracies", () => {
    const reference = [...Array(30).fill(true), ...Array(30).fill(false), ...Array(60).fill(true)];
    const band = accuracyBand(reference, 6, 3)!;
    expect(band.chunks).toEqual([1, 0.5, 0, 1, 1, 1]);
    const mean = 4.5 / 6;
    const std = Math.sqrt(((0.25 ** 2) * 4 + 0.25 ** 2 + 0.75 ** 2) / 5);
    expect(band.mean).toBeCloseTo(mean, 12);
    expect(band.std).toBeCloseTo(std, 12);
    expect(band.lower).toBeCloseTo(mean - 3 * std, 12);
  });

  it("needs at least 6 chunks of 20 rows", () => {
    expect(accuracyBand(Array(119).fill(true), 10, 3)).toBeNull();
    expect(accuracyBand(Array(120).fill(true), 10, 3)!.chunks).toHaveLength(6);
  });
});

describe("checkPerformance", () => {
  const reference = hits(1000, 0.8, 1);

  it("alerts below 50% accuracy and outside the band", () => {
    const r = checkPerformance(reference, hits(200, 0.3, 2), settings);
    expect(r.alerts.map((a) => a.code)).toEqual(["SRM_DRIFT_ACCURACY_LOW", "SRM_DRIFT_ACCURACY_OUT_OF_BAND"]);
    expect(r.current.accuracy).toBeLessThan(0.4);
  });

  it("alerts on the band alone when accuracy drops but stays above the floor", () => {
    const r = checkPerformance(reference, hits(400, 0.6, 3), settings);
    expect(r.alerts.map((a) => a.code)).toEqual(["SRM_DRIFT_ACCURACY_OUT_OF_BAND"]);
  });

  it("stays quiet when accuracy holds, and judges nothing below the minimum rows", () => {
    expect(checkPerformance(reference, hits(300, 0.8, 4), settings).alerts).toEqual([]);
    expect(checkPerformance(reference, hits(29, 0, 5), settings).alerts).toEqual([]);
    const noBand = checkPerformance(hits(50, 0.8, 6), hits(100, 0.3, 7), settings);
    expect(noBand.reference.band).toBeNull();
    expect(noBand.reference.note).toMatch(/no band/);
    expect(noBand.alerts.map((a) => a.code)).toEqual(["SRM_DRIFT_ACCURACY_LOW"]);
  });
});
