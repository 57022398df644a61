import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { hasSharedData, sharedDataPath, describeIfData } from "../../test/kit/shared-data.ts";
import { forwardRankCorrelation, parseStatementTrades } from "../score/index.ts";
import { readStatementFile } from "../statements/index.ts";
import { evaluateScore } from "./score-evaluation.ts";

const STEMS = ["mamolas_dr_DetailedStatement", "dyk42_projectgb_DetailedStatement", "patrickingle_4xlots_demo_DetailedStatement", "patrickingle_4xlots_DetailedStatement"];
const csv = (stem: string) => sharedDataPath("trades", "parsed", `${stem}.trades.csv`);
const html = (stem: string) => sharedDataPath("trades", "_raw", `${stem}.htm.gz`);

describeIfData(hasSharedData("trades", "parsed") && hasSharedData("trades", "_raw"), "evaluateScore on real statements", () => {
  const fromCsv = evaluateScore(STEMS.map((s) => readStatementFile(csv(s))), { horizon: 20 });

  it("reports forwardRankCorrelation's figures per statement and pooled, in the CLI's JSON shape", () => {
    const expected = forwardRankCorrelation(
      STEMS.map((name) => ({ name, trades: parseStatementTrades(readFileSync(csv(name), "utf8")) })),
      { horizon: 20 },
    );
    expect(fromCsv.statements).toEqual(
      expected.perStatement.map((s) => ({ name: s.name, trades: s.trades, pairs: s.pairs, spearman: s.rho, spearman_trailing: s.rhoTrailing })),
    );
    expect(fromCsv.pooled).toEqual({ pairs: expected.pooled.pairs, spearman: expected.pooled.rho, spearman_trailing: expected.pooled.rhoTrailing });
    expect(fromCsv.statements.map((s) => s.pairs)).toEqual([4520 - 19, 2064 - 19, 250 - 19, 112 - 19]);
  });

  it("gives the same figures from the HTML statements", () => {
    const fromHtml = evaluateScore(STEMS.map((s) => readStatementFile(html(s))), { horizon: 20 });
    expect({ ...fromHtml, warnings: fromHtml.warnings.length }).toEqual({ ...fromCsv, warnings: fromCsv.warnings.length });
  });

  it("warns that the two patrickingle statements share one account's trades", () => {
    expect(fromCsv.warnings).toHaveLength(1);
    expect(fromCsv.warnings[0]).toMatch(/patrickingle_4xlots_demo_DetailedStatement\.trades\.csv and .*patrickingle_4xlots_DetailedStatement\.trades\.csv share 112 trades/);
  });

  it("refuses a horizon that is not a whole number of trades", () => {
    expect(() => evaluateScore([readStatementFile(csv(STEMS[2]!))], { horizon: 0 })).toThrow(/horizon/);
  });
});
