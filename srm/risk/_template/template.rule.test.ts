import { aRiskSnapshot, runRiskRuleConformance } from "../../../test/conformance/risk-rule.ts";
import { openLossRule } from "./template.rule.ts";

runRiskRuleConformance(openLossRule(), { worsening: [[0, 500, 1200, 1499, 1500, 2500].map((loss) => aRiskSnapshot({ equity: 10_000 - loss }))] });
