/**
 * Real account statements in: MT4 HTML statements and the parsed `.trades.csv` layout, imported as signal
 * providers with their closed trades, SL/TP exits as execution logs, and the provider score.
 */
export type { ParsedStatement, SkippedRows, StatementCashflow, StatementCloseReason, StatementHeader, StatementTrade } from "./statement.ts";
export { netOf } from "./statement.ts";
export { readStatementFile, readTextFile, statementStem, type ReadStatementOptions } from "./read-statement-file.ts";
export { parseMt4Html, type StatementContent } from "./mt4-html-statement.ts";
export { parseTradesCsv, type StatementSummaryJson } from "./trades-csv-statement.ts";
export { summaryNumber } from "./statement-fields.ts";
export { canonicalSymbol } from "./statement-symbol.ts";
export { DEMO_MIN_SL_FILLS, demoVerdict, exitFillOf, type DemoVerdict, type ExitFill, type ExitSource } from "./exit-fill.ts";
export { contextOfEach, fillContextOf, noFillContext, storedFillContext, type FillContext, type FillContextLookup } from "./fill-context.ts";
export { scoreTradeOf } from "./provider-score.ts";
export { defaultProviderName, importStatement, type ImportStatementOptions, type ImportSummary } from "./import-statement.ts";
export { publishProvider, type PublishedProvider, type PublishProviderInput } from "./publish-provider.ts";
