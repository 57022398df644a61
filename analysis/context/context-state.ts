import { invalid, TIMEFRAME_MS, type Candle, type Tick, type Timeframe } from "../../core/index.ts";
import { AtrStream } from "../indicators/index.ts";
import { sessionAt } from "../session/index.ts";
import type { ContextParams } from "./context.config.ts";
import type { AtrReading, ContextTimeframe, MarketContext, SpreadReading, WarmingPart } from "./market-context.ts";
import { RollingDistribution } from "./rolling-distribution.ts";

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/**
 * A quote older than this is treated as absent. It spans a weekend with holidays, and bounds how far back a
 * loader searches for the last quote, so a loaded state and a streamed one agree.
 */
export const QUOTE_MAX_AGE_MS = 7 * DAY_MS;

/** One timeframe's closed-bar ATR. */
class TimeframeTrack {
  readonly ms: number;
  readonly atr: AtrStream;
  lastOpen = Number.NEGATIVE_INFINITY;

  constructor(timeframe: ContextTimeframe, period: number) {
    this.ms = TIMEFRAME_MS[timeframe];
    this.atr = new AtrStream(period);
  }
}

/**
 * The market context of one symbol as a pure, streaming state: closed bars (`onBar`) and quotes (`onTick`)
 * go in, in time order (a quote costs a binary search over the few hundred distinct spreads of its window;
 * a bar of the volatility timeframe also re-ranks its ATR); `read(t)` gives the context at any instant from
 * the latest event on, in constant time. It never sees a bar before it has closed: feeding it only what was
 * available at an instant is the loader's job, and `read` refuses instants earlier than what it holds.
 */
export class ContextState {
  private readonly tracks: Record<ContextTimeframe, TimeframeTrack>;
  private readonly volatilityTrack: TimeframeTrack;
  private readonly volatility = new RollingDistribution(4096);
  private readonly spreads = new RollingDistribution(1024);
  private readonly volatilityWindowMs: number;
  private readonly spreadWindowMs: number;
  private bid = Number.NaN;
  private ask = Number.NaN;
  private quoteTime = Number.NEGATIVE_INFINITY;
  private latest = Number.NEGATIVE_INFINITY;
  /** Rank of the current volatility ATR in its window, worked out once per bar so reads stay O(1). */
  private volatilityRank = Number.NaN;
  /** The last context read, until the next bar or quote: a copy fan-out reads one instant once per slave. */
  private lastRead: MarketContext | null = null;

  constructor(
    readonly symbol: string,
    private readonly params: ContextParams,
    readonly pipSize: number,
  ) {
    if (!(pipSize > 0)) throw invalid("pipSize", `must be positive, got ${pipSize}`);
    this.tracks = {
      M1: new TimeframeTrack("M1", params.atrPeriod),
      M5: new TimeframeTrack("M5", params.atrPeriod),
      H1: new TimeframeTrack("H1", params.atrPeriod),
    };
    this.volatilityTrack = this.tracks[params.volatilityTimeframe];
    this.volatilityWindowMs = params.volatilityWindowDays * DAY_MS;
    this.spreadWindowMs = params.spreadWindowMinutes * MINUTE_MS;
  }

  /** The latest instant whose data the state holds (a bar's close or a quote's time); −∞ when empty. */
  get time(): number {
    return this.latest;
  }

  /** Consumes a closed bar; other timeframes, and bars not newer than the last one, are ignored (false). */
  onBar(timeframe: Timeframe, candle: Candle): boolean {
    const track = (this.tracks as Partial<Record<Timeframe, TimeframeTrack>>)[timeframe];
    if (track === undefined || !(candle.time > track.lastOpen)) return false;
    track.atr.update(candle);
    track.lastOpen = candle.time;
    this.lastRead = null;
    const closedAt = candle.time + track.ms;
    if (closedAt > this.latest) this.latest = closedAt;
    if (track === this.volatilityTrack && track.atr.ready) {
      this.volatility.push(closedAt, track.atr.value);
      this.volatility.expireThrough(closedAt - this.volatilityWindowMs);
      this.volatilityRank = (100 * this.volatility.countAtMost(track.atr.value)) / this.volatility.size;
    }
    return true;
  }

