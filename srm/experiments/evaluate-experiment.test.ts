import { describe, expect, it } from "vitest";
import { seededRandom } from "../../models/index.ts";
import type { ArmObservations } from "./arm-observations.ts";
import { maxDrawdownFraction } from "./arm-observations.ts";
import { evaluateExperiment } from "./evaluate-experiment.ts";
import { recommend } from "./recommendation.ts";
import { sampleRatioMismatch } from "./stats/index.ts";

const WINDOW = { from: new Date(Date.UTC(2024, 0, 1)), to: new Date(Date.UTC(2024, 1, 1)) };

/** An arm of `accounts` accounts with `trades` trades each: P/L ~ N(pnl, 40), slippage ~ N(slip, 0.4). */
function arm(seed: number, accounts: number, trades: number, pnl: number, slip: number, stopOutRate = 0.01): ArmObservations {
  const rng = seededRandom(seed);
  const obs: ArmObservations = { units: accounts, pnl: { values: [], accounts: [] }, maxDrawdown: [], stopOuts: [], slippage: { values: [], accounts: [] } };
  for (let a = 0; a < accounts; a++) {
    const id = `acc-${seed}-${a}`;
    const pnls: number[] = [];
    let stopOuts = 0;
    for (let t = 0; t < trades; t++) {
      const p = pnl + 40 * rng.normal();
      pnls.push(p);
      obs.pnl.values.push(p);
      obs.pnl.accounts.push(id);
      obs.slippage.values.push(slip + 0.4 * rng.normal());
      obs.slippage.accounts.push(id);
      if (rng.next() < stopOutRate) stopOuts++;
    }
    obs.stopOuts.push(stopOuts);
    obs.maxDrawdown.push(maxDrawdownFraction(10_000, pnls)!);
  }
  return obs;
}

const options = { pilotShare: 0.2, metrics: ["pnl_per_trade", "slippage", "stop_out_count", "max_drawdown"] as const, minSamplePerArm: 200, seed: 3 };

describe("evaluateExperiment", () => {
  it("recommends ship when treatment earns more per trade and no guardrail is worse", () => {
    const e = evaluateExperiment({ CONTROL: arm(1, 80, 20, 0, 0.5), TREATMENT: arm(2, 20, 20, 12, 0.5) }, WINDOW, options);
    const pnl = e.metrics[0]!;
    expect(pnl).toMatchObject({ metric: "pnl_per_trade", verdict: "better", significant: true });
    expect(pnl.ci!.lower).toBeGreaterThan(0);
    expect(pnl.welch!.pValue).toBeLessThan(0.05);
    expect(pnl.mannWhitney!.pValue).toBeLessThan(0.05);
    expect(e.srm).toMatchObject({ checked: true, mismatch: false });
    expect(e.recommendation.action).toBe("ship");
  });

  it("recommends stop when a guardrail (slippage) is significantly worse, even with a better primary", () => {
    const e = evaluateExperiment({ CONTROL: arm(1, 80, 20, 0, 0.5), TREATMENT: arm(2, 20, 20, 12, 1.2) }, WINDOW, options);
    expect(e.metrics[1]).toMatchObject({ metric: "slippage", verdict: "worse" });
    expect(e.recommendation).toMatchObject({ action: "stop", reasons: ["slippage is significantly worse in treatment"] });
  });

  it("recommends stop when treatment loses money", () => {
    const e = evaluateExperiment({ CONTROL: arm(1, 80, 20, 5, 0.5), TREATMENT: arm(2, 20, 20, -10, 0.5) }, WINDOW, options);
    expect(e.recommendation.action).toBe("stop");
  });

  it("keeps running before the minimum sample, however large the effect", () => {
    const e = evaluateExperiment({ CONTROL: arm(1, 80, 2, 0, 0.5), TREATMENT: arm(2, 20, 2, 50, 0.5) }, WINDOW, options);
    expect(e.metrics[0]!.treatment.n).toBe(40);
    expect(e.recommendation.action).toBe("keep_running");
    expect(e.recommendation.reasons[0]).toMatch(/40 observations in the smaller arm, 200 needed/);
  });

  it("keeps running when the arms do not differ", () => {
    const e = evaluateExperiment({ CONTROL: arm(1, 80, 20, 3, 0.5), TREATMENT: arm(2, 20, 20, 3, 0.5) }, WINDOW, options);
    expect(e.metrics[0]!.verdict).toBe("inconclusive");
    expect(e.recommendation.action).toBe("keep_running");
  });

  it("recommends stop on a sample-ratio mismatch whatever the metrics say", () => {
    // 70/30 against an intended 85/15.
    const e = evaluateExperiment({ CONTROL: arm(1, 70, 20, 0, 0.5), TREATMENT: arm(2, 30, 20, 12, 0.5) }, WINDOW, { ...options, pilotShare: 0.15 });
    expect(e.srm).toMatchObject({ checked: true, mismatch: true });
    expect(e.recommendation.action).toBe("stop");
    expect(e.recommendation.reasons[0]).toMatch(/sample-ratio mismatch: 70\/30/);
  });

  it("is reproducible: the same observations and seed give the same evaluation", () => {
    const arms = { CONTROL: arm(1, 40, 10, 0, 0.5), TREATMENT: arm(2, 10, 10, 5, 0.5) };
    expect(evaluateExperiment(arms, WINDOW, options)).toEqual(evaluateExperiment(arms, WINDOW, options));
  });
});

describe("recommend", () => {
  const fair = sampleRatioMismatch({ control: 85, treatment: 15 }, 0.15);
  const v = (verdict: "better" | "worse" | "inconclusive", minArmSize = 500) => ({ metric: "m", minArmSize, verdict });

  it("applies the documented order", () => {
    expect(recommend(fair, v("better"), [v("inconclusive")], 100).action).toBe("ship");
    expect(recommend(fair, v("better"), [v("worse")], 100).action).toBe("stop");
    expect(recommend(fair, v("worse"), [], 100).action).toBe("stop");
    expect(recommend(fair, v("inconclusive"), [v("better")], 100).action).toBe("keep_running");
    expect(recommend(fair, v("worse", 50), [], 100).action).toBe("keep_running");
    expect(recommend(sampleRatioMismatch({ control: 70, treatment: 30 }, 0.15), v("better"), [], 100).action).toBe("stop");
  });
});

describe("maxDrawdownFraction", () => {
  it("measures the deepest fall from a running peak", () => {
    expect(maxDrawdownFraction(1000, [100, -220, 50, -100, 400])).toBeCloseTo(270 / 1100, 12);
    expect(maxDrawdownFraction(1000, [10, 20])).toBe(0);
    expect(maxDrawdownFraction(0, [10])).toBeNull();
  });
});
