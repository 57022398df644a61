import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { hasSharedData, sharedDataPath, describeIfData } from "../../test/kit/shared-data.ts";
import { readStatementFile, scoreTradeOf, summaryNumber } from "../statements/index.ts";
import { periodOf } from "./metric-periods.ts";
import { computePeriodMetrics } from "./period-metrics.ts";

/** MT4's own statistics of a statement, from its `.summary.json`. */
function mt4(stem: string): Record<string, string> {
  return (JSON.parse(readFileSync(sharedDataPath("trades", "parsed", `${stem}.summary.json`), "utf8")) as { summary: Record<string, string> }).summary;
}

/** "2790 (61.73%)" → 61.73; "21.03% (6 277.00)" → 21.03. */
const percentIn = (text: string) => Number(/([\d.]+)%/.exec(text)![1]);
const money = (text: string | undefined) => summaryNumber(text)!.toNumber();
/** Half a unit of the last printed digit: "301.58" → 0.005, "108" (a JPY account) → 0.5. */
const rounding = (text: string | undefined) => 0.5 * 10 ** -(/\.(\d+)/.exec(text ?? "")?.[1]?.length ?? 0) + 1e-9;

// Statements with MT4 statistics and no broker aggregate rows (dyk42's 25 yearly aggregates are in MT4's counts).
const STATEMENTS = [
  "mamolas_dr_DetailedStatement",
  "sujayjamdade01_DetailedStatement",
  "patrickingle_4xlots_demo_DetailedStatement",
  "yinglli_DetailedStatement",
  "cajamarilla_heikenashi_DetailedStatement",
  "kotarohashimoto_pricetag_DetailedStatement",
];
// MT4's relative drawdown percentage uses a base we cannot reproduce when cash flows fall between trades
// (mamolas, patrickingle); where none do, it matches.
const RELATIVE_DRAWDOWN_MATCHES = new Set(["sujayjamdade01_DetailedStatement", "yinglli_DetailedStatement", "cajamarilla_heikenashi_DetailedStatement", "kotarohashimoto_pricetag_DetailedStatement"]);

describeIfData(hasSharedData("trades", "_raw", `${STATEMENTS[0]}.htm.gz`), "lifetime metrics of real MT4 statements against MT4's own statistics", () => {
  it.each(STATEMENTS)("%s", (stem) => {
    const st = readStatementFile(sharedDataPath("trades", "_raw", `${stem}.htm.gz`));
    const s = mt4(stem);
    // The balance before the statement's first row: what the printed balance leaves after results and cash flows.
    const opening = money(s["Balance"]) - money(s["Closed Trade P/L"]) - money(s["Deposit/Withdrawal"]);
    const cashflows = st.cashflows.map((c) => ({ at: c.time, amount: c.amount.toNumber() }));
    const trades = st.trades.map(scoreTradeOf);
    const asOf = Math.max(...trades.map((t) => t.closeTime));
    const [m] = computePeriodMetrics({ trades, signals: [], slippage: [], startingBalance: opening, cashflows }, [periodOf("LIFETIME", asOf)], asOf);

    expect(m!.trades).toBe(Number(s["Total Trades"]));
    expect(m!.wins).toBe(Number(s["Profit Trades (% of total)"]!.split(" ")[0]));
    expect(Math.abs(100 * m!.winRate! - percentIn(s["Profit Trades (% of total)"]!))).toBeLessThanOrEqual(0.005);
    expect(Math.abs(m!.profitFactor! - Number(s["Profit Factor"]))).toBeLessThanOrEqual(0.005);
    expect(Math.abs(m!.grossProfit - money(s["Gross Profit"]))).toBeLessThan(0.005);
    expect(Math.abs(m!.averageWin! - money(s["Average profit trade"]))).toBeLessThanOrEqual(rounding(s["Average profit trade"]));
    expect(Math.abs(m!.averageLoss! + money(s["Average loss trade"]))).toBeLessThanOrEqual(rounding(s["Average loss trade"]));
    expect(m!.rewardToRisk).toBeCloseTo(m!.averageWin! / m!.averageLoss!, 12);
    expect(Math.abs(m!.maxDrawdownMoney - money(s["Maximal Drawdown"]))).toBeLessThan(0.005);
    if (RELATIVE_DRAWDOWN_MATCHES.has(stem)) expect(Math.abs(100 * m!.maxDrawdown! - percentIn(s["Relative Drawdown"]!))).toBeLessThanOrEqual(0.005);
  });
});
