import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../models/index.ts";
import { hasSharedData, sharedDataPath, describeIfData } from "../../test/kit/shared-data.ts";
import { detectDatasetDrift } from "./dataset-drift.ts";
import { DEFAULT_DRIFT_SETTINGS } from "./drift.config.ts";
import { detectorSelection } from "./select-detector.ts";

const FILE = ["prices", "lean", "oanda_eurusd_h1_bidask.csv.gz"] as const;

/** Close spread and bar range in pips of OANDA EURUSD H1 bars, by year. */
function barsByYear(): Map<string, { spread: number[]; range: number[] }> {
  const out = new Map<string, { spread: number[]; range: number[] }>();
  const lines = gunzipSync(readFileSync(sharedDataPath(...FILE))).toString("utf8").split("\n");
  for (const line of lines.slice(1)) {
    const f = line.split(",");
    if (f.length < 9) continue;
    const year = f[0]!.slice(0, 4);
    const y = out.get(year) ?? { spread: [], range: [] };
    y.spread.push(Math.round((Number(f[8]) - Number(f[4])) * 1e5) / 10);
    y.range.push(Math.round((Number(f[2]) - Number(f[3])) * 1e5) / 10);
    out.set(year, y);
  }
  return out;
}

/** A seeded sample of `n` indices without replacement. */
function pick(rng: ReturnType<typeof seededRandom>, size: number, n: number): number[] {
  const idx = Uint32Array.from({ length: size }, (_, i) => i);
  return [...rng.shuffle(idx).subarray(0, n)];
}

describeIfData(hasSharedData(...FILE), "drift on real EURUSD bars (OANDA H1, ../shared/data)", () => {
  const years = hasSharedData(...FILE) ? barsByYear() : new Map();
  const selection = detectorSelection(DEFAULT_DRIFT_SETTINGS);
  const columns = (ref: { spread: number[]; range: number[] }, cur: { spread: number[]; range: number[] }, ri: number[], ci: number[]) =>
    (["spread", "range"] as const).map((name) => ({ name, kind: "numeric" as const, reference: ri.map((i) => ref[name][i]!), current: ci.map((i) => cur[name][i]!) }));

  it("finds no drift between two random halves of one year, with tests (≤ 1000 rows) and with distances", () => {
    const y = years.get("2017")!;
    for (const [n, detector] of [[800, "ks"], [3000, "wasserstein"]] as const) {
      const order = pick(seededRandom(5), y.spread.length, 2 * n);
      const r = detectDatasetDrift(columns(y, y, order.slice(0, n), order.slice(n)), selection, { datasetShare: 0.5, minValues: 30 });
      expect(r.columns.map((c) => c.detector)).toEqual([detector, detector]);
      expect(r.drifted, `${detector}: ${JSON.stringify(r.columns.map((c) => c.statistic))}`).toBe(false);
    }
  });

  it("finds drift between the 2008 crisis and 2017 (wider spreads, larger ranges)", () => {
    const rng = seededRandom(6);
    const [a, b] = [years.get("2017")!, years.get("2008")!];
    for (const n of [800, 3000]) {
      const r = detectDatasetDrift(columns(a, b, pick(rng, a.spread.length, n), pick(rng, b.spread.length, n)), selection, { datasetShare: 0.5, minValues: 30 });
      expect(r.columns.every((c) => c.drifted)).toBe(true);
      expect(r.drifted).toBe(true);
    }
  });
});
