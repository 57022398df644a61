import type { CandleColumns, TickColumns } from "../market-data/index.ts";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** Volatility and shape of M1 returns, measured the same way on real and on generated bars. */
export interface BarStatistics {
  /** Log returns used (consecutive minutes only). */
  returns: number;
  /** Standard deviation of M1 log returns by UTC hour (0–23); NaN where an hour has fewer than 30 returns. */
  sigmaByHour: number[];
  /** Standard deviation by UTC weekday (0 = Sunday) relative to the hour profile (1 = typical). */
  weekdayFactor: number[];
  /** Excess kurtosis of returns divided by their hour's sigma (seasonality removed). */
  excessKurtosis: number;
  /** Share of those standardised returns beyond 4 (a normal has 0.006 %). */
  beyond4Sigma: number;
  /** Mean of each wick (high − max(open, close) and min(open, close) − low) in units of price × hour sigma. */
  wickMean: number;
}

function std(sum: number, sumSq: number, n: number): number {
  return n < 30 ? Number.NaN : Math.sqrt(Math.max(0, sumSq / n - (sum / n) ** 2));
}

/** Statistics of M1 bars (see BarStatistics). */
export function measureBars(bars: CandleColumns): BarStatistics {
  const n = bars.time.length;
  const hourSum = new Float64Array(24);
  const hourSq = new Float64Array(24);
  const hourN = new Float64Array(24);
  const hourOf = (t: number) => Math.floor(t / HOUR_MS) % 24;
  const dayOf = (t: number) => (Math.floor(t / 86_400_000) + 4) % 7;
  const consecutive = (i: number) => bars.time[i]! - bars.time[i - 1]! === MINUTE_MS;
  const ret = (i: number) => Math.log(bars.close[i]! / bars.close[i - 1]!);
  for (let i = 1; i < n; i++) {
    if (!consecutive(i)) continue;
    const h = hourOf(bars.time[i]!);
    const r = ret(i);
    hourSum[h]! += r;
    hourSq[h]! += r * r;
    hourN[h]!++;
  }
  const sigmaByHour = Array.from({ length: 24 }, (_, h) => std(hourSum[h]!, hourSq[h]!, hourN[h]!));
  const daySq = new Float64Array(7);
  const dayN = new Float64Array(7);
  let m2 = 0;
  let m4 = 0;
  let count = 0;
  let beyond = 0;
  let wickSum = 0;
  let wickN = 0;
  for (let i = 1; i < n; i++) {
    const s = sigmaByHour[hourOf(bars.time[i]!)]!;
    if (!(s > 0)) continue;
    const o = bars.open[i]!;
    const c = bars.close[i]!;
    wickSum += (bars.high[i]! - Math.max(o, c) + Math.min(o, c) - bars.low[i]!) / (o * s);
    wickN += 2;
    if (!consecutive(i)) continue;
    const z = ret(i) / s;
    const d = dayOf(bars.time[i]!);
    daySq[d]! += z * z;
    dayN[d]!++;
    m2 += z * z;
    m4 += z ** 4;
    count++;
    if (Math.abs(z) > 4) beyond++;
  }
  const variance = m2 / count;
  return {
    returns: count,
    sigmaByHour,
    weekdayFactor: Array.from({ length: 7 }, (_, d) => (dayN[d]! >= 30 ? Math.sqrt(daySq[d]! / dayN[d]! / variance) : Number.NaN)),
    excessKurtosis: m4 / count / variance ** 2 - 3,
    beyond4Sigma: beyond / count,
    wickMean: wickSum / wickN,
  };
}

/** Median and 95th percentile of a set of spreads (price units). */
export function spreadQuantiles(spreads: Float64Array): { median: number; p95: number; crossedShare: number } {
  const sorted = Float64Array.from(spreads.filter((s) => !Number.isNaN(s))).sort();
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
  return { median: q(0.5), p95: q(0.95), crossedShare: sorted.filter((s) => s < 0).length / Math.max(1, sorted.length) };
}

/** Spreads of a tick series (ask − bid). */
export function tickSpreads(ticks: TickColumns): Float64Array {
  return ticks.ask.map((a, i) => a - ticks.bid[i]!);
}

/** Mean ticks per minute in minutes that had any tick. */
export function ticksPerMinute(ticks: TickColumns): number {
  let minutes = 0;
  let last = Number.NaN;
  for (const t of ticks.time) {
    const m = Math.floor(t / MINUTE_MS);
    if (m !== last) minutes++;
    last = m;
  }
  return ticks.time.length / Math.max(1, minutes);
}

/**
 * Weekend gaps: log(first open after a break of more than 36 hours / last close before it), from bars of any
 * timeframe whose opens are real first quotes (not the previous close).
 */
export function weekendGaps(bars: CandleColumns): Float64Array {
  const gaps: number[] = [];
  for (let i = 1; i < bars.time.length; i++) {
    if (bars.time[i]! - bars.time[i - 1]! > 36 * HOUR_MS) gaps.push(Math.log(bars.open[i]! / bars.close[i - 1]!));
  }
  return Float64Array.from(gaps);
}

/** Root mean square of a sample. */
export function rms(values: Float64Array): number {
  let s = 0;
  for (const v of values) s += v * v;
  return Math.sqrt(s / Math.max(1, values.length));
}