  /** Consumes a quote; a quote older than the last one is ignored (false). */
  onTick(tick: Tick): boolean {
    if (tick.time < this.quoteTime) return false;
    this.bid = tick.bid;
    this.ask = tick.ask;
    this.lastRead = null;
    this.quoteTime = tick.time;
    this.spreads.push(tick.time, tick.ask - tick.bid);
    this.spreads.expireThrough(tick.time - this.spreadWindowMs);
    if (tick.time > this.latest) this.latest = tick.time;
    return true;
  }

  /**
   * The context at `t`. Throws `CORE_ERR_INVALID` when `t` is more than `toleranceMs` before data the state
   * already holds: answering would use the future. The same instant read again without new data in between
   * is the same (shared, not to be changed) object.
   */
  read(t: number, toleranceMs = 0): MarketContext {
    if (!Number.isFinite(t)) throw invalid("t", `must be a finite epoch time, got ${t}`);
    if (t < this.latest - toleranceMs) {
      throw invalid("t", `${new Date(t).toISOString()} precedes data the ${this.symbol} context already holds (${new Date(this.latest).toISOString()})`);
    }
    if (this.lastRead?.at === t) return this.lastRead;
    return (this.lastRead = this.compute(t));
  }

  private compute(t: number): MarketContext {
    const p = this.params;
    const s = sessionAt(t);
    const warmingUp: WarmingPart[] = [];
    const missingTimeframes: ContextTimeframe[] = [];
    const staleTimeframes: ContextTimeframe[] = [];
    const atrOf = (tf: ContextTimeframe): AtrReading => {
      const track = this.tracks[tf];
      const bars = track.atr.count;
      if (!track.atr.ready) warmingUp.push(`ATR_${tf}`);
      if (bars === 0) missingTimeframes.push(tf);
      else if (t - (track.lastOpen + track.ms) > p.barStaleBars * track.ms) staleTimeframes.push(tf);
      const value = track.atr.ready ? track.atr.value : null;
      return { value, pips: value === null ? null : value / this.pipSize, lastBarTime: bars === 0 ? null : track.lastOpen };
    };
    const atr = { M1: atrOf("M1"), M5: atrOf("M5"), H1: atrOf("H1") };
    const samples = this.volatility.size;
    const volReady = this.volatilityTrack.atr.ready && samples >= p.volatilityMinSamples;
    if (!volReady) warmingUp.push("VOLATILITY");
    const spread = this.spreadAt(t);
    const staleQuote = spread !== null && spread.ageMs > p.quoteStaleMs;
    const crossedQuote = spread !== null && spread.current < 0;
    return {
      symbol: this.symbol,
      at: t,
      pipSize: this.pipSize,
      atr,
      session: {
        primary: s.primary,
        open: s.open,
        overlap: s.overlap,
        marketOpen: s.marketOpen,
        dayOfWeek: s.dayOfWeek,
        lastOpened: s.lastOpened,
        minutesSinceOpen: s.minutesSinceOpen,
        nextOpening: s.nextOpening,
        minutesToNextOpen: s.minutesToNextOpen,
      },
      volatility: {
        timeframe: p.volatilityTimeframe,
        percentile: volReady ? this.volatilityRank : null,
        samples,
        windowDays: p.volatilityWindowDays,
      },
      spread,
      dataQuality: {
        ok: warmingUp.length === 0 && missingTimeframes.length === 0 && staleTimeframes.length === 0 && spread !== null && !staleQuote && !crossedQuote,
        staleQuote,
        noQuotes: spread === null,
        crossedQuote,
        missingTimeframes,
        staleTimeframes,
        warmingUp,
      },
    };
  }

  private spreadAt(t: number): SpreadReading | null {
    if (this.spreads.size === 0 || t - this.quoteTime > QUOTE_MAX_AGE_MS) return null;
    const current = this.ask - this.bid;
    const typical = this.spreads.median();
    return {
      bid: this.bid,
      ask: this.ask,
      current,
      currentPips: current / this.pipSize,
      typical,
      typicalPips: typical / this.pipSize,
      samples: this.spreads.size,
      quoteTime: this.quoteTime,
      ageMs: Math.max(0, t - this.quoteTime),
    };
  }
}
