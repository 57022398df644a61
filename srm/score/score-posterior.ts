import { normalCdf, normalPdf } from "./normal-distribution.ts";
import type { ScoreState } from "./score-state.ts";
import type { ScoreParams } from "./score.config.ts";

/** One component of the score: its posterior estimate and standard deviation, and what it is worth in points. */
export interface ScoreComponent {
  estimate: number;
  sd: number;
  /** 0–100. */
  points: number;
  /** Posterior standard deviation of `points` (delta method). */
  pointsSd: number;
  weight: number;
}

/** The drawdown component says which unit its estimate is in. */
export interface DrawdownComponent extends ScoreComponent {
  unit: "R" | "fraction";
}

export interface ScoreComponents {
  winRate: ScoreComponent;
  drawdown: DrawdownComponent;
  rewardToRisk: ScoreComponent;
  slCompliance: ScoreComponent;
}

/** The components, their weighted mean ("evidence", 0–100) and its posterior sd in points. */
export interface Posterior {
  components: ScoreComponents;
  evidence: number;
  uncertainty: number;
}

/**
 * The posterior of each component given the state, with every decayed sum scaled by `f` (idle decay, 1 = none).
 *
 * - win rate p ~ Beta(α0 + wins, β0 + losses); points = 100·Φ((p − p_be)/scale) with p_be = 1/(1 + RR), the
 *   break-even win rate at the estimated reward-to-risk, so a high win rate with small wins and big losses is
 *   not rewarded;
 * - reward-to-risk: log RR ~ Normal, prior N(0, τ²) (RR = 1), likelihood centred on log(average win / average
 *   loss) with variance cv²_win/wins + cv²_loss/losses (coefficients of variation shrunk toward 1); points =
 *   100·RR/(1 + RR) at the posterior median;
 * - drawdown: the decayed max drawdown (R multiples, or fraction of peak balance when the balance is known),
 *   shrunk toward its prior by `drawdownPriorTrades` pseudo-trades; points = 100/(1 + dd/half);
 * - SL compliance c ~ Beta(α0 + respected, β0 + rest); points = 100·c.
 * Evidence is the weighted mean of the points; its sd combines the components' point sds as if independent.
 */
export function posteriorOf(s: ScoreState, f: number, p: ScoreParams): Posterior {
  const wins = s.wins * f;
  const losses = s.losses * f;
  const weight = wins + losses;
  const rewardToRisk = payoffComponent(s, f, p);
  const winRate = winRateComponent(wins, losses, 1 / (1 + rewardToRisk.estimate), p);
  const drawdown = drawdownComponent(s, weight, p);
  const respected = s.slRespected * f;
  const slCompliance = betaComponent(p.slPriorAlpha + respected, p.slPriorBeta + Math.max(0, weight - respected), p.weightSlCompliance);

  let totalWeight = 0;
  let sum = 0;
  let variance = 0;
  for (const c of [winRate, drawdown, rewardToRisk, slCompliance]) {
    totalWeight += c.weight;
    sum += c.weight * c.points;
    variance += (c.weight * c.pointsSd) ** 2;
  }
  return {
    components: { winRate, drawdown, rewardToRisk, slCompliance },
    evidence: totalWeight > 0 ? sum / totalWeight : 50,
    uncertainty: totalWeight > 0 ? Math.sqrt(variance) / totalWeight : 0,
  };
}

function winRateComponent(wins: number, losses: number, breakEven: number, p: ScoreParams): ScoreComponent {
  const c = betaComponent(p.winPriorAlpha + wins, p.winPriorBeta + losses, p.weightWinRate);
  const z = (c.estimate - breakEven) / p.winRateScale;
  return { ...c, points: 100 * normalCdf(z), pointsSd: ((100 * normalPdf(z)) / p.winRateScale) * c.sd };
}

function payoffComponent(s: ScoreState, f: number, p: ScoreParams): ScoreComponent {
  const tau2 = p.payoffPriorLogSd ** 2;
  let mean = 0;
  let variance = tau2;
  if (s.winSum > 0 && s.lossSum > 0) {
    // Logs of each part: the ratio of the means itself can overflow for vanishing sums.
    const observed = Math.log(s.winSum) - Math.log(s.wins) - Math.log(s.lossSum) + Math.log(s.losses);
    const k = p.payoffPriorTrades;
    const v = shrunkCv2(s.winSum, s.winSumSq, s.wins, k) / (s.wins * f) + shrunkCv2(s.lossSum, s.lossSumSq, s.losses, k) / (s.losses * f);
    if (Number.isFinite(v)) {
      mean = (tau2 / (tau2 + v)) * observed;
      variance = (tau2 * v) / (tau2 + v);
    }
  }
  const rr = Math.exp(mean);
  const sdLog = Math.sqrt(variance);
  const share = rr / (1 + rr);
  return { estimate: rr, sd: rr * sdLog, points: 100 * share, pointsSd: 100 * share * (1 - share) * sdLog, weight: p.weightRewardToRisk };
}

/** Squared coefficient of variation of trade sizes, shrunk toward 1 (the exponential distribution's). */
function shrunkCv2(sum: number, sumSq: number, count: number, k: number): number {
  const mean = sum / count;
  const cv2 = sumSq / count / (mean * mean) - 1;
  return Number.isFinite(cv2) ? (k + count * Math.max(0, cv2)) / (k + count) : 1;
}

function drawdownComponent(s: ScoreState, weight: number, p: ScoreParams): DrawdownComponent {
  const inBalance = s.balance !== null;
  const prior = inBalance ? p.drawdownPriorFraction : p.drawdownPriorR;
  const half = inBalance ? p.drawdownHalfFraction : p.drawdownHalfR;
  const observed = inBalance ? s.maxDrawdownFraction : s.maxDrawdownR;
  const k = p.drawdownPriorTrades;
  const dd = (k * prior + weight * observed) / (k + weight);
  const sd = Math.max(prior, observed) * Math.sqrt(k / (k + weight));
  const x = 1 + dd / half;
  return { estimate: dd, sd, points: 100 / x, pointsSd: (100 / (half * x * x)) * sd, weight: p.weightDrawdown, unit: inBalance ? "fraction" : "R" };
}

function betaComponent(a: number, b: number, weight: number): ScoreComponent {
  const mean = a / (a + b);
  const sd = Math.sqrt((a * b) / ((a + b) ** 2 * (a + b + 1)));
  return { estimate: mean, sd, points: 100 * mean, pointsSd: 100 * sd, weight };
}
