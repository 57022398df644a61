import { invalid } from "../../core/index.ts";
import { assertClosedTrade, netResult, respectedStopLoss, stopRisk, type ClosedTrade } from "./closed-trade.ts";
import { posteriorOf } from "./score-posterior.ts";
import { DEFAULT_SCORE_PARAMS, type ScoreParams } from "./score.config.ts";

/**
 * Everything the score needs about a provider's history, in about twenty numbers: a plain JSON object
 * updated in O(1) per closed trade. Sums marked "decayed" are exponentially forgotten: each closed trade
 * multiplies them by 2^(−1/memoryHalfLifeTrades).
 */
export interface ScoreState {
  v: 1;
  /** Closed trades applied (not decayed): drives maturity. */
  trades: number;
  firstOpenTime: number | null;
  lastCloseTime: number | null;
  /** Decayed count of winning trades (break-even counts half a win and half a loss). */
  wins: number;
  /** Decayed count of losing trades. */
  losses: number;
  /** Decayed sum and sum of squares of winning net results (account currency). */
  winSum: number;
  winSumSq: number;
  /** Decayed sum and sum of squares of losing net results, as positive magnitudes. */
  lossSum: number;
  lossSumSq: number;
  /** Decayed count of trades that respected a stop loss (`respectedStopLoss`). */
  slRespected: number;
  /** Cumulative result in R multiples, its running peak, and the decayed maximum drawdown below the peak. */
  cumR: number;
  peakR: number;
  maxDrawdownR: number;
  /** Provider balance when known (else null), its peak (shifted by cash flows), and the decayed max drawdown fraction. */
  balance: number | null;
  peakBalance: number | null;
  maxDrawdownFraction: number;
  winStreak: number;
  lossStreak: number;
  /** The posterior evidence score (0–100) right after the last trade; null before the first. */
  evidence: number | null;
  /** The score before idle decay and the maturity cap: follows falls in evidence at once, rises gradually (see `applyTrade`). */
  trust: number | null;
}

/** A fresh state; pass the provider's starting balance to measure drawdown against it instead of in R multiples. */
export function createScoreState(opts: { startingBalance?: number } = {}): ScoreState {
  const b = opts.startingBalance;
  if (b !== undefined && !(Number.isFinite(b) && b > 0)) throw invalid("startingBalance", "must be a positive number", { value: b });
  return {
    v: 1,
    trades: 0,
    firstOpenTime: null,
    lastCloseTime: null,
    wins: 0,
    losses: 0,
    winSum: 0,
    winSumSq: 0,
    lossSum: 0,
    lossSumSq: 0,
    slRespected: 0,
    cumR: 0,
    peakR: 0,
    maxDrawdownR: 0,
    balance: b ?? null,
    peakBalance: b ?? null,
    maxDrawdownFraction: 0,
    winStreak: 0,
    lossStreak: 0,
    evidence: null,
    trust: null,
  };
}

/**
 * Folds one closed trade into the state in O(1) and returns a new state (the input is not changed).
 *
 * Asymmetric decay: the posteriors forget symmetrically (one memory half-life, so they stay unbiased) and
 * the score is a trust level on top of them. When the new evidence score is below trust, trust drops to it at
 * once; after a non-losing trade with evidence above trust, trust closes the gap by 1 − 2^(−1/h)
 * (h = `recoveryHalfLifeTrades`); a losing trade never raises it. So a loss streak cuts the score at the
 * evidence's pace while a win streak earns it back at most at the recovery pace: falls are steeper than rises.
 *
 * R multiples: 1R is the money the trade risked at its stop loss (`stopRisk`), or, without a protective SL,
 * the provider's decayed average loss so far; the first such trade counts ±1R. Wins add at most `maxWinR`.
 */
export function applyTrade(state: ScoreState, trade: ClosedTrade, params: ScoreParams = DEFAULT_SCORE_PARAMS): ScoreState {
  assertClosedTrade(trade);
  const next = { ...state };
  accumulate(next, trade, params);
  return next;
}

