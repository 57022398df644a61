import { createScoreState, DEFAULT_SCORE_PARAMS, netResult, respectedStopLoss, scoreHistory, scoreOf, type ClosedTrade, type ScoreParams } from "../score/index.ts";
import { BalanceCurve } from "./balance-curve.ts";
import { scoreInstant, type MetricPeriod } from "./metric-periods.ts";

/** Everything the metrics are computed from, for one provider. Times are epoch ms; money in account currency. */
export interface ProviderHistory {
  /** The provider's closed trades, in any order. */
  trades: readonly ClosedTrade[];
  /** The signal each trade closed (its master position), parallel to `trades`; defaults to the trade's id. */
  tradeKeys?: readonly string[];
  /** Opening signals SRM received from the provider (intents), keyed by the master position they copy. */
  signals: readonly { at: number; key: string }[];
  /** Fill slippage of the provider's executions, in pips, adverse positive. */
  slippage: readonly { at: number; pips: number }[];
  /** The balance before the first trade; null when unknown (then drawdown is known in money only). */
  startingBalance: number | null;
  /** Deposits (positive) and withdrawals (negative); they shift the drawdown peak instead of counting as results. */
  cashflows?: readonly { at: number; amount: number }[];
}

/** One period's metrics; rates are fractions of 1, money in account currency. */
export interface PeriodMetrics {
  period: MetricPeriod;
  /** Distinct signals: closed trades and opening intents, one per master position. */
  totalSignals: number;
  trades: number;
  /** Trades with a net result ≥ 0 (MT4 counts break-even trades as profit trades). */
  wins: number;
  losses: number;
  winRate: number | null;
  netProfit: number;
  grossProfit: number;
  /** Positive magnitude. */
  grossLoss: number;
  averageWin: number | null;
  averageLoss: number | null;
  /** Average win over average loss. */
  rewardToRisk: number | null;
  profitFactor: number | null;
  /** Deepest fall of the balance below its peak within the period, as a fraction of the peak; null without a starting balance. */
  maxDrawdown: number | null;
  maxDrawdownMoney: number;
  avgSlippage: number | null;
  slippageSamples: number;
  /** Share of trades that respected their stop loss (`respectedStopLoss` with the score's tolerance). */
  slComplianceRate: number | null;
  /** The provider's score at the period's end (or now, while it runs), from every trade closed by then; null before any. */
  performanceScore: number | null;
  scoreUncertainty: number | null;
  mature: boolean;
}

interface Sorted {
  trades: ClosedTrade[];
  keys: string[];
  closeTimes: number[];
  /** cumNet[i]: the summed net results of the first i trades. */
  cumNet: number[];
  cashflows: { at: number; amount: number }[];
  signals: { at: number; key: string }[];
  signalTimes: number[];
  slippage: { at: number; pips: number }[];
  slippageTimes: number[];
}

function sortHistory(h: ProviderHistory): Sorted {
  const order = h.trades.map((t, i) => i).sort((a, b) => h.trades[a]!.closeTime - h.trades[b]!.closeTime || a - b);
  const trades = order.map((i) => h.trades[i]!);
  const cumNet = [0];
  for (const t of trades) cumNet.push(cumNet[cumNet.length - 1]! + netResult(t));
  const byTime = <T extends { at: number }>(xs: readonly T[]) => [...xs].sort((a, b) => a.at - b.at);
  const signals = byTime(h.signals);
  const slippage = byTime(h.slippage);
  return {
    trades,
    keys: order.map((i) => h.tradeKeys?.[i] ?? h.trades[i]!.id ?? `trade-${i}`),
    closeTimes: trades.map((t) => t.closeTime),
    cumNet,
    cashflows: byTime(h.cashflows ?? []),
    signals,
    signalTimes: signals.map((x) => x.at),
    slippage,
    slippageTimes: slippage.map((x) => x.at),
  };
}

/** First index whose value is ≥ x (or > x when `after`). */
function search(sorted: readonly number[], x: number, after = false): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x || (after && sorted[mid]! === x)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index range of the sorted instants that fall in the period. */
function rangeIn(times: readonly number[], p: MetricPeriod): [number, number] {
  return [search(times, p.start), search(times, p.end, p.type === "LIFETIME")];
}

