import type { ChartSeries } from "./chart-series.ts";
import { scanPattern } from "./candle-pattern.ts";
import { CANDLE_PATTERNS } from "./candle-patterns.ts";

/** Patterns that signal indecision; TA-Lib gives them a positive value (or the bar's colour) regardless. */
const INDECISION = new Set(["DOJI", "SPINNING_TOP", "DRAGONFLY_DOJI", "GRAVESTONE_DOJI"]);

/** A candlestick pattern completed on one of the recent bars. */
export interface PatternHit {
  pattern: string;
  talib: string;
  /** Open time of the bar completing the pattern. */
  time: number;
  /** Candles the pattern spans, ending at `time`. */
  span: number;
  /** 0 for the last bar. */
  barsAgo: number;
  /** TA-Lib's value: ±100, or ±80 for engulfing and harami variants whose bodies share an end. */
  value: number;
  direction: "bullish" | "bearish" | "neutral";
}

/** Patterns completed on the last `recentBars` bars, newest first. */
export function detectPatterns(s: ChartSeries, recentBars: number): PatternHit[] {
  const n = s.close.length;
  const hits: PatternHit[] = [];
  for (const p of CANDLE_PATTERNS) {
    const values = scanPattern(p, s);
    for (let i = Math.max(0, n - recentBars); i < n; i++) {
      const value = values[i]!;
      if (value === 0) continue;
      const direction = INDECISION.has(p.name) ? "neutral" : value > 0 ? "bullish" : "bearish";
      hits.push({ pattern: p.name, talib: p.talib, time: s.time[i]!, span: p.span, barsAgo: n - 1 - i, value, direction });
    }
  }
  return hits.sort((a, b) => a.barsAgo - b.barsAgo);
}

/** Net direction of the directional hits in [−1, 1] (each weighted by |value| / 100), and how many there were. */
export function patternBalance(hits: readonly PatternHit[]): { net: number; directional: number } {
  let sum = 0;
  let directional = 0;
  for (const h of hits) {
    if (h.direction === "neutral") continue;
    directional++;
    sum += (h.direction === "bullish" ? 1 : -1) * (Math.abs(h.value) / 100);
  }
  return { net: directional === 0 ? 0 : sum / directional, directional };
}
