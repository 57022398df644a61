import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { dec, invalid, notFound, TIMEFRAMES, type Candle, type Clock } from "../../core/index.ts";
import type { MarketContext, MarketContextService } from "../../analysis/context/index.ts";
import type { MarketDataReader } from "../../analysis/market-data/index.ts";
import { errorResponses } from "../schemas.ts";

/** What the market routes take from the container. */
export interface MarketRouteServices {
  readonly marketData: MarketDataReader;
  readonly context: MarketContextService;
  readonly clock: Clock;
}

export const SymbolParams = Type.Object({ symbol: Type.String({ pattern: "^[A-Za-z0-9._#-]{2,20}$" }) }, { additionalProperties: false });
export const TimeframeSchema = Type.Union(TIMEFRAMES.map((t) => Type.Literal(t)));
const Instant = (description: string) => Type.String({ minLength: 1, maxLength: 40, description: `${description} ISO 8601 or epoch milliseconds.` });
const Price = (description: string) => Type.String({ pattern: "^-?\\d+(\\.\\d+)?$", description });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const MAX_INSTANT = 8_640_000_000_000_000;

/** Reads `raw` as epoch milliseconds or an ISO 8601 time; 400 naming `field` otherwise. */
export function parseInstant(field: string, raw: string): number {
  const t = /^\d{1,16}$/.test(raw) ? Number(raw) : /^\d{4}-\d{2}-\d{2}/.test(raw) ? Date.parse(raw) : Number.NaN;
  if (!Number.isFinite(t) || t < 0 || t > MAX_INSTANT) throw invalid(field, "must be an ISO 8601 time or epoch milliseconds from 1970 on");
  return Math.floor(t);
}

const encodeCursor = (t: number): string => Buffer.from(`c1:${t}`).toString("base64url");

function decodeCursor(cursor: string): number {
  const m = /^c1:(\d{1,16})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!m) throw invalid("querystring.cursor", "is not a cursor this endpoint issued");
  return Number(m[1]);
}

const CandleView = Type.Object({
  time: Type.String({ description: "Bar open, UTC." }),
  open: Price("Open."),
  high: Price("High."),
  low: Price("Low."),
  close: Price("Close."),
  volume: Price("Volume."),
  spread: Nullable(Price("Spread at the close, price units.")),
});

const CandlePage = Type.Object({
  symbol: Type.String(),
  timeframe: Type.String(),
  candles: Type.Array(CandleView),
  nextCursor: Nullable(Type.String({ description: "Pass as `cursor` for the next page; null on the last page." })),
});

const decimal = (x: number): string => dec(x).toFixed();

function candleView(c: Candle) {
  return {
    time: new Date(c.time).toISOString(),
    open: decimal(c.open),
    high: decimal(c.high),
    low: decimal(c.low),
    close: decimal(c.close),
    volume: decimal(c.volume),
    spread: c.spread === undefined ? null : decimal(c.spread),
  };
}

const Atr = Type.Object({ value: Nullable(Type.Number()), pips: Nullable(Type.Number()), lastBarTime: Nullable(Type.String()) });
const ContextView = Type.Object({
  symbol: Type.String(),
  at: Type.String(),
  pipSize: Type.Number(),
  atr: Type.Object({ M1: Atr, M5: Atr, H1: Atr }),
  session: Type.Object({
    primary: Type.String(),
    open: Type.Array(Type.String()),
    overlap: Nullable(Type.String()),
    marketOpen: Type.Boolean(),
    dayOfWeek: Type.Integer(),
    lastOpened: Type.String(),
    minutesSinceOpen: Type.Number(),
    nextOpening: Type.String(),
    minutesToNextOpen: Type.Number(),
  }),
  volatility: Type.Object({ timeframe: Type.String(), percentile: Nullable(Type.Number()), samples: Type.Integer(), windowDays: Type.Integer() }),
  spread: Nullable(
    Type.Object({
      bid: Price("Last bid."),
      ask: Price("Last ask."),
      current: Type.Number(),
      currentPips: Type.Number(),
      typical: Type.Number(),
      typicalPips: Type.Number(),
      samples: Type.Integer(),
      quoteTime: Type.String(),
      ageMs: Type.Number(),
    }),
  ),
  dataQuality: Type.Object({
    ok: Type.Boolean(),
    staleQuote: Type.Boolean(),
    noQuotes: Type.Boolean(),
    crossedQuote: Type.Boolean(),
    missingTimeframes: Type.Array(Type.String()),
    staleTimeframes: Type.Array(Type.String()),
    warmingUp: Type.Array(Type.String()),
  }),
});

