import { describe, expect, it } from "vitest";
import { scoreHistory, scoreOf, type ClosedTrade } from "../score/index.ts";
import { periodOf } from "./metric-periods.ts";
import { computePeriodMetrics, type ProviderHistory } from "./period-metrics.ts";

const D0 = Date.UTC(2024, 2, 12);
const D1 = D0 + 86_400_000;
const H = 3_600_000;

function trade(id: string, over: Partial<ClosedTrade>): ClosedTrade {
  return { id, openTime: D0, closeTime: D0 + H, profit: 0, costs: 0, volume: 1, symbol: "EURUSD", side: "BUY", openPrice: 1.1, closePrice: 1.1, closeReason: "UNKNOWN", ...over };
}

// Net results 90, −50, 0, −120; a 500 deposit between the second and the third.
const t1 = trade("1", { openTime: D0 + 10 * H, closeTime: D0 + 11 * H, profit: 100, costs: -10, closePrice: 1.101, stopLoss: 1.098, closeReason: "TP" });
const t2 = trade("2", { openTime: D0 + 12 * H, closeTime: D0 + 15 * H, profit: -45, costs: -5, side: "SELL", openPrice: 1.1, closePrice: 1.1005, stopLoss: 1.1005, closeReason: "SL" });
const t3 = trade("3", { openTime: D1 + 8 * H, closeTime: D1 + 9 * H, profit: 0 });
const t4 = trade("4", { openTime: D1 + 10 * H, closeTime: D1 + 12 * H, profit: -118, costs: -2, closePrice: 1.0988 });

const history: ProviderHistory = {
  trades: [t4, t2, t1, t3],
  signals: [
    { at: D0 + 10 * H, key: "1" }, // the intent copying trade 1: the same signal
    { at: D1 + 13 * H, key: "open-5" },
  ],
  slippage: [
    { at: D0 + 11 * H, pips: 0.5 },
    { at: D0 + 15 * H, pips: 1.5 },
  ],
  startingBalance: 1000,
  cashflows: [{ at: D1 + 8 * H, amount: 500 }],
};
const asOf = D1 + 20 * H;

describe("computePeriodMetrics", () => {
  const [day0, day1, life] = computePeriodMetrics(history, [periodOf("DAILY", D0), periodOf("DAILY", D1), periodOf("LIFETIME", asOf)], asOf);

  it("counts wins as MT4 does (net ≥ 0) and derives reward-to-risk and profit factor", () => {
    expect(life).toMatchObject({ trades: 4, wins: 2, losses: 2, winRate: 0.5, grossProfit: 90, grossLoss: 170, netProfit: -80, averageWin: 45, averageLoss: 85 });
    expect(life!.rewardToRisk).toBeCloseTo(45 / 85, 12);
    expect(life!.profitFactor).toBeCloseTo(90 / 170, 12);
    expect(day0).toMatchObject({ trades: 2, wins: 1, winRate: 0.5, rewardToRisk: 90 / 50, profitFactor: 90 / 50 });
    expect(day1).toMatchObject({ trades: 2, wins: 1, grossProfit: 0, profitFactor: 0 });
  });

  it("measures drawdown on the balance from the period's start, with cash flows shifting the peak", () => {
    // 1000 → 1090 (peak) → 1040; deposit +500 (peak 1590) → 1540 → 1420: the deepest fall is 170 below 1590.
    expect(life!.maxDrawdownMoney).toBeCloseTo(170, 9);
    expect(life!.maxDrawdown).toBeCloseTo(170 / 1590, 12);
    expect(day0!.maxDrawdown).toBeCloseTo(50 / 1090, 12);
    // Day 1 opens at 1040, the deposit lifts it to 1540, the last trade takes it to 1420.
    expect(day1!.maxDrawdown).toBeCloseTo(120 / 1540, 12);
    const unknown = computePeriodMetrics({ ...history, startingBalance: null }, [periodOf("LIFETIME", asOf)], asOf)[0]!;
    expect(unknown.maxDrawdown).toBeNull();
    expect(unknown.maxDrawdownMoney).toBeCloseTo(170, 9);
  });

  it("counts signals once per master position, averages fill slippage and SL compliance", () => {
    expect(day0).toMatchObject({ totalSignals: 2, avgSlippage: 1, slippageSamples: 2, slComplianceRate: 1 });
    expect(day1).toMatchObject({ totalSignals: 3, avgSlippage: null, slippageSamples: 0, slComplianceRate: 0 });
    expect(life).toMatchObject({ totalSignals: 5, slComplianceRate: 0.5 });
  });

  it("scores each period with the trades closed by its end, at its end", () => {
    const atDay0End = scoreOf(scoreHistory([t1, t2]), periodOf("DAILY", D0).end);
    expect(day0!.performanceScore).toBe(atDay0End.score);
    expect(day0!.scoreUncertainty).toBe(atDay0End.uncertainty);
    const now = scoreOf(scoreHistory([t1, t2, t3, t4]), asOf);
    expect(life!.performanceScore).toBe(now.score);
    expect(life!.mature).toBe(false);
  });

  it("never looks ahead: later trades change nothing in an earlier period", () => {
    const later = trade("9", { openTime: D1 + 14 * H, closeTime: D1 + 15 * H, profit: 5000 });
    const [again] = computePeriodMetrics({ ...history, trades: [...history.trades, later] }, [periodOf("DAILY", D0)], asOf);
    expect(again).toEqual(day0);
  });

  it("puts a trade closing on a day's end in the next day, and one closing at the computation instant in the lifetime", () => {
    const edge = trade("7", { openTime: D0 + 20 * H, closeTime: D1, profit: 10 });
    const [d0, d1, lifetime] = computePeriodMetrics({ ...history, trades: [edge] }, [periodOf("DAILY", D0), periodOf("DAILY", D1), periodOf("LIFETIME", D1)], D1);
    expect([d0!.trades, d1!.trades, lifetime!.trades]).toEqual([0, 1, 1]);
  });

  it("reports nothing but zeros and nulls for an empty period", () => {
    const [empty] = computePeriodMetrics(history, [periodOf("DAILY", D0 - 86_400_000)], asOf);
    expect(empty).toMatchObject({ trades: 0, totalSignals: 0, winRate: null, rewardToRisk: null, maxDrawdown: 0, performanceScore: null });
  });
});
