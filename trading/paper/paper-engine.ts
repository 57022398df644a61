import { dec, systemClock, type Clock, type Logger, type SymbolSpec } from "../../core/index.ts";
import type { MarketDataReader } from "../../analysis/market-data/index.ts";
import { systemTimers, type Timers } from "../broker/index.ts";
import { LatencyModel } from "./latency-model.ts";
import { PaperDesk } from "./paper-desk.ts";
import { initialLedger, PaperLedger } from "./paper-ledger.ts";
import { nextRollover, PaperMatcher, type SwapRate } from "./paper-matcher.ts";
import { PaperMoney } from "./paper-money.ts";
import { PaperReplay, type ReplayHooks } from "./paper-replay.ts";
import type { PaperSettings } from "./paper-settings.ts";
import type { PaperVenueState } from "./paper-snapshot.ts";
import type { EventSink, PaperFaults, QuotePoint } from "./paper-types.ts";
import { openQuoteFeed } from "./quote-feed.ts";

/** Services the venue uses but does not persist. */
export interface PaperVenueDeps {
  reader: MarketDataReader;
  /** Symbol specifications (the Instrument table in production); every replayed symbol needs one. */
  instruments: readonly SymbolSpec[];
  /** Wall clock and timers of the recorded-speed mode (`play`). */
  clock?: Clock;
  timers?: Timers;
  logger?: Logger;
  faults?: PaperFaults;
}

/** The venue's working parts, wired to one another. */
export interface PaperEngine {
  specs: Map<string, SymbolSpec>;
  quotes: Map<string, QuotePoint>;
  ledger: PaperLedger;
  matcher: PaperMatcher;
  replay: PaperReplay;
  desk: PaperDesk;
}

export interface EngineWiring {
  settings: PaperSettings;
  state: PaperVenueState;
  deps: PaperVenueDeps;
  /** Where the books announce events (the venue lets them through while connected). */
  emit: EventSink;
  /** The venue's own per-time and per-quote work; the engine runs the matcher's. */
  onTime(t: number): void;
  onPoint(p: QuotePoint): void;
  /** The venue's next time-driven event (a healing link), for the recorded-speed mode. */
  nextWake(): number;
}

/** A new account's state: the deposit booked at the start of the range, nothing replayed yet. */
export function initialState(settings: PaperSettings): PaperVenueState {
  return {
    format: 1,
    settings,
    now: settings.from,
    cursors: null,
    ended: false,
    latencyState: new LatencyModel(settings.latency).state,
    ledger: initialLedger(dec(settings.initialBalance), settings.from),
    inflight: [],
    quotes: [],
    results: {},
    nextRollover: nextRollover(settings.from),
  };
}

/** Builds quotes, books, matching, replay and order entry from settings and a (fresh or restored) state. */
export function assemblePaperEngine(w: EngineWiring): PaperEngine {
  const { settings, state, deps } = w;
  const bySymbol = new Map(deps.instruments.map((s) => [s.symbol, s] as const));
  const specs = new Map(settings.symbols.map((s) => [s, bySymbol.get(s)!] as const));
  const quotes = new Map(state.quotes.map((q) => [q.symbol, q] as const));
  const money = new PaperMoney(specs, quotes, settings.currency);
  const ledger = new PaperLedger(
    { specs, quotes, money, currency: settings.currency, leverage: settings.leverage, commissionPerLot: dec(settings.commissionPerLot), hedging: settings.hedging, emit: w.emit },
    state.ledger,
  );
  const swap = new Map<string, SwapRate>(Object.entries(settings.swap).map(([s, r]) => [s, { longPerLot: dec(r.longPerLot), shortPerLot: dec(r.shortPerLot) }]));
  let desk: PaperDesk | undefined;
  const { stopOutLevel, marketClosedAfterMs } = settings;
  const matcher = new PaperMatcher({ ledger, money, specs, quotes, stopOutLevel, marketClosedAfterMs, swap, settle: (id, result) => desk!.settle(id, result) }, state);
  const cursors = state.cursors;
  const hooks: ReplayHooks = {
    onTime: (t) => {
      matcher.onTime(t);
      w.onTime(t);
    },
    onPoint: (p) => {
      w.onPoint(p);
      matcher.onQuote(p);
    },
    onEnd: (t, failure) =>
      failure
        ? matcher.abandon("TRD_ERR_BROKER_BUSY", failure.message, t)
        : matcher.abandon("TRD_ERR_NO_PRICES", "the recorded range ended before the request reached the market", t),
    nextWake: () => Math.min(w.nextWake(), matcher.nextDue),
  };
  const replay = new PaperReplay({
    open: () =>
      openQuoteFeed({
        reader: deps.reader,
        specs: [...specs.values()],
        from: settings.from,
        to: settings.to,
        source: settings.source,
        typicalSpreads: settings.typicalSpreads,
        ...(cursors ? { resume: cursors } : {}),
      }),
    now: state.now,
    ended: state.ended,
    clock: deps.clock ?? systemClock,
    timers: deps.timers ?? systemTimers,
    ...(deps.logger ? { logger: deps.logger } : {}),
    hooks,
  });
  desk = new PaperDesk({
    ledger,
    matcher,
    replay,
    specs,
    quotes,
    latency: new LatencyModel(settings.latency, state.latencyState),
    marketClosedAfterMs,
    results: state.results,
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
  desk.faults = deps.faults ?? {};
  return { specs, quotes, ledger, matcher, replay, desk };
}