const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());

function contextView(c: MarketContext) {
  const atr = (tf: "M1" | "M5" | "H1") => ({ ...c.atr[tf], lastBarTime: iso(c.atr[tf].lastBarTime) });
  return {
    ...c,
    at: new Date(c.at).toISOString(),
    session: { ...c.session, open: [...c.session.open] },
    atr: { M1: atr("M1"), M5: atr("M5"), H1: atr("H1") },
    spread: c.spread === null ? null : { ...c.spread, bid: decimal(c.spread.bid), ask: decimal(c.spread.ask), quoteTime: new Date(c.spread.quoteTime).toISOString() },
  };
}

/** Stored candles, paged, and the market context at an instant. */
export const marketRoutes: FastifyPluginAsyncTypebox<{ container: MarketRouteServices }> = async (app, { container }) => {
  const { marketData, context, clock } = container;
  const common = { tags: ["market"], security: [{ bearer: [] }] };
  app.addHook("preHandler", app.authenticate);

  const requireSymbol = async (symbol: string): Promise<void> => {
    if (!(await marketData.symbols()).includes(symbol)) throw notFound("symbol", symbol);
  };

  app.get(
    "/market/:symbol/candles",
    {
      schema: {
        ...common,
        summary: "Stored candles of a symbol, oldest first, in pages",
        params: SymbolParams,
        querystring: Type.Object(
          {
            timeframe: Type.Optional(TimeframeSchema),
            from: Type.Optional(Instant("First bar open to include (default: the first stored).")),
            to: Type.Optional(Instant("Bar opens before this (default: now).")),
            limit: Type.Integer({ minimum: 1, maximum: 5000, default: 1000 }),
            cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: CandlePage, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => {
      const { symbol } = req.params;
      const { timeframe = "H1", limit } = req.query;
      const from = req.query.from === undefined ? 0 : parseInstant("querystring.from", req.query.from);
      const to = req.query.to === undefined ? clock.now() : parseInstant("querystring.to", req.query.to);
      if (to <= from) throw invalid("querystring.to", "must be after from");
      const start = req.query.cursor === undefined ? from : decodeCursor(req.query.cursor);
      if (start < from || start >= to) throw invalid("querystring.cursor", "does not belong to this range");
      const page = await marketData.candles(symbol, timeframe, start, to, limit + 1);
      if (page.length === 0 && req.query.cursor === undefined) await requireSymbol(symbol);
      const next = page.length > limit ? page[limit]! : undefined;
      return {
        symbol,
        timeframe,
        candles: page.slice(0, limit).map(candleView),
        nextCursor: next === undefined ? null : encodeCursor(next.time),
      };
    },
  );

  app.get(
    "/market/:symbol/context",
    {
      schema: {
        ...common,
        summary: "Market context (ATR, session, volatility index, spread, data quality) at an instant",
        params: SymbolParams,
        querystring: Type.Object({ at: Type.Optional(Instant("Instant (default: now).")) }, { additionalProperties: false }),
        response: { 200: ContextView, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => {
      const { symbol } = req.params;
      const now = Math.floor(clock.now());
      const at = req.query.at === undefined ? undefined : parseInstant("querystring.at", req.query.at);
      if (at !== undefined && at > now) throw invalid("querystring.at", "must not be in the future");
      await requireSymbol(symbol);
      if (at === undefined && context.isWarm(symbol)) return contextView(context.contextAt(symbol, now));
      return contextView(await context.computeAt(symbol, at ?? now));
    },
  );
};
