import { Z90 } from "./normal-distribution.ts";
import { posteriorOf, type ScoreComponents } from "./score-posterior.ts";
import { scoreReasons, type ScoreReason } from "./score-reasons.ts";
import type { ScoreState } from "./score-state.ts";
import { DEFAULT_SCORE_PARAMS, type ScoreParams } from "./score.config.ts";

/** What `scoreOf` returns: the score, how sure it is, what it is made of, and why it is where it is. */
export interface ScoreResult {
  /** 0–100; capped at `immatureCap` until the provider is mature. */
  score: number;
  /** The score before the maturity cap. */
  uncapped: number;
  /** The posterior evidence (weighted mean of the component points) before the recovery lag and the cap. */
  evidence: number;
  /** Points the score lags below its evidence while the provider recovers from a fall. */
  recoveryGap: number;
  /** Posterior standard deviation of the score, in score points. */
  uncertainty: number;
  /** 90% credible interval (normal approximation), clipped to 0–100 and to the cap. */
  interval: [number, number];
  components: ScoreComponents;
  mature: boolean;
  maturity: { trades: number; minTrades: number; weeks: number; minWeeks: number };
  /** Evidence weight left after idle decay (1 = the provider closed a trade just now). */
  idleWeight: number;
  lossStreak: number;
  reasons: ScoreReason[];
}

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/**
 * Scores a provider at time `now` from its state, in O(1): the posterior evidence (see `posteriorOf`) with
 * all evidence decayed by 2^(−idle days/idleHalfLifeDays), minus the recovery gap between the evidence and
 * the trust level at the last trade (see `applyTrade`; idleness decays the gap too), capped at `immatureCap` until the provider has `minTrades` trades and
 * `minWeeks` weeks of history.
 */
export function scoreOf(state: ScoreState, now: number, params: ScoreParams = DEFAULT_SCORE_PARAMS): ScoreResult {
  const p = params;
  const idleDays = state.lastCloseTime === null ? 0 : Math.max(0, now - state.lastCloseTime) / DAY_MS;
  const f = Math.pow(2, -idleDays / p.idleHalfLifeDays);
  const post = posteriorOf(state, f, p);
  const recoveryGap = state.evidence === null || state.trust === null ? 0 : (state.evidence - state.trust) * f;
  const uncapped = Math.max(0, post.evidence - recoveryGap);

  const weeks = state.firstOpenTime === null ? 0 : Math.max(0, now - state.firstOpenTime) / WEEK_MS;
  const mature = state.trades >= p.minTrades && weeks >= p.minWeeks;
  const ceiling = mature ? 100 : p.immatureCap;
  const u = post.uncertainty;

  const result: ScoreResult = {
    score: Math.min(uncapped, ceiling),
    uncapped,
    evidence: post.evidence,
    recoveryGap,
    uncertainty: u,
    interval: [clamp(uncapped - Z90 * u, 0, ceiling), clamp(uncapped + Z90 * u, 0, ceiling)],
    components: post.components,
    mature,
    maturity: { trades: state.trades, minTrades: p.minTrades, weeks, minWeeks: p.minWeeks },
    idleWeight: f,
    lossStreak: state.lossStreak,
    reasons: [],
  };
  result.reasons = scoreReasons(result, idleDays, p);
  return result;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
