import { existsSync } from "node:fs";
import path from "node:path";
import type { Logger, Timeframe } from "../../core/index.ts";
import type { Database } from "../../prisma/index.ts";
import {
  columnsFrom,
  readBarFile,
  readTickFile,
  resampleCandles,
  storeCandlesIn,
  storeTicksIn,
  withTransaction,
  type CandleColumns,
  type SqlSession,
} from "../market-data/index.ts";
import { DEMO_CALIBRATION, DEMO_START_PRICES, DEMO_SYMBOLS, type DemoSymbol } from "./calibration-figures.ts";
import { DEMO_INSTRUMENTS } from "./demo-instruments.ts";
import { REAL_DEMO_DATA, type RealDemoPiece } from "./real-demo-data.ts";
import { generateScenario, startOfLastOpenMinutes } from "./scenario-generator.ts";

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

export interface SeedMarketDataOptions {
  /** Folder of real market data (RISKLOOP_DATA_DIR, e.g. ../shared/data); without it the scenario generator runs. */
  dataDir?: string;
  /** End of generated data. @defaultValue Date.now() */
  now?: number;
  /** @defaultValue 20260709 */
  seed?: number;
  /** Generated H1/H4/D1 history. @defaultValue 365 */
  historyDays?: number;
  /** Generated M1–M30 bars. @defaultValue 28 */
  m1Days?: number;
  /** Generated ticks: the last this many open market hours. @defaultValue 6 */
  tickHours?: number;
  logger?: Logger;
}

/** What seeding stored, per symbol. */
export interface SeedMarketDataReport {
  symbols: { symbol: DemoSymbol; source: "real" | "synthetic" | "already seeded"; candles: number; ticks: number }[];
  instruments: number;
  seconds: number;
}

/**
 * Seeds the demo symbols' instruments and market data: real bars and ticks from `dataDir` when its files are
 * there, otherwise a seeded scenario calibrated on real data (every row `synthetic = true`). A symbol that
 * already has candles is left alone, so a second start costs nothing.
 */
export async function seedMarketData(db: Database, opts: SeedMarketDataOptions = {}): Promise<SeedMarketDataReport> {
  const started = performance.now();
  for (const spec of Object.values(DEMO_INSTRUMENTS)) {
    const data = {
      digits: spec.digits,
      pipSize: String(spec.pipSize),
      contractSize: String(spec.contractSize),
      minVolume: spec.minVolume.toString(),
      maxVolume: spec.maxVolume.toString(),
      volumeStep: spec.volumeStep.toString(),
      marginRate: String(spec.marginRate),
      baseCurrency: spec.baseCurrency ?? null,
      quoteCurrency: spec.quoteCurrency,
      description: spec.description,
    };
    await db.prisma.instrument.upsert({ where: { symbol: spec.symbol }, create: { symbol: spec.symbol, ...data }, update: data });
  }
  const symbols: SeedMarketDataReport["symbols"] = [];
  for (const [index, symbol] of DEMO_SYMBOLS.entries()) {
    if (await db.prisma.candle.findFirst({ where: { symbol }, select: { symbol: true } })) {
      symbols.push({ symbol, source: "already seeded", candles: 0, ticks: 0 });
      continue;
    }
    const pieces = opts.dataDir ? REAL_DEMO_DATA[symbol].filter((p) => existsSync(path.join(opts.dataDir!, p.file))) : [];
    const stored = await withTransaction(db, (s) => (pieces.length > 0 ? seedReal(s, symbol, opts.dataDir!, pieces) : seedSynthetic(s, symbol, index, opts)));
    symbols.push({ symbol, source: pieces.length > 0 ? "real" : "synthetic", ...stored });
    opts.logger?.info({ symbol, ...symbols[symbols.length - 1] }, "demo market data seeded");
  }
  return { symbols, instruments: DEMO_SYMBOLS.length, seconds: (performance.now() - started) / 1000 };
}

async function storeWithResampled(s: SqlSession, symbol: string, timeframe: Timeframe, bars: CandleColumns, resample: readonly Timeframe[], synthetic: boolean): Promise<number> {
  let stored = (await storeCandlesIn(s, { symbol, timeframe, synthetic }, [bars])).inserted;
  for (const tf of resample) stored += (await storeCandlesIn(s, { symbol, timeframe: tf, synthetic }, [resampleCandles(bars, tf)])).inserted;
  return stored;
}

async function seedReal(s: SqlSession, symbol: DemoSymbol, dataDir: string, pieces: RealDemoPiece[]): Promise<{ candles: number; ticks: number }> {
  let candles = 0;
  let ticks = 0;
  for (const p of pieces) {
    const read = { fromMs: p.fromMs, toMs: p.toMs, maxRows: p.maxRows, tz: p.tz };
    const file = path.join(dataDir, p.file);
    if (p.timeframe) {
      const { bars } = await readBarFile(file, { ...read, timeframe: p.timeframe });
      candles += await storeWithResampled(s, symbol, p.timeframe, bars, p.resample ?? [], false);
    } else {
      ticks += (await storeTicksIn(s, { symbol }, [(await readTickFile(file, read)).ticks])).inserted;
    }
  }
  return { candles, ticks };
}

async function seedSynthetic(s: SqlSession, symbol: DemoSymbol, index: number, opts: SeedMarketDataOptions): Promise<{ candles: number; ticks: number }> {
  const end = Math.floor((opts.now ?? Date.now()) / MINUTE_MS) * MINUTE_MS;
  const dailyBreak = symbol === "XAUUSD";
  const { m1, ticks } = generateScenario({
    calibration: DEMO_CALIBRATION[symbol],
    startPrice: DEMO_START_PRICES[symbol],
    digits: DEMO_INSTRUMENTS[symbol].digits,
    fromMs: end - (opts.historyDays ?? 365) * DAY_MS,
    toMs: end,
    ticksFromMs: startOfLastOpenMinutes(end, (opts.tickHours ?? 6) * 60, dailyBreak),
    dailyBreak,
    seed: (opts.seed ?? 20260709) + index,
  });
  const recent = columnsFrom(m1, end - (opts.m1Days ?? 28) * DAY_MS);
  let candles = await storeWithResampled(s, symbol, "M1", recent, ["M5", "M15", "M30"], true);
  for (const tf of ["H1", "H4", "D1"] as const) candles += (await storeCandlesIn(s, { symbol, timeframe: tf, synthetic: true }, [resampleCandles(m1, tf)])).inserted;
  const stored = await storeTicksIn(s, { symbol, synthetic: true }, [ticks]);
  return { candles, ticks: stored.inserted };
}
