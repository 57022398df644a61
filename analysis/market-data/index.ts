/**
 * Market data in: parsers for MetaTrader, HistData, Dukascopy and header CSV files, bulk stores for candles
 * and ticks, the database-backed MarketDataReader, and resampling (ticks → M1 → higher timeframes).
 */
export type { MarketDataReader } from "./market-data-reader.ts";
export { MarketDataErrors } from "./market-data.errors.ts";
export { MARKET_FORMATS, type MarketFormat, type PriceSide } from "./formats/market-row.ts";
export { detectFormat } from "./formats/detect-format.ts";
export { NY_CLOSE, resolveTimeZone, type TimeZone } from "./formats/time-zone.ts";
export { parseTimestamp } from "./formats/timestamp.ts";
export { openMarketFile, readBarFile, readTickFile, type MarketFile, type ReadMarketFileOptions } from "./market-file.ts";
export type { BadRowSample, ParseReport } from "./parse-report.ts";
export {
  allocCandleColumns,
  allocTickColumns,
  candlesFromColumns,
  columnsFrom,
  columnsFromCandles,
  columnsFromTicks,
  concatColumns,
  type CandleColumns,
  type TickColumns,
} from "./market-columns.ts";
export { storeCandles, storeCandlesIn, type CandleTarget } from "./candle-store.ts";
export { storeTicks, storeTicksIn, type TickTarget } from "./tick-store.ts";
export type { BulkResult } from "./bulk-insert.ts";
export { withTransaction, type SqlSession } from "./sql-session.ts";
export { DbMarketDataReader } from "./db-market-data-reader.ts";
export {
  bucketOf,
  NEW_YORK_CLOSE,
  resampleCandles,
  resampleTicks,
  TickBarBuilder,
  UTC_MIDNIGHT,
  type DayStart,
  type ResampleOptions,
  type TickPrice,
} from "./resample.ts";
export {
  importCandles,
  importTicks,
  type CandleImportOptions,
  type ImportOptions,
  type ImportReport,
  type TickImportOptions,
} from "./import-market-file.ts";
export { INDICATOR_COLUMNS, indicatorTable, writeIndicatorCsv, type IndicatorColumn } from "./indicator-table.ts";
