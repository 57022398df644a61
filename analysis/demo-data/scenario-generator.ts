import { allocCandleColumns, allocTickColumns, concatColumns, resampleTicks, resolveTimeZone, type CandleColumns, type TickColumns } from "../market-data/index.ts";
import type { SymbolCalibration } from "./measure-calibration.ts";
import { SeededRandom } from "./seeded-random.ts";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const NEW_YORK = resolveTimeZone("America/New_York");

/** The calibrated figures the generator uses. */
export type ScenarioCalibration = Pick<
  SymbolCalibration,
  "sigmaByHour" | "weekdayFactor" | "tailNu" | "wickMean" | "spreadMedian" | "spreadP95" | "ticksPerMinute" | "weekendGapRms"
>;

export interface ScenarioOptions {
  calibration: ScenarioCalibration;
  startPrice: number;
  /** Price decimals (5 for EURUSD, 3 for USDJPY). */
  digits: number;
  /** M1 bars for the open minutes of [fromMs, toMs). */
  fromMs: number;
  toMs: number;
  /** From here on minutes are built from generated ticks, which are returned too. @defaultValue toMs (no ticks) */
  ticksFromMs?: number;
  /** Gold's daily one-hour close at 17:00 New York. */
  dailyBreak?: boolean;
  /** Mean ticks per minute when the calibration has no tick file. @defaultValue 30 */
  defaultTicksPerMinute?: number;
  seed: number;
}

/** Open in the FX week (Sunday 17:00 to Friday 17:00 New York), and outside gold's daily break if asked. */
export function marketOpen(utcMs: number, dailyBreak = false): boolean {
  const wall = utcMs + NEW_YORK.offsetMinutes(utcMs) * MINUTE_MS;
  const weekday = (Math.floor(wall / DAY_MS) + 4) % 7;
  const minute = Math.floor((wall % DAY_MS) / MINUTE_MS);
  if (weekday === 6 || (weekday === 5 && minute >= 17 * 60) || (weekday === 0 && minute < 17 * 60)) return false;
  return !(dailyBreak && minute >= 17 * 60 && minute < 18 * 60);
}

/** The start of the last `minutes` open market minutes before `endMs` (looking back at most two weeks). */
export function startOfLastOpenMinutes(endMs: number, minutes: number, dailyBreak = false): number {
  let t = endMs;
  for (let open = 0; open < minutes && t > endMs - 14 * DAY_MS; ) {
    t -= MINUTE_MS;
    if (marketOpen(t, dailyBreak)) open++;
  }
  return t;
}

/**
 * A seeded market scenario: M1 bars (and, from `ticksFromMs`, ticks with the bars built from them) whose
 * returns are Student-t with the calibrated tails, scaled by the calibrated volatility of each UTC hour and
 * weekday; weekends are closed and reopen with a calibrated gap; spreads are log-normal with the measured
 * median and 95th percentile. Same options and seed, same scenario.
 */
export function generateScenario(opts: ScenarioOptions): { m1: CandleColumns; ticks: TickColumns } {
  const cal = opts.calibration;
  const rnd = new SeededRandom(opts.seed);
  const scale = 10 ** opts.digits;
  const round = (p: number) => Math.round(p * scale) / scale;
  const meanSigma = cal.sigmaByHour.reduce((s, v) => s + v, 0) / 24;
  const tpm = cal.ticksPerMinute ?? opts.defaultTicksPerMinute ?? 30;
  const spreadLogSd = Math.log(cal.spreadP95 / cal.spreadMedian) / 1.645;
  const spread = () => Math.max(0, round(cal.spreadMedian * Math.exp(spreadLogSd * rnd.normal())));
  const ticksFrom = opts.ticksFromMs ?? opts.toMs;

  const first = Math.ceil(opts.fromMs / MINUTE_MS) * MINUTE_MS;
  const minutes = Math.max(0, Math.ceil((opts.toMs - first) / MINUTE_MS));
  const bars = allocCandleColumns(minutes);
  const tickParts: TickColumns[] = [];
  const tickBars: CandleColumns[] = [];
  let n = 0;
  let price = opts.startPrice;
  let closedSince = -Infinity;
  let wasOpen = false;
  for (let t = first; t < opts.toMs; t += MINUTE_MS) {
    if (!marketOpen(t, opts.dailyBreak)) {
      if (wasOpen) closedSince = t;
      wasOpen = false;
      continue;
    }
    if (!wasOpen && n > 0 && t - closedSince > 36 * HOUR_MS) price *= Math.exp(cal.weekendGapRms * rnd.studentT(cal.tailNu));
    wasOpen = true;
    const hour = Math.floor(t / HOUR_MS) % 24;
    const sigma = cal.sigmaByHour[hour]! * cal.weekdayFactor[(Math.floor(t / DAY_MS) + 4) % 7]!;
    const activity = tpm * (cal.sigmaByHour[hour]! / meanSigma);
    if (t >= ticksFrom) {
      const ticks = minuteOfTicks(rnd, t, price, sigma, cal.tailNu, Math.max(1, rnd.poisson(activity)), round, spread);
      price = ticks.bid[ticks.bid.length - 1]!;
      tickParts.push(ticks);
      tickBars.push(resampleTicks(ticks));
      continue;
    }
    const open = round(price);
    price *= Math.exp(sigma * rnd.studentT(cal.tailNu));
    const close = round(price);
    bars.time[n] = t;
    bars.open[n] = open;
    bars.close[n] = close;
    bars.high[n] = round(Math.max(open, close) * (1 + sigma * rnd.exponential(cal.wickMean)));
    bars.low[n] = round(Math.min(open, close) * (1 - sigma * rnd.exponential(cal.wickMean)));
    bars.volume[n] = rnd.poisson(activity);
    bars.spread[n] = spread();
    n++;
  }
  const head = Object.fromEntries(Object.entries(bars).map(([k, v]) => [k, (v as Float64Array).subarray(0, n)])) as unknown as CandleColumns;
  return {
    m1: concatColumns([head, ...tickBars]),
    ticks: tickParts.length > 0 ? concatColumns(tickParts) : allocTickColumns(0),
  };
}

/** One minute of quotes: sorted millisecond times (repeats possible), a t-distributed bid walk, log-normal spreads. */
function minuteOfTicks(
  rnd: SeededRandom,
  start: number,
  price: number,
  sigma: number,
  nu: number,
  count: number,
  round: (p: number) => number,
  spread: () => number,
): TickColumns {
  const ticks = allocTickColumns(count);
  const offsets = Array.from({ length: count }, (_, i) => (i === 0 ? 0 : Math.floor(rnd.next() * MINUTE_MS))).sort((a, b) => a - b);
  const step = sigma / Math.sqrt(count);
  let p = price;
  for (let i = 0; i < count; i++) {
    if (i > 0) p *= Math.exp(step * rnd.studentT(nu));
    ticks.time[i] = start + offsets[i]!;
    ticks.seq[i] = i > 0 && offsets[i] === offsets[i - 1] ? ticks.seq[i - 1]! + 1 : 0;
    ticks.bid[i] = round(p);
    ticks.ask[i] = round(ticks.bid[i]! + spread());
    ticks.bidVolume[i] = Number.NaN;
    ticks.askVolume[i] = Number.NaN;
  }
  return ticks;
}
