import type { Database } from "../../prisma/index.ts";
import { bulkInsert, type BulkResult, type BulkSpec } from "./bulk-insert.ts";
import type { TickColumns } from "./market-columns.ts";
import { withTransaction, type SqlSession } from "./sql-session.ts";

/** Where quotes go; `synthetic` marks generated data. */
export interface TickTarget {
  symbol: string;
  synthetic?: boolean;
}

function tickSpec(target: TickTarget): BulkSpec<TickColumns> {
  return {
    table: "ticks",
    constants: [
      { name: "symbol", sqlType: "text", value: target.symbol, key: true },
      { name: "synthetic", sqlType: "boolean", value: target.synthetic ?? false },
    ],
    columns: [
      { name: "time", type: "time" },
      { name: "seq", type: "int4" },
      { name: "bid", type: "numeric" },
      { name: "ask", type: "numeric" },
      { name: "bid_volume", type: "numeric" },
      { name: "ask_volume", type: "numeric" },
    ],
    values: (b) => [b.time, b.seq, b.bid, b.ask, b.bidVolume, b.askVolume],
  };
}

/**
 * Stores quotes inside the caller's transaction. Quotes are keyed by (symbol, time, seq), `seq` counting
 * repeats of a timestamp within the source file, so importing the same file again stores nothing new.
 */
export function storeTicksIn(session: SqlSession, target: TickTarget, batches: AsyncIterable<TickColumns> | Iterable<TickColumns>): Promise<BulkResult> {
  return bulkInsert(session, tickSpec(target), batches);
}

/** Stores quotes in one transaction: all of them, or none when anything fails. */
export function storeTicks(db: Database, target: TickTarget, batches: AsyncIterable<TickColumns> | Iterable<TickColumns>): Promise<BulkResult> {
  return withTransaction(db, (s) => storeTicksIn(s, target, batches));
}
