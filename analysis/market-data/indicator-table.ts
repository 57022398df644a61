import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { adx, atr, bollingerBands, ema, macd, natr, rsi, sma, stochastic } from "../indicators/index.ts";
import type { CandleColumns } from "./market-columns.ts";

/** The indicator columns `riskloop indicators` writes, in order, with TA-Lib's default parameters. */
export const INDICATOR_COLUMNS = [
  "SMA_20",
  "EMA_20",
  "RSI_14",
  "ATR_14",
  "NATR_14",
  "MACD",
  "MACD_SIGNAL",
  "MACD_HIST",
  "BB_UPPER",
  "BB_MIDDLE",
  "BB_LOWER",
  "ADX_14",
  "STOCH_K",
  "STOCH_D",
] as const;
export type IndicatorColumn = (typeof INDICATOR_COLUMNS)[number];

/** Every indicator column over the bars; NaN where TA-Lib has no value yet (warm-up). */
export function indicatorTable(bars: CandleColumns): Record<IndicatorColumn, Float64Array> {
  const { high, low, close } = bars;
  const m = macd(close, { fast: 12, slow: 26, signal: 9 });
  const bands = bollingerBands(close, { period: 20, devUp: 2, devDown: 2 });
  const stoch = stochastic(high, low, close, { fastK: 14, slowK: 3, slowD: 3 });
  return {
    SMA_20: sma(close, 20),
    EMA_20: ema(close, 20),
    RSI_14: rsi(close, 14),
    ATR_14: atr(high, low, close, 14),
    NATR_14: natr(high, low, close, 14),
    MACD: m.macd,
    MACD_SIGNAL: m.signal,
    MACD_HIST: m.histogram,
    BB_UPPER: bands.upper,
    BB_MIDDLE: bands.middle,
    BB_LOWER: bands.lower,
    ADX_14: adx(high, low, close, 14).adx,
    STOCH_K: stoch.k,
    STOCH_D: stoch.d,
  };
}

const cell = (v: number) => (Number.isNaN(v) ? "" : String(v));

/**
 * Writes the bars (time as ISO 8601 UTC, OHLC, volume, and spread when the input had one) followed by the
 * indicator columns; warm-up cells are empty, numbers are printed at full precision.
 */
export async function writeIndicatorCsv(bars: CandleColumns, file: string): Promise<number> {
  const table = indicatorTable(bars);
  const columns = INDICATOR_COLUMNS.map((name) => table[name]);
  const withSpread = bars.spread.some((v) => !Number.isNaN(v));
  const out = createWriteStream(file);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, "drain");
  };
  await write(`time,open,high,low,close,volume${withSpread ? ",spread" : ""},${INDICATOR_COLUMNS.join(",")}\n`);
  const n = bars.time.length;
  for (let start = 0; start < n; start += 10_000) {
    let chunk = "";
    for (let i = start; i < Math.min(n, start + 10_000); i++) {
      chunk += `${new Date(bars.time[i]!).toISOString()},${bars.open[i]},${bars.high[i]},${bars.low[i]},${bars.close[i]},${bars.volume[i]}`;
      if (withSpread) chunk += `,${cell(bars.spread[i]!)}`;
      for (const col of columns) chunk += `,${cell(col[i]!)}`;
      chunk += "\n";
    }
    await write(chunk);
  }
  out.end();
  await once(out, "finish");
  return n;
}
