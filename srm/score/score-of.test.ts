import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BUILDER_EPOCH, buildTrade, randomOutcomes as outcomes, tradeSeries } from "./closed-trade.builder.ts";
import { scoreOf, type ScoreResult } from "./score-of.ts";
import { applyTrade, createScoreState, scoreHistory } from "./score-state.ts";
import { DEFAULT_SCORE_PARAMS, type ScoreParams } from "./score.config.ts";

const DAY = 86_400_000;
const codes = (r: ScoreResult) => r.reasons.map((x) => x.code);

/** Per-trade score changes of a provider with an established record, then alternating 8 losses and 8 wins. */
function streakSteps(params: ScoreParams): { r: number; delta: number }[] {
  const warm = Array.from({ length: 300 }, (_, i) => (i % 2 ? 1.5 : -1));
  let state = scoreHistory(tradeSeries(warm, BUILDER_EPOCH, DAY), createScoreState(), params);
  let t = BUILDER_EPOCH + 300 * DAY;
  let prev = scoreOf(state, t, params).score;
  const steps: { r: number; delta: number }[] = [];
  for (let cycle = 0; cycle < 4; cycle++) {
    for (const r of [-1, 1.5]) {
      for (let i = 0; i < 8; i++, t += DAY) {
        state = applyTrade(state, buildTrade({ r, at: t }), params);
        const score = scoreOf(state, t, params).score;
        steps.push({ r, delta: score - prev });
        prev = score;
      }
    }
  }
  return steps;
}

/** Steepest single-trade fall over steepest single-trade rise. */
function steepness(steps: { delta: number }[]): number {
  return -Math.min(...steps.map((s) => s.delta)) / Math.max(...steps.map((s) => s.delta));
}

