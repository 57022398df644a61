import { aRiskSnapshot, RISK_T0, runRiskRuleConformance } from "../../../test/conformance/risk-rule.ts";
import { RISK_MEASURES, type RiskMeasure } from "../risk-rule.ts";
import { RISK_WINDOWS } from "../risk-windows.ts";
import { dailyLossRule } from "./daily-loss.rule.ts";
import { emergencyStopRule } from "./emergency-stop.rule.ts";
import { periodLimitRule } from "./period-limit.rule.ts";
import { stopLossStreakRule } from "./stop-loss-streak.rule.ts";

// Losses through "none", the 80% alert band and past the limit of 500 (5% of 10 000).
const LOSSES = [0, 200, 400, 450, 500, 800];

function lossSeries(measure: RiskMeasure) {
  return LOSSES.map((loss) =>
    measure === "balance-change" ? aRiskSnapshot({ balance: 10_000 - loss, equity: 10_000 - loss }) : aRiskSnapshot({ balance: 10_000, equity: 10_000 - loss }),
  );
}

for (const window of RISK_WINDOWS) {
  for (const measure of RISK_MEASURES) {
    runRiskRuleConformance(periodLimitRule({ window, measure, limit: { absolute: 500 } }), { worsening: [lossSeries(measure)] });
  }
}
runRiskRuleConformance(periodLimitRule({ window: "day", measure: "equity-change", limit: { relative: 0.05 }, action: "REDUCE", id: "day-relative" }), {
  worsening: [lossSeries("equity-change")],
});
runRiskRuleConformance(periodLimitRule({ window: "lifetime", measure: "balance-minus-equity", limit: { absolute: 500, relative: 0.2 }, closePositions: true }), {
  worsening: [lossSeries("balance-minus-equity")],
});
runRiskRuleConformance(dailyLossRule(), { worsening: [[0, 100, 160, 199, 200, 300].map((loss) => aRiskSnapshot({ equity: 10_000 - loss }))] });
runRiskRuleConformance(emergencyStopRule(), {
  worsening: [[12_000, 10_800, 10_080, 9_720, 9_600, 8_000].map((equity) => aRiskSnapshot({ balance: 12_000, equity, highWaterMark: 12_000 }))],
});
runRiskRuleConformance(stopLossStreakRule({ count: 5, cooldownMs: 3_600_000 }), {
  worsening: [[0, 1, 2, 3, 4, 5, 6].map((n) => aRiskSnapshot({ stopLossRun: Array.from({ length: n }, (_, i) => RISK_T0 - (n - i) * 60_000) }))],
});
