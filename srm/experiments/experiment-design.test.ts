import { describe, expect, it } from "vitest";
import { RiskloopError } from "../../core/index.ts";
import { populationsOverlap, validateExperimentInput, type ExperimentInput } from "./experiment-design.ts";

const valid: ExperimentInput = { name: "tighter slippage cap", treatment: { policy: { maxSlippageP90Pips: 3 } }, pilotShare: 0.15 };

function fieldOf(input: ExperimentInput): string {
  try {
    validateExperimentInput(input);
  } catch (err) {
    expect(err).toBeInstanceOf(RiskloopError);
    expect((err as RiskloopError).code).toBe("CORE_ERR_INVALID");
    return (err as RiskloopError).details!.field as string;
  }
  throw new Error("expected the input to be refused");
}

describe("validateExperimentInput", () => {
  it("applies the defaults to a valid design", () => {
    const d = validateExperimentInput(valid);
    expect(d).toMatchObject({
      name: "tighter slippage cap",
      pilotShare: 0.15,
      metrics: ["pnl_per_trade", "max_drawdown", "stop_out_count", "slippage"],
      minSamplePerArm: 100,
      accountIds: null,
      control: { policy: {}, modelVersions: {} },
      treatment: { policy: { maxSlippageP90Pips: 3 }, modelVersions: {} },
    });
  });

  it.each<[string, Partial<ExperimentInput>, string]>([
    ["pilot share of zero", { pilotShare: 0 }, "pilotShare"],
    ["pilot share above 50%", { pilotShare: 0.51 }, "pilotShare"],
    ["negative pilot share", { pilotShare: -0.1 }, "pilotShare"],
    ["pilot share finer than 4 decimals", { pilotShare: 0.12345 }, "pilotShare"],
    ["unknown policy key", { treatment: { policy: { maxLotz: 2 } as never } }, "treatment.policy"],
    ["negative policy value", { control: { policy: { signalTtlSeconds: -1 } } }, "control.policy"],
    ["policy value above its declared maximum", { treatment: { policy: { rejectScoreBelow: 150 } } }, "treatment.policy.rejectScoreBelow"],
    ["buffer minimum above maximum", { treatment: { policy: { slBufferMinPips: 4, slBufferMaxPips: 2 } } }, "treatment.policy.slBufferMinPips"],
    ["pin of a kind that cannot be pinned", { treatment: { modelVersions: { lot: "v1" } } }, "treatment.modelVersions.lot"],
    ["unknown metric", { metrics: ["sharpe"] as never }, "metrics"],
    ["no metric", { metrics: [] }, "metrics"],
    ["repeated metric", { metrics: ["slippage", "slippage"] }, "metrics"],
    ["minimum sample of one", { minSamplePerArm: 1 }, "minSamplePerArm"],
    ["empty population list", { accountIds: [] }, "accountIds"],
    ["malformed account id", { accountIds: ["acc-1"] }, "accountIds"],
    ["blank name", { name: "  " }, "name"],
  ])("refuses a %s, naming %s", (_case, over, field) => {
    expect(fieldOf({ ...valid, ...over })).toBe(field);
  });
});

describe("populationsOverlap", () => {
  it("treats all accounts as overlapping everything and intersects explicit lists", () => {
    expect(populationsOverlap(null, ["a"])).toBe("all");
    expect(populationsOverlap(["a", "b"], ["c"])).toBeNull();
    expect(populationsOverlap(["a", "b"], ["b", "c"])).toEqual(["b"]);
  });
});
