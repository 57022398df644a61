export { slippageModelReport, scoreModelReport } from "./model-report.ts";
export { htmlReport, htmlTable, type ReportSection } from "./html-report.ts";
export { renderSvg, type ChartSpec } from "./svg-chart.ts";
export { calibrationByDecile, errorBy, meanPinball, permutationImportance, slippageHoldout, type SlippageHoldout } from "./slippage-evaluation.ts";
export { experimentReport } from "./experiment-report.ts";
