import type { SymbolSpec, Tick } from "../../core/index.ts";
import type { MarketDataReader } from "../../analysis/market-data/index.ts";
import { barQuotePoints } from "./bar-quotes.ts";
import type { QuotePoint } from "./paper-types.ts";

/** What a symbol is replayed from: recorded ticks, or four synthetic quotes per M1 bar. */
export type FeedSource = "ticks" | "bars";

/** How far a symbol's replay got: the last consumed time and how many points at exactly that time were consumed. */
export interface FeedCursor {
  source: FeedSource;
  time: number;
  count: number;
}

const TICK_CHUNK = 4_096;
const BAR_PAGE_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** One symbol's points in time order, read ahead in chunks so the replay loop stays synchronous between refills. */
class SymbolFeed {
  readonly cursor: FeedCursor;
  #buffer: QuotePoint[] = [];
  #pos = 0;
  #done = false;
  #iterator: AsyncIterator<Tick> | undefined;
  #barsFrom: number;
  #skipBefore: number;
  #skipAtTime: number;

  constructor(
    private readonly reader: MarketDataReader,
    private readonly spec: SymbolSpec,
    private readonly to: number,
    private readonly typicalSpread: number | undefined,
    start: FeedCursor,
  ) {
    this.cursor = { ...start };
    // A resumed feed re-reads from the last consumed time and drops what was already replayed.
    this.#skipBefore = start.time;
    this.#skipAtTime = start.count;
    this.#barsFrom = Math.floor(start.time / MINUTE_MS) * MINUTE_MS;
  }

  get symbol(): string {
    return this.spec.symbol;
  }

  get needsRefill(): boolean {
    return this.#pos >= this.#buffer.length && !this.#done;
  }

  head(): QuotePoint | undefined {
    return this.#buffer[this.#pos];
  }

  take(): QuotePoint {
    const p = this.#buffer[this.#pos++]!;
    if (p.time === this.cursor.time) this.cursor.count++;
    else {
      this.cursor.time = p.time;
      this.cursor.count = 1;
    }
    return p;
  }

  async refill(): Promise<void> {
    this.#buffer = [];
    this.#pos = 0;
    try {
      if (this.cursor.source === "ticks") await this.#readTicks();
      else await this.#readBars();
    } catch (err) {
      // A failed read leaves nothing half-done: the next refill reads again from right after the last consumed point.
      this.#buffer = [];
      this.#iterator = undefined;
      this.#skipBefore = this.cursor.time;
      this.#skipAtTime = this.cursor.count;
      this.#barsFrom = Math.floor(this.cursor.time / MINUTE_MS) * MINUTE_MS;
      throw err;
    }
  }

  #keep(p: QuotePoint): boolean {
    if (p.time >= this.to || p.time < this.#skipBefore) return false;
    if (p.time === this.#skipBefore && this.#skipAtTime > 0) {
      this.#skipAtTime--;
      return false;
    }
    return true;
  }

  async #readTicks(): Promise<void> {
    this.#iterator ??= this.reader.ticks(this.spec.symbol, this.#skipBefore, this.to)[Symbol.asyncIterator]();
    const symbol = this.spec.symbol;
    while (this.#buffer.length < TICK_CHUNK) {
      const next = await this.#iterator.next();
      if (next.done) {
        this.#done = true;
        return;
      }
      const t = next.value;
      const p = { symbol, time: t.time, bid: t.bid, ask: t.ask, receivedAt: t.receivedAt ?? t.time };
      if (this.#keep(p)) this.#buffer.push(p);
    }
  }

  async #readBars(): Promise<void> {
    while (this.#buffer.length === 0) {
      if (this.#barsFrom >= this.to) {
        this.#done = true;
        return;
      }
      const pageTo = Math.min(this.#barsFrom + BAR_PAGE_MS, this.to);
      const bars = await this.reader.candles(this.spec.symbol, "M1", this.#barsFrom, pageTo);
      this.#barsFrom = pageTo;
      for (const bar of bars) {
        for (const p of barQuotePoints(bar, this.spec, this.typicalSpread)) if (this.#keep(p)) this.#buffer.push(p);
      }
    }
  }
}

/**
 * The replay's single time-ordered stream over every symbol. Points with equal times keep each symbol's own
 * order and, across symbols, the configured symbol order, so a replay is the same every time.
 */
export class QuoteFeed {
  readonly #feeds: SymbolFeed[];
  #chosen: SymbolFeed | undefined;

  constructor(feeds: SymbolFeed[]) {
    this.#feeds = feeds;
  }

  /** The next point; undefined at the end of the range; null when a buffer must be refilled first (see `peek`). */
  peekSync(): QuotePoint | undefined | null {
    let best: QuotePoint | undefined;
    for (const feed of this.#feeds) {
      if (feed.needsRefill) return null;
      const head = feed.head();
      if (head !== undefined && (best === undefined || head.time < best.time)) {
        best = head;
        this.#chosen = feed;
      }
    }
    return best;
  }

  async peek(): Promise<QuotePoint | undefined> {
    for (;;) {
      const p = this.peekSync();
      if (p !== null) return p;
      for (const feed of this.#feeds) if (feed.needsRefill) await feed.refill();
    }
  }

  /** Consumes the point the last peek returned. */
  take(): QuotePoint {
    return this.#chosen!.take();
  }

  cursors(): Record<string, FeedCursor> {
    return Object.fromEntries(this.#feeds.map((f) => [f.symbol, { ...f.cursor }]));
  }
}

export interface QuoteFeedOptions {
  reader: MarketDataReader;
  specs: readonly SymbolSpec[];
  from: number;
  to: number;
  source: FeedSource | "auto";
  typicalSpreads: Readonly<Record<string, number>>;
  /** Cursors from a snapshot: each symbol resumes right after its last replayed point. */
  resume?: Readonly<Record<string, FeedCursor>>;
}

/** Opens the replay; with source "auto" a symbol replays ticks when the reader has ticks in the range, else M1 bars. */
export async function openQuoteFeed(o: QuoteFeedOptions): Promise<QuoteFeed> {
  const feeds: SymbolFeed[] = [];
  for (const spec of o.specs) {
    const start = o.resume?.[spec.symbol] ?? { source: await chooseSource(o, spec.symbol), time: o.from, count: 0 };
    feeds.push(new SymbolFeed(o.reader, spec, o.to, o.typicalSpreads[spec.symbol], start));
  }
  return new QuoteFeed(feeds);
}

async function chooseSource(o: QuoteFeedOptions, symbol: string): Promise<FeedSource> {
  if (o.source !== "auto") return o.source;
  const coverage = await o.reader.coverage(symbol);
  const ticks = coverage.ticks;
  if (ticks && ticks.from < o.to && ticks.to >= o.from) return "ticks";
  return coverage.candles.M1 ? "bars" : "ticks";
}
