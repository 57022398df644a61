import type { ScoreResult } from "./score-of.ts";
import type { ScoreParams } from "./score.config.ts";

/** Stable codes of the reasons a score result carries, with what each means. */
export const SCORE_REASON_CODES = {
  SCORE_NO_HISTORY: "No closed trade yet: the score is the prior.",
  SCORE_IMMATURE: "Too few trades or weeks of history: the score is capped until the provider is mature.",
  SCORE_IDLE: "No trade closed for a while: the evidence is decayed toward the prior.",
  SCORE_LOSS_STREAK: "The provider is in a loss streak.",
  SCORE_RECOVERING: "After a fall the score climbs back more slowly than the evidence does.",
  SCORE_NEGATIVE_EDGE: "The win rate is below the break-even rate for the provider's reward-to-risk.",
  SCORE_DEEP_DRAWDOWN: "The recent max drawdown is deeper than the level that scores 50 points.",
  SCORE_LOW_SL_COMPLIANCE: "Fewer than half of recent trades had a stop loss that held.",
  SCORE_UNCERTAIN: "The score's posterior standard deviation exceeds 10 points.",
} as const;

export type ScoreReasonCode = keyof typeof SCORE_REASON_CODES;

/** A reason with its stable code and a sentence for people. */
export interface ScoreReason {
  code: ScoreReasonCode;
  text: string;
}

/** The reasons that apply to a computed score, most important first. */
export function scoreReasons(r: ScoreResult, idleDays: number, p: ScoreParams): ScoreReason[] {
  const out: ScoreReason[] = [];
  const { winRate, drawdown, rewardToRisk, slCompliance } = r.components;
  const m = r.maturity;
  if (m.trades === 0) out.push({ code: "SCORE_NO_HISTORY", text: `no closed trades yet: score ${fmt(r.score)} is the prior` });
  if (!r.mature) {
    out.push({
      code: "SCORE_IMMATURE",
      text: `${m.trades} of ${m.minTrades} trades and ${m.weeks.toFixed(1)} of ${m.minWeeks} weeks of history: score capped at ${fmt(p.immatureCap)} until mature`,
    });
  }
  if (m.trades > 0 && r.idleWeight < 0.8) {
    out.push({ code: "SCORE_IDLE", text: `no trade closed for ${idleDays.toFixed(0)} days: history weighted by ${r.idleWeight.toFixed(2)}` });
  }
  if (r.lossStreak >= p.lossStreakReason) out.push({ code: "SCORE_LOSS_STREAK", text: `${r.lossStreak} losses in a row` });
  if (r.recoveryGap >= 1) {
    out.push({ code: "SCORE_RECOVERING", text: `score held ${fmt(r.recoveryGap)} points below its evidence ${fmt(r.evidence)} while recovering from a fall` });
  }
  const breakEven = 1 / (1 + rewardToRisk.estimate);
  if (m.trades > 0 && winRate.estimate < breakEven) {
    out.push({
      code: "SCORE_NEGATIVE_EDGE",
      text: `win rate ${pct(winRate.estimate)} is below the break-even ${pct(breakEven)} at reward-to-risk ${rewardToRisk.estimate.toFixed(2)}`,
    });
  }
  if (drawdown.points < 50) {
    const shown = drawdown.unit === "R" ? `${drawdown.estimate.toFixed(1)}R` : pct(drawdown.estimate);
    out.push({ code: "SCORE_DEEP_DRAWDOWN", text: `recent max drawdown ${shown} scores ${fmt(drawdown.points)} points` });
  }
  if (m.trades > 0 && slCompliance.estimate < 0.5) {
    out.push({ code: "SCORE_LOW_SL_COMPLIANCE", text: `SL compliance ${pct(slCompliance.estimate)}: most recent trades had no stop loss or broke it` });
  }
  if (r.uncertainty > 10) out.push({ code: "SCORE_UNCERTAIN", text: `score ${fmt(r.score)} ± ${fmt(r.uncertainty)} points (1 sd)` });
  return out;
}

function fmt(x: number): string {
  return x.toFixed(0);
}

function pct(x: number): string {
  return `${(100 * x).toFixed(0)}%`;
}
