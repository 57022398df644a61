import type { Timeframe } from "../../core/index.ts";
import type { Database } from "../../prisma/index.ts";
import { bulkInsert, type BulkResult, type BulkSpec } from "./bulk-insert.ts";
import type { CandleColumns } from "./market-columns.ts";
import { withTransaction, type SqlSession } from "./sql-session.ts";

/** Where bars go: one symbol and timeframe; `synthetic` marks generated data. */
export interface CandleTarget {
  symbol: string;
  timeframe: Timeframe;
  synthetic?: boolean;
}

function candleSpec(target: CandleTarget): BulkSpec<CandleColumns> {
  return {
    table: "candles",
    constants: [
      { name: "symbol", sqlType: "text", value: target.symbol, key: true },
      { name: "timeframe", sqlType: "timeframe", value: target.timeframe, key: true },
      { name: "synthetic", sqlType: "boolean", value: target.synthetic ?? false },
    ],
    columns: [
      { name: "time", type: "time" },
      { name: "open", type: "numeric" },
      { name: "high", type: "numeric" },
      { name: "low", type: "numeric" },
      { name: "close", type: "numeric" },
      { name: "volume", type: "numeric" },
      { name: "spread", type: "numeric" },
    ],
    values: (b) => [b.time, b.open, b.high, b.low, b.close, b.volume, b.spread],
  };
}

/** Stores bars inside the caller's transaction; bars already stored (same symbol, timeframe, time) are skipped. */
export function storeCandlesIn(session: SqlSession, target: CandleTarget, batches: AsyncIterable<CandleColumns> | Iterable<CandleColumns>): Promise<BulkResult> {
  return bulkInsert(session, candleSpec(target), batches);
}

/** Stores bars in one transaction: all of them, or none when anything fails (including the batches' source). */
export function storeCandles(db: Database, target: CandleTarget, batches: AsyncIterable<CandleColumns> | Iterable<CandleColumns>): Promise<BulkResult> {
  return withTransaction(db, (s) => storeCandlesIn(s, target, batches));
}
