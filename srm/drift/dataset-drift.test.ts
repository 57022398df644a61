import { describe, expect, it } from "vitest";
import { seededRandom } from "../../models/index.ts";
import { featureInputs } from "../../test/conformance/drift-detector.ts";
import { detectDatasetDrift } from "./dataset-drift.ts";
import { DEFAULT_DRIFT_SETTINGS } from "./drift.config.ts";
import { DRIFT_FEATURE_COLUMNS, featureColumnPairs } from "./feature-columns.ts";
import { detectorSelection } from "./select-detector.ts";

const selection = detectorSelection(DEFAULT_DRIFT_SETTINGS);
const opts = { datasetShare: 0.5, minValues: 30 };

describe("detectDatasetDrift on decision features", () => {
  it("calls a deliberately shifted window drifted and names the moved columns", () => {
    const rng = seededRandom(21);
    const r = detectDatasetDrift(featureColumnPairs(featureInputs(rng, 800), featureInputs(rng, 300, true)), selection, opts);
    expect(r.columns).toHaveLength(DRIFT_FEATURE_COLUMNS.length);
    expect(r.drifted).toBe(true);
    const drifted = r.columns.filter((c) => c.drifted).map((c) => c.name);
    expect(drifted).toEqual(expect.arrayContaining(["symbol", "session", "atrPips", "spreadPips", "signalAgeMs", "volumeLots", "providerScore"]));
    expect(r.columns.find((c) => c.name === "spreadPips")).toMatchObject({ detector: "ks", tested: "values" });
    expect(r.columns.find((c) => c.name === "session")).toMatchObject({ detector: "chi_square" });
  });

  it("keeps an unshifted window quiet across seeds", () => {
    for (let seed = 0; seed < 10; seed++) {
      const rng = seededRandom(100 + seed);
      const r = detectDatasetDrift(featureColumnPairs(featureInputs(rng, 800), featureInputs(rng, 300)), selection, opts);
      expect(r.drifted, `seed ${seed}`).toBe(false);
      expect(r.driftedShare).toBeLessThan(0.3);
    }
  });

  it("switches to distances above 1000 reference rows", () => {
    const rng = seededRandom(22);
    const r = detectDatasetDrift(featureColumnPairs(featureInputs(rng, 3000), featureInputs(rng, 500, true)), selection, opts);
    expect(r.columns.find((c) => c.name === "spreadPips")).toMatchObject({ detector: "wasserstein", drifted: true });
    expect(r.columns.find((c) => c.name === "session")).toMatchObject({ detector: "jensen_shannon" });
    expect(r.drifted).toBe(true);
  });

  it("judges a column on its missingness when one side has too few values", () => {
    const r = detectDatasetDrift(
      [
        { name: "providerScore", kind: "numeric", reference: Array(200).fill(null), current: Array.from({ length: 100 }, (_, i) => 40 + (i % 30)) },
        { name: "spreadPips", kind: "numeric", reference: Array(200).fill(null), current: Array(100).fill(null) },
      ],
      selection,
      opts,
    );
    expect(r.columns[0]).toMatchObject({ tested: "missingness", detector: "chi_square", drifted: true, missingReference: 1, missingCurrent: 0 });
    expect(r.columns[1]).toMatchObject({ tested: "missingness", drifted: false });
    expect(r.driftedShare).toBe(0.5);
    expect(r.drifted).toBe(true);
  });
});
