import type { ChartParams } from "./chart.config.ts";
import type { ChartSeries } from "./chart-series.ts";
import { unit } from "./chart-series.ts";

export type TrendDirection = "up" | "down" | "sideways";
export type Strength = "weak" | "moderate" | "strong";

/** The trend over one horizon, from a least-squares line through the closes. */
export interface TrendReading {
  bars: number;
  direction: TrendDirection;
  strength: Strength;
  /** 0–1: how clearly the numbers support the label. */
  confidence: number;
  /** Slope of the fitted line, price units per bar. */
  slope: number;
  /** Signed distance the fitted line travels over the horizon, in ATR(14). */
  moveAtr: number;
  /** Share of the closes' variance the line explains. */
  r2: number;
  /** ADX(14) at the last bar (trend strength regardless of direction); null while warming up. */
  adx: number | null;
}

/** Maps a confidence to a word: strong from 0.7, moderate from 0.45. */
export function strengthOf(confidence: number): Strength {
  return confidence >= 0.7 ? "strong" : confidence >= 0.45 ? "moderate" : "weak";
}

/**
 * The trend over the last `bars` closes. Up (down) when the fitted line rises (falls) at least
 * `trendMinMoveAtr` ATR over the horizon and explains at least `trendMinR2` of the variance; sideways
 * otherwise. Confidence of a trend averages the fit (R²), the size of the move (full at twice the minimum) and
 * ADX (full at 50); sideways needs only one of the two to fail, so its confidence is how far the weaker one
 * stays below its threshold.
 */
export function detectTrend(s: ChartSeries, bars: number, atr: number, adx: number | null, params: ChartParams): TrendReading {
  const n = Math.min(bars, s.close.length);
  const from = s.close.length - n;
  const xm = (n - 1) / 2;
  let ym = 0;
  for (let i = 0; i < n; i++) ym += s.close[from + i]!;
  ym /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = i - xm;
    const dy = s.close[from + i]! - ym;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const r2 = syy > 0 && sxx > 0 ? (sxy * sxy) / (sxx * syy) : 0;
  const moveAtr = atr > 0 ? (slope * (n - 1)) / atr : 0;
  const minMove = params.trendMinMoveAtr;
  const trending = Math.abs(moveAtr) >= minMove && r2 >= params.trendMinR2;
  const direction: TrendDirection = !trending ? "sideways" : moveAtr > 0 ? "up" : "down";
  const size = minMove > 0 ? Math.abs(moveAtr) / minMove : 1;
  const confidence = trending
    ? (r2 + unit(size / 2) + (adx === null ? 0.5 : unit(adx / 50))) / 3
    : 1 - Math.min(unit(size), unit(r2 / Math.max(params.trendMinR2, 1e-9)));
  return { bars: n, direction, strength: strengthOf(confidence), confidence, slope, moveAtr, r2, adx };
}
