import { invalid } from "../../core/index.ts";
import { netResult, type ClosedTrade } from "./closed-trade.ts";
import { scoreOf } from "./score-of.ts";
import { applyTrade, createScoreState } from "./score-state.ts";
import { DEFAULT_SCORE_PARAMS, type ScoreParams } from "./score.config.ts";
import { spearman } from "./spearman.ts";

/** One provider's trade history, e.g. one account statement. */
export interface StatementTrades {
  name: string;
  trades: readonly ClosedTrade[];
}

/** Spearman ρ of scores against forward results, for the capped score, the uncapped score and a naive baseline. */
export interface RankCorrelation {
  /** (score, forward result) pairs: one per trade with a full horizon after it. */
  pairs: number;
  rho: number | null;
  rhoUncapped: number | null;
  /** Baseline: the net result of the last `horizon` trades closed before the decision, as the predictor. */
  rhoTrailing: number | null;
}

/** The correlations of one statement, with its number of trades. */
export interface StatementCorrelation extends RankCorrelation {
  name: string;
  trades: number;
}

/** What `forwardRankCorrelation` measured, per statement and over all of them. */
export interface ForwardCorrelationReport {
  horizon: number;
  perStatement: StatementCorrelation[];
  /** All statements' pairs together, each forward result divided by its statement's mean |net result| per trade × horizon. */
  pooled: RankCorrelation;
  /** Mean of the per-statement ρ that are defined. */
  meanRho: number | null;
  /** Ranking providers against each other: ρ over statements of the mean score vs the mean scaled forward result. */
  acrossStatements: { statements: number; rho: number | null };
}

/**
 * Walk-forward validation of the score: each statement is walked in open-time order; before each trade the
 * provider is scored at that trade's open time from the trades closed by then (no look-ahead), and the score
 * is paired with the net result of that trade and the next `horizon − 1` opened. Returns Spearman's ρ per
 * statement and pooled (forward results scaled per statement so that accounts of different size and currency
 * can be ranked together).
 */
export function forwardRankCorrelation(
  statements: readonly StatementTrades[],
  opts: { horizon: number; params?: ScoreParams },
): ForwardCorrelationReport {
  const h = opts.horizon;
  if (!(Number.isInteger(h) && h >= 1)) throw invalid("horizon", "must be a whole number of trades, at least 1", { value: h });
  const params = opts.params ?? DEFAULT_SCORE_PARAMS;
  const perStatement: StatementCorrelation[] = [];
  const pooled = { score: [] as number[], uncapped: [] as number[], trailing: [] as number[], forward: [] as number[] };
  const across = { score: [] as number[], forward: [] as number[] };

  for (const st of statements) {
    const byOpen = [...st.trades].sort((a, b) => a.openTime - b.openTime || a.closeTime - b.closeTime);
    const byClose = [...st.trades].sort((a, b) => a.closeTime - b.closeTime || a.openTime - b.openTime);
    const nets = byOpen.map(netResult);
    const closedNets = byClose.map(netResult);
    const scale = h * (nets.length > 0 ? mean(nets.map(Math.abs)) || 1 : 1);
    const score: number[] = [];
    const uncapped: number[] = [];
    const trailing: number[] = [];
    const forward: number[] = [];

    const prefix = [0];
    for (const x of nets) prefix.push(prefix[prefix.length - 1]! + x);

    let state = createScoreState();
    let closed = 0;
    let trailingSum = 0;
    for (let i = 0; i + h <= byOpen.length; i++) {
      const now = byOpen[i]!.openTime;
      while (closed < byClose.length && byClose[closed]!.closeTime <= now) {
        state = applyTrade(state, byClose[closed]!, params);
        trailingSum += closedNets[closed]!;
        if (closed >= h) trailingSum -= closedNets[closed - h]!;
        closed++;
      }
      const r = scoreOf(state, now, params);
      score.push(r.score);
      uncapped.push(r.uncapped);
      trailing.push(trailingSum);
      forward.push(prefix[i + h]! - prefix[i]!);
    }
    perStatement.push({ name: st.name, trades: byOpen.length, ...correlate(score, uncapped, trailing, forward) });
    pooled.score.push(...score);
    pooled.uncapped.push(...uncapped);
    pooled.trailing.push(...trailing.map((x) => x / scale));
    pooled.forward.push(...forward.map((x) => x / scale));
    if (forward.length > 0) {
      across.score.push(mean(score));
      across.forward.push(mean(forward) / scale);
    }
  }

  const defined = perStatement.map((s) => s.rho).filter((r): r is number => r !== null);
  return {
    horizon: h,
    perStatement,
    pooled: correlate(pooled.score, pooled.uncapped, pooled.trailing, pooled.forward),
    meanRho: defined.length > 0 ? mean(defined) : null,
    acrossStatements: { statements: across.score.length, rho: spearman(across.score, across.forward) },
  };
}

function mean(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}

function correlate(score: number[], uncapped: number[], trailing: number[], forward: number[]): RankCorrelation {
  return {
    pairs: forward.length,
    rho: spearman(score, forward),
    rhoUncapped: spearman(uncapped, forward),
    rhoTrailing: spearman(trailing, forward),
  };
}
