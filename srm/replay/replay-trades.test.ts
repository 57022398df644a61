import { describe, expect, it } from "vitest";
import { Decimal } from "../../core/index.ts";
import { DEFAULT_SRM_POLICY } from "../decision/srm-policy.ts";
import { DEFAULT_LOT_PARAMS } from "../lot/index.ts";
import { emergencyStopRule } from "../risk/index.ts";
import { replayHistoryOf } from "./replay-history.ts";
import { NONE_POLICY, type ReplayPolicy } from "./replay-policy.ts";
import { replayTrades, type ReplayTraceEntry } from "./replay-trades.ts";
import { aStatement, HOUR, REPLAY_DAY, type RowSpec } from "./statement.builder.ts";

// One trading day (New York closes at 21:00 UTC on 12 March 2024) and one trade on the next.
const DAY: RowSpec[] = [
  { ticket: "1", open: 10, close: 11, sl: "1.0980", tp: "1.1020", closePrice: "1.1020", profit: "200", reason: "TP" },
  { ticket: "2", open: 12, close: 13, type: "sell", sl: "1.1020", closePrice: "1.1021", profit: "-210", reason: "SL" },
  { ticket: "3", open: 14, close: 15, size: "2", closePrice: "1.0990", profit: "-200" },
  { ticket: "4", open: 16, close: 17, sl: "1.0980", tp: "1.1020", closePrice: "1.1020", profit: "200", reason: "TP" },
  { ticket: "5", open: 22, close: 23, sl: "1.0980", tp: "1.1020", closePrice: "1.1020", profit: "200", reason: "TP" },
];
const history = replayHistoryOf(aStatement(DAY), { startingBalance: 10_000 });

/** SRM with the provider-score multipliers and the score filter off, and risk per trade capped at 1% of equity. */
const cappedSrm = (over: Partial<typeof DEFAULT_SRM_POLICY> = {}): ReplayPolicy => ({
  name: "srm",
  kind: "srm",
  policy: { ...DEFAULT_SRM_POLICY, rejectScoreBelow: 0, ...over },
  models: { slippage: null },
  lotParams: { ...DEFAULT_LOT_PARAMS, maxRiskPercent: 1, scoreLowThreshold: 0, scoreFloorAt: 0, scoreHighThreshold: 100 },
});