/**
 * Computes the metrics of each period for one provider. Trades belong to the period they closed in; the score is
 * folded over every trade closed by the period's end (walk-forward, as it stood then) and read at that end.
 * Drawdown starts from the balance at the period's start (starting balance, earlier results and cash flows).
 */
export function computePeriodMetrics(history: ProviderHistory, periods: readonly MetricPeriod[], asOf: number, params: ScoreParams = DEFAULT_SCORE_PARAMS): PeriodMetrics[] {
  const s = sortHistory(history);
  const byFold = periods.map((p, i) => ({ p, i, hi: rangeIn(s.closeTimes, p)[1] })).sort((a, b) => a.hi - b.hi);
  const scores = new Array<{ score: number; uncertainty: number; mature: boolean } | null>(periods.length);
  let state = createScoreState();
  let folded = 0;
  for (const { p, i, hi } of byFold) {
    if (hi > folded) {
      state = scoreHistory(s.trades.slice(folded, hi), state, params);
      folded = hi;
    }
    const r = state.trades > 0 ? scoreOf(state, scoreInstant(p, asOf), params) : null;
    scores[i] = r && { score: r.score, uncertainty: r.uncertainty, mature: r.mature };
  }
  return periods.map((p, i) => ({ ...periodStats(s, history, p, params), performanceScore: scores[i]?.score ?? null, scoreUncertainty: scores[i]?.uncertainty ?? null, mature: scores[i]?.mature ?? false }));
}

function periodStats(s: Sorted, h: ProviderHistory, p: MetricPeriod, params: ScoreParams) {
  const [lo, hi] = rangeIn(s.closeTimes, p);
  let wins = 0;
  let grossProfit = 0;
  let grossLoss = 0;
  let respected = 0;
  for (let i = lo; i < hi; i++) {
    const t = s.trades[i]!;
    const net = netResult(t);
    if (net >= 0) {
      wins++;
      grossProfit += net;
    } else grossLoss -= net;
    if (respectedStopLoss(t, params.slTolerance)) respected++;
  }
  const trades = hi - lo;
  const losses = trades - wins;
  const averageWin = wins > 0 ? grossProfit / wins : null;
  const averageLoss = losses > 0 ? grossLoss / losses : null;

  const keys = new Set(s.keys.slice(lo, hi));
  const [sigLo, sigHi] = rangeIn(s.signalTimes, p);
  for (let i = sigLo; i < sigHi; i++) keys.add(s.signals[i]!.key);
  const [slipLo, slipHi] = rangeIn(s.slippageTimes, p);
  let slipSum = 0;
  for (let i = slipLo; i < slipHi; i++) slipSum += s.slippage[i]!.pips;
  const slipN = slipHi - slipLo;
  const curve = drawdownCurve(s, h.startingBalance ?? 0, p, lo, hi);
  return {
    period: p,
    totalSignals: keys.size,
    trades,
    wins,
    losses,
    winRate: trades > 0 ? wins / trades : null,
    netProfit: grossProfit - grossLoss,
    grossProfit,
    grossLoss,
    averageWin,
    averageLoss,
    rewardToRisk: averageWin !== null && averageLoss !== null && averageLoss > 0 ? averageWin / averageLoss : null,
    profitFactor: grossLoss > 0 ? grossProfit / grossLoss : null,
    maxDrawdown: h.startingBalance === null ? null : curve.maxDrawdownFraction,
    maxDrawdownMoney: curve.maxDrawdownMoney,
    avgSlippage: slipN > 0 ? slipSum / slipN : null,
    slippageSamples: slipN,
    slComplianceRate: trades > 0 ? respected / trades : null,
  };
}

/** The balance curve over the period, started from the balance at its start; a cash flow precedes a trade at the same instant. */
function drawdownCurve(s: Sorted, startingBalance: number, p: MetricPeriod, lo: number, hi: number): BalanceCurve {
  let opening = startingBalance + s.cumNet[lo]!;
  let c = 0;
  for (; c < s.cashflows.length && s.cashflows[c]!.at < p.start; c++) opening += s.cashflows[c]!.amount;
  const curve = new BalanceCurve(opening);
  for (let i = lo; i < hi; i++) {
    const t = s.trades[i]!;
    for (; c < s.cashflows.length && s.cashflows[c]!.at <= t.closeTime; c++) curve.cashflow(s.cashflows[c]!.amount);
    curve.pnl(netResult(t));
  }
  return curve;
}
