import { TIMEFRAME_MS, type Candle } from "../../core/index.ts";
import { seededUniform } from "../context/seeded-uniform.ts";

/**
 * Test kit only (not exported from the area): hand-shaped bar series with known answers (a clean trend, a
 * range between two levels, a volatility burst), built from seeded noise so failures replay exactly.
 */
export const T0 = Date.UTC(2024, 0, 8, 0, 0);

/** Seeded noise in [−1, 1). */
export function noise(seed: number): () => number {
  const u = seededUniform(seed);
  return () => 2 * u() - 1;
}

/** H1 bars through the given closes: each opens at the previous close, with wicks of `wick(i)` beyond the body. */
export function barsFromCloses(closes: readonly number[], wick: (i: number) => number, start = T0): Candle[] {
  return closes.map((close, i) => {
    const open = i === 0 ? close : closes[i - 1]!;
    return {
      time: start + i * TIMEFRAME_MS.H1,
      open,
      high: Math.max(open, close) + wick(i),
      low: Math.min(open, close) - wick(i),
      close,
      volume: 0,
    };
  });
}

/** A steady trend of `perBar` per bar with small noise. */
export function trendSeries(n: number, perBar: number, seed = 1): Candle[] {
  const r = noise(seed);
  return barsFromCloses(
    Array.from({ length: n }, (_, i) => 1.1 + perBar * i + 0.0002 * r()),
    () => 0.0003,
  );
}

/** Closes swinging between `low` and `high` with a period of `period` bars, ending mid-range. */
export function rangeSeries(n: number, low: number, high: number, period: number, seed = 2): Candle[] {
  const r = noise(seed);
  const mid = (low + high) / 2;
  const amplitude = (high - low) / 2;
  // Phase chosen so the last bar sits at the middle of the range.
  return barsFromCloses(
    Array.from({ length: n }, (_, i) => mid + amplitude * Math.sin((2 * Math.PI * (i - n + 1)) / period) + 0.0001 * r()),
    () => 0.0002,
  );
}

/** A calm random walk whose last `burst` bars have `factor` times the range. */
export function burstSeries(n: number, burst: number, factor: number, seed = 3): Candle[] {
  const r = noise(seed);
  const closes: number[] = [];
  let price = 1.1;
  for (let i = 0; i < n; i++) {
    price += (i >= n - burst ? factor : 1) * 0.0004 * r();
    closes.push(price);
  }
  return barsFromCloses(closes, (i) => (i >= n - burst ? factor : 1) * 0.0003);
}