describe("scoreOf", () => {
  it("without history returns the prior 50 with a wide uncertainty, capped and saying why", () => {
    const r = scoreOf(createScoreState(), BUILDER_EPOCH);
    expect(r.score).toBeCloseTo(50, 6);
    expect(r.uncertainty).toBeGreaterThan(10);
    expect(r.mature).toBe(false);
    expect(codes(r)).toEqual(expect.arrayContaining(["SCORE_NO_HISTORY", "SCORE_IMMATURE", "SCORE_UNCERTAIN"]));
  });

  it("shrinks a short perfect record toward the prior, and grows surer with more trades", () => {
    const three = scoreOf(scoreHistory(tradeSeries([1, 1, 1])), BUILDER_EPOCH + DAY);
    // Beta(2, 2) prior plus three wins (decay 2^(-1/40) between them) gives about 0.71, not 1.
    expect(three.components.winRate.estimate).toBeGreaterThan(0.69);
    expect(three.components.winRate.estimate).toBeLessThan(0.72);
    const few = scoreOf(scoreHistory(tradeSeries(outcomes(8, 0.6, 1.5, 1))), BUILDER_EPOCH + 40 * DAY);
    const many = scoreOf(scoreHistory(tradeSeries(outcomes(80, 0.6, 1.5, 1))), BUILDER_EPOCH + 40 * DAY);
    expect(many.uncertainty).toBeLessThan(few.uncertainty);
  });

  it("caps an excellent but young provider until both trade count and weeks are reached", () => {
    const trades = tradeSeries(outcomes(100, 0.7, 2, 5), BUILDER_EPOCH, 3_600_000);
    const young = scoreOf(scoreHistory(trades), BUILDER_EPOCH + 5 * DAY);
    expect(young.mature).toBe(false);
    expect(young.uncapped).toBeGreaterThan(70);
    expect(young.score).toBe(DEFAULT_SCORE_PARAMS.immatureCap);
    expect(young.interval[1]).toBeLessThanOrEqual(DEFAULT_SCORE_PARAMS.immatureCap);
    expect(young.reasons.find((x) => x.code === "SCORE_IMMATURE")?.text).toBe(
      "100 of 30 trades and 0.7 of 4 weeks of history: score capped at 60 until mature",
    );

    const spread = tradeSeries(outcomes(100, 0.7, 2, 5), BUILDER_EPOCH, 8 * 3_600_000);
    const grown = scoreOf(scoreHistory(spread), BUILDER_EPOCH + 35 * DAY);
    expect(grown.mature).toBe(true);
    expect(grown.score).toBe(grown.uncapped);
    expect(grown.score).toBeGreaterThan(70);
  });

  it("falls faster in a loss streak than it rises in a win streak", () => {
    const steps = streakSteps(DEFAULT_SCORE_PARAMS);
    expect(steepness(steps)).toBeGreaterThan(2.5);
    for (const s of steps) if (s.r < 0) expect(s.delta).toBeLessThanOrEqual(1e-9);
    const firstFall = steps.slice(0, 8).reduce((a, s) => a + s.delta, 0);
    const nextRise = steps.slice(8, 16).reduce((a, s) => a + s.delta, 0);
    expect(-firstFall).toBeGreaterThan(3 * nextRise);
    expect(nextRise).toBeGreaterThan(0);
  });

  it("the asymmetry comes from the recovery half-life: without it falls and rises are alike", () => {
    const symmetric = steepness(streakSteps({ ...DEFAULT_SCORE_PARAMS, recoveryHalfLifeTrades: 0 }));
    expect(steepness(streakSteps(DEFAULT_SCORE_PARAMS))).toBeGreaterThan(1.5 * symmetric);
  });

  it("names the recovery gap and closes it after a run of wins", () => {
    const rs = [...Array.from({ length: 60 }, (_, i) => (i % 2 ? 1.5 : -1)), ...Array(8).fill(-1), ...Array(6).fill(1.5)];
    const recovering = scoreOf(scoreHistory(tradeSeries(rs, BUILDER_EPOCH, DAY)), BUILDER_EPOCH + rs.length * DAY);
    expect(recovering.recoveryGap).toBeGreaterThan(1);
    expect(recovering.score).toBeCloseTo(recovering.evidence - recovering.recoveryGap, 9);
    expect(codes(recovering)).toContain("SCORE_RECOVERING");
    const healed = [...rs, ...Array.from({ length: 120 }, (_, i) => (i % 2 ? 1.5 : -1))];
    const healedGap = scoreOf(scoreHistory(tradeSeries(healed, BUILDER_EPOCH, DAY)), BUILDER_EPOCH + healed.length * DAY).recoveryGap;
    expect(healedGap).toBeLessThan(recovering.recoveryGap / 3);
  });

  it("does not reward a high win rate whose losses dwarf its wins", () => {
    const state = scoreHistory(tradeSeries(outcomes(200, 0.85, 0.05, 11)));
    const grid = scoreOf(state, state.lastCloseTime!);
    expect(grid.components.winRate.estimate).toBeGreaterThan(0.8);
    expect(grid.components.winRate.points).toBeLessThan(35);
    expect(grid.components.rewardToRisk.points).toBeLessThan(10);
    expect(grid.score).toBeLessThan(50);
    expect(codes(grid)).toContain("SCORE_NEGATIVE_EDGE");
  });

  it("penalises trading without a stop loss", () => {
    const withSl = tradeSeries(outcomes(80, 0.55, 1.5, 2));
    const withoutSl = withSl.map((t) => ({ ...t, stopLoss: undefined }));
    const a = scoreOf(scoreHistory(withSl), BUILDER_EPOCH + 40 * DAY);
    const b = scoreOf(scoreHistory(withoutSl), BUILDER_EPOCH + 40 * DAY);
    expect(a.components.slCompliance.estimate).toBeGreaterThan(0.9);
    expect(b.components.slCompliance.estimate).toBeLessThan(0.1);
    expect(b.score).toBeLessThan(a.score - 10);
    expect(codes(b)).toContain("SCORE_LOW_SL_COMPLIANCE");
  });

  it("names a loss streak and a deep drawdown", () => {
    const r = scoreOf(scoreHistory(tradeSeries([...outcomes(40, 0.5, 1.2, 4), 1.2, ...Array(12).fill(-1)])), BUILDER_EPOCH + 40 * DAY);
    expect(r.lossStreak).toBe(12);
    expect(codes(r)).toEqual(expect.arrayContaining(["SCORE_LOSS_STREAK", "SCORE_DEEP_DRAWDOWN"]));
    expect(r.reasons.find((x) => x.code === "SCORE_LOSS_STREAK")?.text).toBe("12 losses in a row");
  });

  it("decays an idle provider toward the prior", () => {
    const state = scoreHistory(tradeSeries(outcomes(80, 0.7, 2, 9), BUILDER_EPOCH, DAY));
    const last = state.lastCloseTime!;
    const active = scoreOf(state, last);
    const idle = scoreOf(state, last + 90 * DAY);
    expect(idle.idleWeight).toBeCloseTo(0.125, 6);
    expect(Math.abs(idle.uncapped - 50)).toBeLessThan(Math.abs(active.uncapped - 50));
    expect(idle.uncertainty).toBeGreaterThan(active.uncertainty);
    expect(codes(idle)).toContain("SCORE_IDLE");
  });

  it("measures drawdown as a fraction of balance when the balance is known", () => {
    const r = scoreOf(scoreHistory(tradeSeries([1, -1, -1]), createScoreState({ startingBalance: 10_000 })), BUILDER_EPOCH + DAY);
    expect(r.components.drawdown.unit).toBe("fraction");
    expect(scoreOf(scoreHistory(tradeSeries([1, -1, -1])), BUILDER_EPOCH + DAY).components.drawdown.unit).toBe("R");
  });

  it("stays within 0–100 with a consistent interval for any history (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -20, max: 20, noNaN: true }), { maxLength: 80 }), fc.nat({ max: 400 }), (rs, days) => {
        const r = scoreOf(scoreHistory(tradeSeries(rs)), BUILDER_EPOCH + days * DAY);
        expect(r.score).toBeGreaterThanOrEqual(0);
        expect(r.score).toBeLessThanOrEqual(100);
        expect(r.uncertainty).toBeGreaterThanOrEqual(0);
        expect(r.interval[0]).toBeLessThanOrEqual(r.score + 1e-9);
        expect(r.interval[1]).toBeGreaterThanOrEqual(r.score - 1e-9);
        for (const c of Object.values(r.components)) expect(Number.isFinite(c.points)).toBe(true);
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});
