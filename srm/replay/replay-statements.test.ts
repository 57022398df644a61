import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { hasSharedData, sharedDataPath, describeIfData } from "../../test/kit/shared-data.ts";
import { DEFAULT_SRM_POLICY } from "../decision/srm-policy.ts";
import { netOf, readStatementFile, summaryNumber } from "../statements/index.ts";
import { replayHistoryOf } from "./replay-history.ts";
import { NONE_POLICY, type ReplayPolicy } from "./replay-policy.ts";
import { replayTrades } from "./replay-trades.ts";
import { statementCashflows } from "./statement-cashflows.ts";

const champion: ReplayPolicy = { name: "champion", kind: "srm", policy: DEFAULT_SRM_POLICY, models: { slippage: null } };

/** Both formats of one real statement, prepared for replay the way the CLI does it. */
function histories(stem: string) {
  const html = readStatementFile(sharedDataPath("trades", "_raw", `${stem}.htm.gz`));
  const csv = readStatementFile(sharedDataPath("trades", "parsed", `${stem}.trades.csv`));
  return { html, fromHtml: replayHistoryOf(html, { cashflows: statementCashflows(html) }), fromCsv: replayHistoryOf(csv, { cashflows: statementCashflows(csv) }) };
}

const STATEMENTS = ["sujayjamdade01_DetailedStatement", "patrickingle_4xlots_demo_DetailedStatement", "dyk42_projectgb_DetailedStatement", "mamolas_dr_DetailedStatement"];

describeIfData(hasSharedData("trades", "_raw", `${STATEMENTS[0]}.htm.gz`), "replays of real MT4 statements", () => {
  it.each(STATEMENTS)("%s: the HTML statement and its parsed CSV replay identically", (stem) => {
    const { fromHtml, fromCsv } = histories(stem);
    expect(fromCsv.startingBalance).toBe(fromHtml.startingBalance);
    expect(fromCsv.cashflows).toEqual(fromHtml.cashflows);
    expect(fromCsv.leverage).toBe(fromHtml.leverage);
    for (const policy of [NONE_POLICY, champion]) expect(replayTrades(fromCsv, policy)).toEqual(replayTrades(fromHtml, policy));
  });

  it.each(STATEMENTS)("%s: without protection or margin, and with its cash flows, `none` is the statement itself", (stem) => {
    const { html, fromHtml } = histories(stem);
    const summary = (JSON.parse(readFileSync(sharedDataPath("trades", "parsed", `${stem}.summary.json`), "utf8")) as { summary: Record<string, string> }).summary;
    const r = replayTrades(fromHtml, NONE_POLICY, { rules: [], stopOutLevel: null, cashflows: "replay" });
    const itemised = html.trades.reduce((sum, t) => sum.plus(netOf(t)), summaryNumber("0")!);
    expect(r.trades).toBe(html.trades.length);
    expect(r.net_profit).toBeCloseTo(itemised.toNumber(), 6);
    expect(r.final_balance).toBeCloseTo(summaryNumber(summary["Balance"])!.toNumber(), 6);
    // dyk42's deepest fall happened in 2013, inside its aggregate rows, before the itemised trades begin.
    if (!stem.startsWith("dyk42")) expect(r.max_drawdown_money).toBeCloseTo(summaryNumber(summary["Maximal Drawdown"])!.toNumber(), 6);
  });
});