/** Records a deposit (positive) or withdrawal (negative) so that it is not mistaken for a gain or a drawdown. */
export function applyCashflow(state: ScoreState, amount: number): ScoreState {
  if (!Number.isFinite(amount)) throw invalid("amount", "must be a finite number", { value: amount });
  if (state.balance === null || state.peakBalance === null) {
    const start = Math.max(0, amount);
    return { ...state, balance: start, peakBalance: start };
  }
  const balance = state.balance + amount;
  return { ...state, balance, peakBalance: Math.max(state.peakBalance + amount, balance) };
}

/**
 * Builds the state from a batch of closed trades in close-time order (stable for equal times), exactly as
 * folding `applyTrade` over them would, but mutating one private copy instead of allocating per trade.
 */
export function scoreHistory(
  trades: readonly ClosedTrade[],
  init: ScoreState = createScoreState(),
  params: ScoreParams = DEFAULT_SCORE_PARAMS,
): ScoreState {
  const ordered = trades.map((t, i) => ({ t, i })).sort((a, b) => a.t.closeTime - b.t.closeTime || a.i - b.i);
  const state = { ...init };
  for (const { t } of ordered) {
    assertClosedTrade(t);
    accumulate(state, t, params);
  }
  return state;
}

/** The one update rule shared by `applyTrade` and `scoreHistory`; mutates `s`. */
function accumulate(s: ScoreState, trade: ClosedTrade, p: ScoreParams): void {
  const net = netResult(trade);
  const keep = Math.pow(2, -1 / p.memoryHalfLifeTrades);

  const risk = stopRisk(trade) ?? (s.losses > 0 && s.lossSum > 0 ? s.lossSum / s.losses : undefined);
  const r = risk === undefined ? Math.sign(net) : Math.min(net / risk, p.maxWinR);

  s.wins *= keep;
  s.losses *= keep;
  s.winSum *= keep;
  s.winSumSq *= keep;
  s.lossSum *= keep;
  s.lossSumSq *= keep;
  s.slRespected *= keep;
  s.maxDrawdownR *= keep;
  s.maxDrawdownFraction *= keep;

  if (net > 0) {
    s.wins += 1;
    s.winSum += net;
    s.winSumSq += net * net;
    s.winStreak += 1;
    s.lossStreak = 0;
  } else if (net < 0) {
    s.losses += 1;
    s.lossSum -= net;
    s.lossSumSq += net * net;
    s.lossStreak += 1;
    s.winStreak = 0;
  } else {
    s.wins += 0.5;
    s.losses += 0.5;
  }
  if (respectedStopLoss(trade, p.slTolerance)) s.slRespected += 1;

  s.cumR += r;
  if (s.cumR > s.peakR) s.peakR = s.cumR;
  s.maxDrawdownR = Math.max(s.maxDrawdownR, s.peakR - s.cumR);

  if (s.balance !== null && s.peakBalance !== null) {
    s.balance += net;
    if (s.balance > s.peakBalance) s.peakBalance = s.balance;
    const dd = s.peakBalance > 0 ? (s.peakBalance - s.balance) / s.peakBalance : 1;
    s.maxDrawdownFraction = Math.max(s.maxDrawdownFraction, dd);
  }

  s.trades += 1;
  s.firstOpenTime = s.firstOpenTime === null ? trade.openTime : Math.min(s.firstOpenTime, trade.openTime);
  s.lastCloseTime = s.lastCloseTime === null ? trade.closeTime : Math.max(s.lastCloseTime, trade.closeTime);

  const evidence = posteriorOf(s, 1, p).evidence;
  if (s.trust === null || evidence <= s.trust) s.trust = evidence;
  else if (net >= 0) s.trust += (1 - Math.pow(2, -1 / p.recoveryHalfLifeTrades)) * (evidence - s.trust);
  s.evidence = evidence;
}
