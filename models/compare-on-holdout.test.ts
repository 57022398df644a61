import { describe, expect, it } from "vitest";
import { globalQuantileBaseline, groupQuantileBaseline, columnsKey } from "./baselines.ts";
import { compareOnHoldout, formatHoldoutTable, quantileLabel } from "./compare-on-holdout.ts";
import { createDataset } from "./dataset.ts";

describe("compareOnHoldout", () => {
  const make = (n: number, offset: number) =>
    createDataset(
      Float32Array.from({ length: n }, (_, i) => i % 2),
      Float32Array.from({ length: n }, (_, i) => (i % 2) * 10 + ((i + offset) % 3)),
      ["group"],
    );

  it("scores models and baselines with the same code and names the best", () => {
    const train = make(200, 0);
    const c = compareOnHoldout(
      { global: globalQuantileBaseline(train), perGroup: groupQuantileBaseline(train, columnsKey([0])) },
      make(60, 1),
    );
    expect(c.n).toBe(60);
    expect(c.rows.map((r) => r.name)).toEqual(["global", "perGroup"]);
    expect(c.best).toBe("perGroup");
    const [global, perGroup] = c.rows;
    expect(perGroup?.pinballMean).toBeLessThan(global?.pinballMean as number);
    expect(perGroup?.labels).toEqual(["p50", "p90"]);
    const table = formatHoldoutTable(c);
    expect(table).toContain("| perGroup |");
    expect(table).toContain("best by mean pinball: perGroup");
  });

  it("labels quantiles as percentiles", () => {
    expect([0.5, 0.9, 0.975].map(quantileLabel)).toEqual(["p50", "p90", "p97.5"]);
  });
});
