import { describe, expect, it } from "vitest";
import { dec } from "../../core/index.ts";
import { anAccount, anIntent, EURUSD, T0 } from "../../test/kit/builders.ts";
import type { QuantilePredictor } from "../../models/index.ts";
import { buildFeatureSchema, featureEncoder } from "../features/index.ts";
import { decide, type DecisionInput, type DecisionModels } from "./decide.ts";
import { DEFAULT_SRM_POLICY } from "./srm-policy.ts";

const policy = DEFAULT_SRM_POLICY;
const noModels: DecisionModels = { slippage: null };
const context = { atr: 0.0004, volatilityIndex: 0.5, spread: 0.00008, session: "OVERLAP_LONDON_NY" };

function input(over: Partial<DecisionInput> = {}): DecisionInput {
  return {
    intent: anIntent(),
    spec: EURUSD,
    quote: { bid: 1.09998, ask: 1.10001, time: T0 },
    context,
    account: anAccount(),
    quoteToAccountRate: 1,
    provider: { score: 75, tradeCount: 120, mature: true },
    now: T0,
    ...over,
  };
}

/** A model that always predicts the given quantiles, to drive the rules deterministically. */
function constantModel(p50: number, p90: number): DecisionModels {
  const schema = buildFeatureSchema(["EURUSD"]);
  const predictor: QuantilePredictor = {
    quantiles: [0.5, 0.9],
    d: schema.names.length,
    predictInto: (_row, out) => {
      out[0] = p50;
      out[1] = p90;
    },
    predictBatch: () => new Float64Array(),
  };
  return { slippage: { version: "v-test", schema, encode: featureEncoder(schema), predictor } };
}

const codes = (d: { reasons: { code: string }[] }) => d.reasons.map((r) => r.code);

describe("decide", () => {
  it("executes a clean signal with a buffered stop loss and says why", () => {
    const d = decide(input(), constantModel(0.2, 1.4), policy);
    expect(d.action).toBe("EXECUTE");
    // buffer = p90 1.4 + 10% of ATR 4 pips = 1.8 pips below 1.09800, floored to 5 digits
    expect(d.stopLoss?.toString()).toBe("1.09782");
    expect(d.originalStopLoss?.toString()).toBe("1.098");
    expect(codes(d)).toContain("SRM_SL_BUFFERED");
    expect(d.reasons.find((r) => r.code === "SRM_SL_BUFFERED")?.text).toMatch(/1\.8 pips from 1\.098 to 1\.09782/);
    expect(d.modelVersions).toEqual({ slippage: "v-test" });
    expect(d.degraded).toBe(false);
    expect(d.lot.gt(0)).toBe(true);
    expect(d.lot.lte(dec("0.50"))).toBe(true);
  });

  it("keeps the buffer within its bounds", () => {
    expect(decide(input(), constantModel(0, 0), policy).stopLoss?.toString()).toBe("1.0979"); // 1 pip minimum (0 + 0.4 ATR part → 1)
    expect(decide(input(), constantModel(2, 4.9), policy).stopLoss?.toString()).toBe("1.0977"); // 3 pips maximum
  });

  it("buffers a sell's stop upwards", () => {
    const intent = anIntent({ side: "SELL", price: dec("1.10000"), stopLoss: dec("1.10200"), takeProfit: dec("1.09600") });
    const d = decide(input({ intent, quote: { bid: 1.1, ask: 1.10003, time: T0 } }), constantModel(0.2, 1.4), policy);
    expect(d.stopLoss?.toString()).toBe("1.10218");
  });

  it("reduces the lot for a low provider score and explains it", () => {
    const d = decide(input({ provider: { score: 52, tradeCount: 80, mature: true } }), constantModel(0.1, 0.5), policy);
    expect(d.action).toBe("EXECUTE");
    expect(d.lot.lt(dec("0.50"))).toBe(true);
    expect(d.reasons.some((r) => /lot reduced from 0\.50 to .*provider score 52 is below 60/.test(r.text))).toBe(true);
  });

  it.each([
    ["a stale signal", { now: T0 + 120_000 }, "SRM_SIGNAL_STALE"],
    ["a price that moved 6 pips", { quote: { bid: 1.10058, ask: 1.1006, time: T0 } }, "SRM_PRICE_MOVED"],
    ["a weak provider", { provider: { score: 20, tradeCount: 50, mature: true } }, "SRM_PROVIDER_SCORE_LOW"],
    ["a halted account", { account: anAccount({ riskState: "HALTED" }) }, "SRM_ACCOUNT_HALTED"],
    ["a reducing account", { account: anAccount({ riskState: "REDUCING" }) }, "SRM_ACCOUNT_REDUCING"],
    ["the daily loss limit", { account: anAccount({ equity: dec("9790") }) }, "SRM_DAILY_LOSS_LIMIT"],
  ] as const)("rejects %s", (_label, over, code) => {
    const d = decide(input(over as Partial<DecisionInput>), constantModel(0.1, 0.5), policy);
    expect(d.action).toBe("REJECT");
    expect(d.lot.toString()).toBe("0");
    expect(codes(d)).toContain(code);
  });

  it("rejects when predicted slippage is too high", () => {
    const d = decide(input(), constantModel(2, 6), policy);
    expect(d.action).toBe("REJECT");
    expect(d.reasons.at(-1)?.text).toMatch(/predicted p90 slippage 6\.0 pips exceeds the maximum of 5\.0 pips/);
  });

  it("lets exits through even when the account is halted", () => {
    const intent = anIntent({ kind: "CLOSE", positionId: "p1" });
    const d = decide(input({ intent, account: anAccount({ riskState: "HALTED" }) }), noModels, policy);
    expect(d.action).toBe("EXECUTE");
    expect(d.lot.toString()).toBe("0.5");
  });

  it("degrades to the formula and says so when no model is live", () => {
    const d = decide(input(), noModels, policy);
    expect(d.action).toBe("EXECUTE");
    expect(d.degraded).toBe(true);
    expect(d.slippage).toMatchObject({ source: "fallback" });
    expect(codes(d)).toContain("SRM_MODEL_FALLBACK");
  });

  it("is deterministic", () => {
    const i = input();
    expect(decide(i, constantModel(0.2, 1.4), policy)).toEqual(decide(i, constantModel(0.2, 1.4), policy));
  });

  it("never executes a lot below the symbol minimum", () => {
    const d = decide(input({ account: anAccount({ equity: dec("20"), freeMargin: dec("20"), balance: dec("20"), dayStartBalance: dec("20"), equityHighWaterMark: dec("20") }) }), constantModel(0.1, 0.5), policy);
    expect(d.action).toBe("REJECT");
    expect(codes(d)).toContain("LOT_BELOW_MIN_VOLUME");
  });
});
