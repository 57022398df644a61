import { invalid } from "../../core/index.ts";
import { forwardRankCorrelation } from "../score/index.ts";
import { scoreTradeOf, type ParsedStatement } from "../statements/index.ts";

/** One statement's walk-forward correlation. */
export interface StatementScoreCorrelation {
  name: string;
  trades: number;
  /** (score before a trade, net result of it and the next horizon − 1 trades) pairs. */
  pairs: number;
  spearman: number | null;
  /** Baseline: the net result of the last `horizon` closed trades as the predictor. */
  spearman_trailing: number | null;
}

/** What `riskloop evaluate score` prints. */
export interface ScoreEvaluation {
  horizon: number;
  statements: StatementScoreCorrelation[];
  /** Every statement's pairs together (forward results scaled per statement). */
  pooled: { pairs: number; spearman: number | null; spearman_trailing: number | null };
  /** Statements that share tickets with another one (two statements of one account): their trades count twice. */
  warnings: string[];
}

/**
 * Walks each statement in time order, scores the provider before each trade from its closed history so far,
 * and correlates that score (Spearman) with the net result of the next `horizon` trades, per statement and
 * pooled (`forwardRankCorrelation`).
 */
export function evaluateScore(statements: readonly ParsedStatement[], opts: { horizon: number }): ScoreEvaluation {
  if (statements.length === 0) throw invalid("statement", "give at least one statement file");
  const report = forwardRankCorrelation(
    statements.map((s) => ({ name: s.stem, trades: s.trades.map(scoreTradeOf) })),
    { horizon: opts.horizon },
  );
  return {
    horizon: report.horizon,
    statements: report.perStatement.map((s) => ({ name: s.name, trades: s.trades, pairs: s.pairs, spearman: s.rho, spearman_trailing: s.rhoTrailing })),
    pooled: { pairs: report.pooled.pairs, spearman: report.pooled.rho, spearman_trailing: report.pooled.rhoTrailing },
    warnings: sharedTickets(statements),
  };
}

function sharedTickets(statements: readonly ParsedStatement[]): string[] {
  const sets = statements.map((s) => new Set(s.trades.map((t) => `${s.header.broker}|${t.ticket}|${t.openTime}`)));
  const out: string[] = [];
  for (let a = 0; a < statements.length; a++) {
    for (let b = a + 1; b < statements.length; b++) {
      let shared = 0;
      for (const k of sets[a]!) if (sets[b]!.has(k)) shared++;
      if (shared > 0) out.push(`${statements[a]!.file} and ${statements[b]!.file} share ${shared} trades (one account?): those trades are counted twice in the pooled figure`);
    }
  }
  return out;
}
