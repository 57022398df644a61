import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BUILDER_EPOCH, buildTrade, tradeSeries } from "./closed-trade.builder.ts";
import type { ClosedTrade } from "./closed-trade.ts";
import { applyCashflow, applyTrade, createScoreState, scoreHistory, type ScoreState } from "./score-state.ts";
import { DEFAULT_SCORE_PARAMS } from "./score.config.ts";

const arbTrade: fc.Arbitrary<ClosedTrade> = fc
  .record({
    open: fc.integer({ min: 0, max: 60 * 86_400 }),
    hold: fc.integer({ min: 0, max: 5 * 86_400 }),
    profit: fc.double({ min: -5000, max: 5000, noNaN: true }),
    costs: fc.option(fc.double({ min: -20, max: 5, noNaN: true }), { nil: undefined }),
    volume: fc.double({ min: 0.01, max: 50, noNaN: true }),
    side: fc.constantFrom("BUY" as const, "SELL" as const),
    openPrice: fc.double({ min: 0.5, max: 3000, noNaN: true }),
    move: fc.double({ min: -0.05, max: 0.05, noNaN: true }),
    slOffset: fc.option(fc.double({ min: -0.05, max: 0.05, noNaN: true }), { nil: undefined }),
  })
  .map((x) => ({
    openTime: BUILDER_EPOCH + x.open * 1000,
    closeTime: BUILDER_EPOCH + (x.open + x.hold) * 1000,
    profit: x.profit,
    ...(x.costs === undefined ? {} : { costs: x.costs }),
    volume: x.volume,
    symbol: "XAUUSD",
    side: x.side,
    openPrice: x.openPrice,
    closePrice: x.openPrice * (1 + x.move),
    ...(x.slOffset === undefined ? {} : { stopLoss: x.openPrice * (1 + x.slOffset) }),
    closeReason: "UNKNOWN" as const,
  }));

const fold = (trades: readonly ClosedTrade[], init: ScoreState = createScoreState()): ScoreState =>
  [...trades].sort((a, b) => a.closeTime - b.closeTime).reduce((s, t) => applyTrade(s, t), init);

describe("ScoreState", () => {
  it("is plain JSON that survives a round trip, and its size does not grow with history", () => {
    const after10 = scoreHistory(tradeSeries(Array.from({ length: 10 }, (_, i) => (i % 3 === 0 ? -1 : 1.5))));
    const after5000 = scoreHistory(tradeSeries(Array.from({ length: 5000 }, (_, i) => (i % 3 === 0 ? -1 : 1.5))));
    expect(JSON.parse(JSON.stringify(after5000))).toEqual(after5000);
    expect(Object.keys(after5000)).toEqual(Object.keys(after10));
    expect(JSON.stringify(after5000).length).toBeLessThan(600);
    expect(after5000.trades).toBe(5000);
  });

  it("applyTrade returns a new state and leaves its input untouched", () => {
    const s0 = createScoreState();
    const copy = structuredClone(s0);
    const s1 = applyTrade(s0, buildTrade({ r: 2 }));
    expect(s0).toEqual(copy);
    expect(s1).not.toBe(s0);
    expect(s1.trades).toBe(1);
  });

  it("scoreHistory equals folding applyTrade in close-time order (property)", () => {
    fc.assert(
      fc.property(fc.array(arbTrade, { maxLength: 60 }), fc.option(fc.double({ min: 100, max: 1e6, noNaN: true }), { nil: undefined }), (trades, balance) => {
        const init = createScoreState(balance === undefined ? {} : { startingBalance: balance });
        expect(scoreHistory(trades, init)).toEqual(fold(trades, init));
      }),
      { seed: 20240101, numRuns: 200 },
    );
  });

  it("a batch split in two equals the whole batch (property)", () => {
    fc.assert(
      fc.property(fc.array(arbTrade, { minLength: 1, maxLength: 40 }), fc.nat(), (trades, cut) => {
        const sorted = [...trades].sort((a, b) => a.closeTime - b.closeTime);
        const k = cut % sorted.length;
        expect(scoreHistory(sorted.slice(k), scoreHistory(sorted.slice(0, k)))).toEqual(scoreHistory(sorted));
      }),
      { seed: 7, numRuns: 100 },
    );
  });

  it("measures the R curve from the stop loss: -1R then +2R then -1R", () => {
    const s = scoreHistory(tradeSeries([-1, 2, -1]));
    expect(s.cumR).toBeCloseTo(0, 9);
    expect(s.peakR).toBeCloseTo(1, 9);
    // The earlier 1R drawdown has decayed by 2^(-2/50), but the current drawdown is a full 1R.
    expect(s.maxDrawdownR).toBeCloseTo(1, 9);
    expect(s.winStreak).toBe(0);
    expect(s.lossStreak).toBe(1);
  });

  it("without a stop loss, 1R is the average loss so far", () => {
    const noSl = (r: number, i: number) => buildTrade({ r, at: BUILDER_EPOCH + i * 3_600_000, stopLoss: undefined });
    const s = scoreHistory([noSl(-1, 0), noSl(-3, 1), noSl(4, 2)]);
    // -1 (first loss, ±1R) ; -3 / avg(500) = -3 ; +2000 / decayed avg loss (500·k + 1500)/(k + 1).
    const k = Math.pow(2, -1 / DEFAULT_SCORE_PARAMS.memoryHalfLifeTrades);
    const avgLoss = (500 * k + 1500) / (k + 1);
    expect(s.cumR).toBeCloseTo(-1 - 3 + 2000 / avgLoss, 9);
  });

  it("caps a win from a tiny stop at maxWinR", () => {
    const s = applyTrade(createScoreState(), buildTrade({ r: 1, stopLoss: 1.0999 }));
    expect(s.cumR).toBe(DEFAULT_SCORE_PARAMS.maxWinR);
  });

  it("tracks drawdown against a known balance, and cash flows are not drawdowns", () => {
    let s = createScoreState({ startingBalance: 10_000 });
    s = applyTrade(s, buildTrade({ r: -2, profit: -1000 }));
    s = applyTrade(s, buildTrade({ r: -2, profit: -1000, at: BUILDER_EPOCH + 7_200_000 }));
    expect(s.balance).toBe(8000);
    expect(s.maxDrawdownFraction).toBeCloseTo(0.2, 12);

    const withdrawn = applyCashflow(createScoreState({ startingBalance: 10_000 }), -4000);
    expect(withdrawn.balance).toBe(6000);
    expect(withdrawn.peakBalance).toBe(6000);
    const after = applyTrade(withdrawn, buildTrade({ r: -1, profit: -600 }));
    expect(after.maxDrawdownFraction).toBeCloseTo(0.1, 12);
  });

  it("a first deposit sets an unknown balance", () => {
    expect(applyCashflow(createScoreState(), 5000)).toMatchObject({ balance: 5000, peakBalance: 5000 });
  });

  it("rejects malformed input with an invalid error", () => {
    expect(() => applyTrade(createScoreState(), buildTrade({ profit: Number.NaN }))).toThrow(/trade.profit/);
    expect(() => createScoreState({ startingBalance: -1 })).toThrow(/startingBalance/);
    expect(() => applyCashflow(createScoreState(), Number.POSITIVE_INFINITY)).toThrow(/amount/);
  });
});
