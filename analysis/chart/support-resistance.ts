import type { ChartParams } from "./chart.config.ts";
import type { ChartSeries } from "./chart-series.ts";

/** A price where swings have turned, clustered across highs and lows (a broken resistance becomes support). */
export interface Level {
  price: number;
  kind: "support" | "resistance";
  /** Swing highs and lows in the cluster. */
  touches: number;
  /** Open time of the most recent swing in the cluster. */
  lastTouch: number;
  /** 0–1, relative to the strongest level found: touches weighted by recency (half weight every quarter of the series). */
  strength: number;
  /** Signed distance from the last close, in ATR(14). */
  distanceAtr: number;
}

/** Support below and resistance above the last close, nearest first. */
export interface LevelsReading {
  support: Level[];
  resistance: Level[];
  /** Swing points found. */
  pivots: number;
  /** Price distance within which pivots were merged. */
  tolerance: number;
}

interface Pivot {
  price: number;
  index: number;
}

/**
 * Swing highs and lows: bar `i` is a swing high when its high exceeds the `k` highs before it and is not
 * exceeded by the `k` after it (so a flat top counts once), and likewise for lows. The last `k` bars cannot
 * be pivots yet: their right side has not happened.
 */
export function findPivots(s: ChartSeries, k: number): Pivot[] {
  const out: Pivot[] = [];
  const n = s.close.length;
  for (let i = k; i < n - k; i++) {
    let high = true;
    let low = true;
    for (let j = 1; j <= k && (high || low); j++) {
      if (!(s.high[i]! > s.high[i - j]! && s.high[i]! >= s.high[i + j]!)) high = false;
      if (!(s.low[i]! < s.low[i - j]! && s.low[i]! <= s.low[i + j]!)) low = false;
    }
    if (high) out.push({ price: s.high[i]!, index: i });
    if (low) out.push({ price: s.low[i]!, index: i });
  }
  return out;
}

/**
 * Support and resistance from swing pivots: pivots sorted by price join the current cluster while within
 * `levelToleranceAtr` × ATR of its mean; each cluster is a level at the mean price. The strongest
 * `levelsPerSide` levels on each side of the last close are returned, nearest first.
 */
export function findLevels(s: ChartSeries, atr: number, params: ChartParams): LevelsReading {
  const n = s.close.length;
  const last = s.close[n - 1]!;
  const tolerance = params.levelToleranceAtr * atr;
  const pivots = findPivots(s, params.pivotBars).sort((a, b) => a.price - b.price);
  const halfLife = Math.max(1, n / 4);
  const clusters: { sum: number; members: Pivot[] }[] = [];
  for (const p of pivots) {
    const current = clusters.at(-1);
    if (current && p.price - current.sum / current.members.length <= tolerance) {
      current.sum += p.price;
      current.members.push(p);
    } else {
      clusters.push({ sum: p.price, members: [p] });
    }
  }
  const scored = clusters.map((c) => {
    const price = c.sum / c.members.length;
    const lastIndex = Math.max(...c.members.map((m) => m.index));
    const weight = c.members.reduce((w, m) => w + 0.5 ** ((n - 1 - m.index) / halfLife), 0);
    return { price, touches: c.members.length, lastTouch: s.time[lastIndex]!, weight };
  });
  const top = Math.max(0, ...scored.map((c) => c.weight));
  const levels: Level[] = scored.map((c) => ({
    price: c.price,
    kind: c.price >= last ? "resistance" : "support",
    touches: c.touches,
    lastTouch: c.lastTouch,
    strength: top > 0 ? c.weight / top : 0,
    distanceAtr: atr > 0 ? (c.price - last) / atr : 0,
  }));
  const side = (kind: Level["kind"]) =>
    levels
      .filter((l) => l.kind === kind)
      .sort((a, b) => b.strength - a.strength)
      .slice(0, params.levelsPerSide)
      .sort((a, b) => Math.abs(a.distanceAtr) - Math.abs(b.distanceAtr));
  return { support: side("support"), resistance: side("resistance"), pivots: pivots.length, tolerance };
}
