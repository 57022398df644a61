import { conventionalPipSize, CoreErrors, RiskloopError, systemClock, TIMEFRAME_MS, type Candle, type Clock, type Tick, type Timeframe } from "../../core/index.ts";
import type { MarketDataReader } from "../market-data/index.ts";
import { DEFAULT_CONTEXT_PARAMS, type ContextParams } from "./context.config.ts";
import { ContextLoader, closedBefore, requireInstant } from "./context-loader.ts";
import type { ContextState } from "./context-state.ts";
import type { MarketContext } from "./market-context.ts";
import { CONTEXT_TIMEFRAMES } from "./market-context.ts";

export interface MarketContextServiceOptions {
  params?: ContextParams;
  clock?: Clock;
  /** Pip size per symbol (the instrument's `pipSize`); defaults to core's `conventionalPipSize`. */
  pipSize?: (symbol: string) => number;
}

type LiveEvent = { kind: "bar"; timeframe: Timeframe; candle: Candle } | { kind: "tick"; tick: Tick };

/**
 * The market context for SRM, the models and the API. Live: `warm` a symbol once, feed it closed bars and
 * quotes, and `contextAt` answers in microseconds. Historical: `computeAt` loads one instant from storage and
 * `contextSeries` streams many instants in one pass; both only ever read data available at each instant.
 */
export class MarketContextService {
  readonly params: ContextParams;
  private readonly clock: Clock;
  private readonly pipSizeOf: (symbol: string) => number;
  private readonly loader: ContextLoader;
  private readonly live = new Map<string, ContextState>();
  private readonly warming = new Map<string, LiveEvent[]>();

  constructor(
    private readonly reader: MarketDataReader,
    opts: MarketContextServiceOptions = {},
  ) {
    this.params = opts.params ?? DEFAULT_CONTEXT_PARAMS;
    this.clock = opts.clock ?? systemClock;
    this.pipSizeOf = opts.pipSize ?? conventionalPipSize;
    this.loader = new ContextLoader(reader, this.params);
  }

  /**
   * Builds the live state of `symbol` from storage as of `t` (default now) and keeps it; bars and quotes fed
   * while it loads are applied afterwards. Returns the context at `t`.
   */
  async warm(symbol: string, t = this.clock.now()): Promise<MarketContext> {
    const pending: LiveEvent[] = [];
    this.warming.set(symbol, pending);
    try {
      const state = await this.loader.stateAt(symbol, t, this.pipSizeOf(symbol));
      const context = state.read(t);
      for (const e of pending) {
        if (e.kind === "bar") state.onBar(e.timeframe, e.candle);
        else if (e.tick.time > t) state.onTick(e.tick);
      }
      this.live.set(symbol, state);
      return context;
    } finally {
      this.warming.delete(symbol);
    }
  }

  /** Whether `symbol` has a live state. */
  isWarm(symbol: string): boolean {
    return this.live.has(symbol);
  }

  /** Stops tracking `symbol` live. */
  forget(symbol: string): void {
    this.live.delete(symbol);
  }

  /** Feeds a closed bar to the live state; false when the symbol is not live or the bar is not new. */
  onBar(symbol: string, timeframe: Timeframe, candle: Candle): boolean {
    const pending = this.warming.get(symbol);
    if (pending) {
      pending.push({ kind: "bar", timeframe, candle });
      return true;
    }
    return this.live.get(symbol)?.onBar(timeframe, candle) ?? false;
  }

  /** Feeds a quote to the live state; false when the symbol is not live or the quote is out of order. */
  onTick(symbol: string, tick: Tick): boolean {
    const pending = this.warming.get(symbol);
    if (pending) {
      pending.push({ kind: "tick", tick });
      return true;
    }
    return this.live.get(symbol)?.onTick(tick) ?? false;
  }

  /**
   * The live context at `t` (default now). Throws `CORE_ERR_CONFLICT` when the symbol was never warmed, and
   * `CORE_ERR_INVALID` when `t` lies before data already consumed (beyond the allowed clock skew).
   */
  contextAt(symbol: string, t = this.clock.now()): MarketContext {
    const state = this.live.get(symbol);
    if (!state) throw new RiskloopError(CoreErrors.CORE_ERR_CONFLICT, `no live market context for ${symbol}: warm it first`, { symbol });
    return state.read(t, this.params.clockSkewMs);
  }

  /** The context at any past or present instant, from storage alone (one state built for it). */
  async computeAt(symbol: string, t: number): Promise<MarketContext> {
    return (await this.loader.stateAt(symbol, t, this.pipSizeOf(symbol))).read(t);
  }

  /**
   * Contexts at many instants (for training), in the order given: the state is loaded once at the earliest
   * instant, then every later bar and quote is streamed once, in time order, up to each instant in turn.
   * Each result equals `computeAt` at the same instant (ATR to the last bits of Wilder's decayed seed).
   */
  async contextSeries(symbol: string, times: readonly number[]): Promise<MarketContext[]> {
    if (times.length === 0) return [];
    times.forEach((t, i) => requireInstant(t, `times[${i}]`));
    const order = times.map((_, i) => i).sort((a, b) => times[a]! - times[b]!);
    const first = times[order[0]!]!;
    const last = times[order.at(-1)!]!;
    const state = await this.loader.stateAt(symbol, first, this.pipSizeOf(symbol));
    const bars = await Promise.all(
      CONTEXT_TIMEFRAMES.map((tf) => this.reader.candles(symbol, tf, closedBefore(tf, first), closedBefore(tf, last))),
    );
    const next = bars.map(() => 0);
    const ticks = this.reader.ticks(symbol, first + 1, last + 1)[Symbol.asyncIterator]();
    let tick = await ticks.next();
    const out = new Array<MarketContext>(times.length);
    for (const i of order) {
      const t = times[i]!;
      CONTEXT_TIMEFRAMES.forEach((tf, k) => {
        const list = bars[k]!;
        const ms = TIMEFRAME_MS[tf];
        let j = next[k]!;
        while (j < list.length && list[j]!.time + ms <= t) state.onBar(tf, list[j++]!);
        next[k] = j;
      });
      while (!tick.done && tick.value.time <= t) {
        state.onTick(tick.value);
        tick = await ticks.next();
      }
      out[i] = state.read(t);
    }
    if (!tick.done) await ticks.return?.();
    return out;
  }
}