describe("replayTrades", () => {
  it("copies at the provider's lot under `none` and stops for the day at the daily loss limit", () => {
    const r = replayTrades(history, NONE_POLICY);
    // 10 000 → 10 200 → 9 990 → 9 790: 2.1% below the day's start; trade 4 waits for the next trading day.
    expect(r).toMatchObject({
      net_profit: -10,
      final_balance: 9990,
      trades: 4,
      trades_filtered: 1,
      filtered_by: { SRM_ACCOUNT_REDUCING: 1 },
      stop_outs: 1,
      stop_outs_by: { "daily-loss-limit": 1 },
      lots_reduced: 0,
      max_drawdown_money: 410,
      max_drawdown_pct: 4.0196,
    });
    expect(r.protection_events[0]).toMatchObject({ at: new Date(REPLAY_DAY + 15 * HOUR).toISOString(), rule: "daily-loss-limit" });
  });

  it("sizes, buffers and re-prices copies through decide", () => {
    const r = replayTrades(history, cappedSrm());
    // Lots from 1% risk at the buffered stop (21 pips = 210 a lot): 0.47, 0.48; trade 3 has no stop, so SRM sizes
    // against a 50-pip notional stop: 0.19; then 0.47 and 0.47. Trade 2's stop (1.1020, filled 1.1021) is
    // buffered to 1.1021, so the copy fills a pip beyond it, at 1.1022.
    // Nets: +94, −0.0022·100 000·0.48 = −105.6, −200·0.19/2 = −19, +94, +94.
    expect(r).toMatchObject({
      net_profit: 157.4,
      final_balance: 10157.4,
      trades: 5,
      trades_filtered: 0,
      lots_reduced: 5,
      lots_copied: 2.08,
      provider_lots_of_copied: 6,
      sl_buffered: 4,
      sl_buffered_exits: 1,
      stop_outs: 0,
      max_drawdown_money: 124.6,
      max_drawdown_pct: 1.2344,
    });
  });

  it("filters signals the policy rejects, counting each reason", () => {
    const r = replayTrades(history, cappedSrm({ rejectScoreBelow: 100 }));
    // The first trade comes before the provider has any closed trade, so there is no score to reject it on.
    expect(r).toMatchObject({ trades: 1, trades_filtered: 4, filtered_by: { SRM_PROVIDER_SCORE_LOW: 4 }, net_profit: 94 });
  });

  describe("emergency stop", () => {
    const rows: RowSpec[] = [
      { ticket: "1", open: 10, close: 11, size: "0.1", closePrice: "1.0900", profit: "-100" },
      { ticket: "2", open: 12, close: 13, size: "0.1", closePrice: "1.0900", profit: "-100" },
      { ticket: "3", open: 14, close: 15, size: "0.1", closePrice: "1.1050", profit: "50" },
      { ticket: "4", open: 22, close: 23, size: "0.1", closePrice: "1.1050", profit: "50" },
    ];
    const h = replayHistoryOf(aStatement(rows), { startingBalance: 1000 });
    const rules = [emergencyStopRule()];

    it("halts the account for the rest of the replay", () => {
      expect(replayTrades(h, NONE_POLICY, { rules })).toMatchObject({
        net_profit: -200,
        trades: 2,
        filtered_by: { SRM_ACCOUNT_HALTED: 2 },
        stop_outs_by: { "emergency-stop": 1 },
        max_drawdown_pct: 20,
      });
    });

    it("resumes at the next trading day when a reset is modelled", () => {
      expect(replayTrades(h, NONE_POLICY, { rules, resetNextDay: true })).toMatchObject({ net_profit: -150, trades: 3, filtered_by: { SRM_ACCOUNT_HALTED: 1 } });
    });
  });

  it("refuses copies the margin cannot carry and stops the account out at the broker's level", () => {
    const rows: RowSpec[] = [
      { ticket: "1", open: 10, close: 20, size: "0.8", closePrice: "1.1010", profit: "80" },
      { ticket: "2", open: 10.5, close: 11, size: "0.2", closePrice: "1.1005", profit: "10" },
      { ticket: "3", open: 11, close: 12, size: "0.1", closePrice: "1.0400", profit: "-600" },
      { ticket: "4", open: 13, close: 14, size: "0.1", closePrice: "1.1010", profit: "10" },
    ];
    // 1:100: 880 of margin for trade 1 leaves 120, too little for trade 2's 220; trade 3's loss leaves 400
    // of equity against 880 of margin (45%), below the 50% stop-out level.
    const h = replayHistoryOf(aStatement(rows, { header: { broker: "", account: "", currency: "USD", leverage: "1:100" } }), { startingBalance: 1000 });
    expect(replayTrades(h, NONE_POLICY, { rules: [] })).toMatchObject({
      net_profit: -520,
      trades: 2,
      filtered_by: { BROKER_NOT_ENOUGH_MARGIN: 1, SRM_ACCOUNT_HALTED: 1 },
      stop_outs_by: { "broker-stop-out": 1 },
    });
  });

  it("reproduces the provider exactly with no protection, no margin and its cash flows", () => {
    const withdrawal = { ticket: "9", line: 0, time: REPLAY_DAY + 12.5 * HOUR, comment: "", amount: new Decimal(-500) };
    const h = replayHistoryOf(aStatement(DAY, { cashflows: [withdrawal] }), { startingBalance: 10_000 });
    const r = replayTrades(h, NONE_POLICY, { rules: [], stopOutLevel: null, cashflows: "replay" });
    expect(r).toMatchObject({ net_profit: 190, final_balance: 9690, trades: 5, trades_filtered: 0 });
  });

  it("is deterministic", () => {
    expect(replayTrades(history, cappedSrm())).toEqual(replayTrades(history, cappedSrm()));
  });

  it("scores the provider walk-forward: a trade's outcome reaches only decisions made after it closed", () => {
    // 40 overlapping trades, two hours long, one an hour, one winner in four; trade 20 is changed into a big loss.
    const rows = (bigLoss: boolean): RowSpec[] =>
      Array.from({ length: 40 }, (_, i) => {
        const [closePrice, profit] = bigLoss && i === 20 ? ["1.0900", "-1000"] : i % 4 === 0 ? ["1.1030", "300"] : ["1.0985", "-150"];
        return { ticket: String(100 + i), open: i, close: i + 2, sl: "1.0980", closePrice, profit };
      });
    const trace = (bigLoss: boolean) => {
      const entries: ReplayTraceEntry[] = [];
      replayTrades(replayHistoryOf(aStatement(rows(bigLoss)), { startingBalance: 1_000_000 }), cappedSrm(), { rules: [], trace: (e) => entries.push(e) });
      return entries;
    };
    const [before, after] = [trace(false), trace(true)];
    const changedClose = REPLAY_DAY + 22 * HOUR;
    const earlier = (e: ReplayTraceEntry) => e.at < changedClose;
    expect(after.filter(earlier)).toEqual(before.filter(earlier));
    expect(before.filter(earlier)).toHaveLength(22);
    const firstLater = before.findIndex((e) => !earlier(e));
    expect(after[firstLater]!.providerTrades).toBe(21);
    expect(before[firstLater]!.providerScore).toBeLessThan(60); // below the immature cap, so a change can show
    expect(after[firstLater]!.providerScore).toBeLessThan(before[firstLater]!.providerScore!);
  });
});
