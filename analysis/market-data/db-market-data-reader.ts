import { TIMEFRAMES, type Candle, type Tick, type Timeframe } from "../../core/index.ts";
import type { Database } from "../../prisma/index.ts";
import type { MarketDataReader } from "./market-data-reader.ts";
import { sqlSession, type SqlSession } from "./sql-session.ts";

interface CandleRow {
  t: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  spread: number | null;
}

interface TickRow {
  t: number;
  seq: number;
  bid: number;
  ask: number;
}

const CANDLE_COLUMNS =
  "extract(epoch from time)::float8 * 1000 AS t, open::float8 AS open, high::float8 AS high, low::float8 AS low, close::float8 AS close, volume::float8 AS volume, spread::float8 AS spread";

function toCandle(r: CandleRow): Candle {
  const c: Candle = { time: Math.round(r.t), open: r.open, high: r.high, low: r.low, close: r.close, volume: r.volume };
  if (r.spread !== null) c.spread = r.spread;
  return c;
}

/**
 * MarketDataReader over the database's `candles` and `ticks` tables. Prices come back as numbers (they are
 * stored as decimals); ticks are read in keyset pages of `tickPageSize`, so millions stream in bounded memory.
 */
export class DbMarketDataReader implements MarketDataReader {
  private readonly sql: SqlSession;

  constructor(
    db: Database,
    private readonly tickPageSize = 10_000,
  ) {
    this.sql = sqlSession(db);
  }

  async candles(symbol: string, timeframe: Timeframe, fromMs: number, toMs: number, limit?: number): Promise<Candle[]> {
    const { rows } = await this.sql.query<CandleRow>(
      `SELECT ${CANDLE_COLUMNS} FROM candles WHERE symbol = $1 AND timeframe = $2::timeframe AND time >= to_timestamp($3::float8 / 1000) AND time < to_timestamp($4::float8 / 1000) ORDER BY time${limit === undefined ? "" : " LIMIT $5"}`,
      limit === undefined ? [symbol, timeframe, fromMs, toMs] : [symbol, timeframe, fromMs, toMs, limit],
    );
    return rows.map(toCandle);
  }

  async lastCandles(symbol: string, timeframe: Timeframe, beforeMs: number, count: number): Promise<Candle[]> {
    const { rows } = await this.sql.query<CandleRow>(
      `SELECT ${CANDLE_COLUMNS} FROM candles WHERE symbol = $1 AND timeframe = $2::timeframe AND time < to_timestamp($3::float8 / 1000) ORDER BY time DESC LIMIT $4`,
      [symbol, timeframe, beforeMs, count],
    );
    return rows.map(toCandle).reverse();
  }

  async *ticks(symbol: string, fromMs: number, toMs: number): AsyncIterable<Tick> {
    // Keyset pagination: each page starts after the last (time, seq) seen, so pages cost the same however deep.
    let afterTime = fromMs;
    let afterSeq = -1;
    for (;;) {
      const { rows } = await this.sql.query<TickRow>(
        `SELECT extract(epoch from time)::float8 * 1000 AS t, seq, bid::float8 AS bid, ask::float8 AS ask FROM ticks
         WHERE symbol = $1 AND (time, seq) > (to_timestamp($2::float8 / 1000), $3::int4) AND time < to_timestamp($4::float8 / 1000)
         ORDER BY time, seq LIMIT $5`,
        [symbol, afterTime, afterSeq, toMs, this.tickPageSize],
      );
      for (const r of rows) yield { time: Math.round(r.t), bid: r.bid, ask: r.ask };
      if (rows.length < this.tickPageSize) return;
      const last = rows[rows.length - 1]!;
      afterTime = Math.round(last.t);
      afterSeq = last.seq;
    }
  }

  async coverage(symbol: string): Promise<{ ticks: { from: number; to: number } | null; candles: Partial<Record<Timeframe, { from: number; to: number }>> }> {
    const range = async (table: string, where: string, params: unknown[]) => {
      const { rows } = await this.sql.query<{ lo: number | null; hi: number | null }>(
        `SELECT extract(epoch from min(time))::float8 * 1000 AS lo, extract(epoch from max(time))::float8 * 1000 AS hi FROM ${table} WHERE ${where}`,
        params,
      );
      const r = rows[0];
      return r && r.lo !== null && r.hi !== null ? { from: Math.round(r.lo), to: Math.round(r.hi) } : null;
    };
    const candles: Partial<Record<Timeframe, { from: number; to: number }>> = {};
    for (const tf of TIMEFRAMES) {
      const r = await range("candles", "symbol = $1 AND timeframe = $2::timeframe", [symbol, tf]);
      if (r) candles[tf] = r;
    }
    return { ticks: await range("ticks", "symbol = $1", [symbol]), candles };
  }

  async symbols(): Promise<string[]> {
    // A loose index scan: one index probe per distinct symbol instead of reading every row.
    const distinct = async (table: string) => {
      const { rows } = await this.sql.query<{ symbol: string | null }>(
        `WITH RECURSIVE s AS (SELECT min(symbol) AS symbol FROM ${table} UNION ALL SELECT (SELECT min(symbol) FROM ${table} WHERE symbol > s.symbol) FROM s WHERE s.symbol IS NOT NULL) SELECT symbol FROM s WHERE symbol IS NOT NULL`,
      );
      return rows.map((r) => r.symbol!);
    };
    return [...new Set([...(await distinct("candles")), ...(await distinct("ticks"))])].sort();
  }
}
