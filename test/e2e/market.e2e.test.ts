import { afterAll, beforeAll, expect, it, type TestContext } from "vitest";
import { dec, TIMEFRAME_MS, type Candle, type Timeframe } from "../../core/index.ts";
import { T0, trendSeries } from "../../analysis/chart/constructed-series.ts";
import { describeEachDatabase } from "../kit/db.ts";
import { testApi, type TestApi } from "../kit/api.ts";
import { requireServices } from "../kit/services.ts";

const H1 = TIMEFRAME_MS.H1;
const iso = (t: number) => new Date(t).toISOString();

/** The bars as the database holds them: decimals rounded to the column's 10 places. */
function rows(symbol: string, timeframe: Timeframe, candles: readonly Candle[]) {
  const d = (x: number) => dec(x).toDecimalPlaces(10).toFixed();
  return candles.map((c) => ({ symbol, timeframe, time: new Date(c.time), open: d(c.open), high: d(c.high), low: d(c.low), close: d(c.close), volume: "0" }));
}

/** M1 and M5 bars over the last hours of the H1 series, from the same closes, so the context has every timeframe. */
function finer(h1: readonly Candle[], timeframe: "M1" | "M5", count: number): Candle[] {
  const ms = TIMEFRAME_MS[timeframe];
  const end = h1.at(-1)!.time + H1;
  return Array.from({ length: count }, (_, i) => {
    const time = end - (count - i) * ms;
    const close = 1.1 + 0.0005 * ((time - T0) / H1);
    return { time, open: close - 0.00001, high: close + 0.0001, low: close - 0.0001, close, volume: 0 };
  });
}

describeEachDatabase("market data, context and analysis API", (getDb) => {
  let api: TestApi;
  let auth: { authorization: string };
  const h1 = trendSeries(400, 0.0005);
  const end = h1.at(-1)!.time + H1;

  /** The routes exist once the lead wires marketData, context and analysis into the container and buildApi. */
  const wired = (ctx: TestContext): void => {
    const c = api.container as unknown as Record<string, unknown>;
    if ("marketData" in c && "context" in c && "analysis" in c) return;
    if (requireServices) throw new Error("container lacks marketData/context/analysis: market routes are not wired");
    console.warn("[skipped] market routes: the container has no marketData/context/analysis yet");
    ctx.skip();
  };

  beforeAll(async () => {
    api = await testApi(getDb(), { API_RATE_LIMIT_PER_MINUTE: "10000" });
    auth = (await api.user()).auth;
    const prisma = api.container.db.prisma;
    await prisma.candle.createMany({ data: rows("EURUSD", "H1", h1) });
    await prisma.candle.createMany({ data: rows("EURUSD", "M5", finer(h1, "M5", 60)) });
    await prisma.candle.createMany({ data: rows("EURUSD", "M1", finer(h1, "M1", 60)) });
    await prisma.tick.createMany({
      data: [0, 1, 2].map((k) => ({ symbol: "EURUSD", time: new Date(end - 3000 + k * 1000), seq: 0, bid: "1.29950", ask: `1.2996${k}` })),
    });
  });
  afterAll(async () => {
    await api?.close();
  });

  it("requires a token on every route", async (ctx) => {
    wired(ctx);
    for (const url of ["/market/EURUSD/candles", "/market/EURUSD/context", "/analysis/EURUSD"]) {
      expect((await api.app.inject({ method: "GET", url })).statusCode, url).toBe(401);
    }
  });

  it("pages through the candles with a cursor, oldest first, prices as decimal strings", async (ctx) => {
    wired(ctx);
    const seen: { time: string; open: string; close: string }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = `timeframe=H1&limit=150${cursor ? `&cursor=${cursor}` : ""}`;
      const res = await api.app.inject({ method: "GET", url: `/market/EURUSD/candles?${q}`, headers: auth });
      expect(res.statusCode).toBe(200);
      const page = res.json() as { candles: { time: string; open: string; close: string }[]; nextCursor: string | null };
      seen.push(...page.candles);
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null);
    expect(pages).toBe(3);
    expect(seen.map((c) => c.time)).toEqual(h1.map((c) => iso(c.time)));
    expect(seen[7]!.close).toBe(dec(h1[7]!.close).toDecimalPlaces(10).toFixed());
    expect(seen[7]!.open).toMatch(/^\d+\.\d+$/);
  });

  it("filters by from/to given as ISO or epoch ms, half-open", async (ctx) => {
    wired(ctx);
    const from = h1[10]!.time;
    const to = h1[20]!.time;
    for (const q of [`from=${iso(from)}&to=${iso(to)}`, `from=${from}&to=${to}`]) {
      const res = await api.app.inject({ method: "GET", url: `/market/EURUSD/candles?timeframe=H1&${q}`, headers: auth });
      expect(res.json().candles.map((c: { time: string }) => c.time)).toEqual(h1.slice(10, 20).map((c) => iso(c.time)));
    }
  });

  it("answers 400 naming the field for bad ranges and limits, and 404 for an unknown symbol", async (ctx) => {
    wired(ctx);
    const get = (url: string) => api.app.inject({ method: "GET", url, headers: auth });
    const field = async (url: string) => {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      return res.json().error.details.field as string;
    };
    expect(await field("/market/EURUSD/candles?from=yesterday")).toBe("querystring.from");
    expect(await field(`/market/EURUSD/candles?from=${h1[5]!.time}&to=${h1[5]!.time}`)).toBe("querystring.to");
    expect(await field("/market/EURUSD/candles?to=99999999999999999")).toBe("querystring.to");
    expect(await field("/market/EURUSD/candles?limit=5001")).toBe("querystring.limit");
    expect(await field("/market/EURUSD/candles?timeframe=H2")).toBe("querystring.timeframe");
    expect(await field("/market/EURUSD/candles?cursor=bm9wZQ")).toBe("querystring.cursor");
    expect(await field(`/market/EURUSD/context?at=${Date.now() + 3_600_000}`)).toBe("querystring.at");
    for (const url of ["/market/XXXYYY/candles", "/market/XXXYYY/context", "/analysis/XXXYYY"]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe("CORE_ERR_NOT_FOUND");
    }
  });

  it("gives the market context at an instant from the stored bars and quotes", async (ctx) => {
    wired(ctx);
    const res = await api.app.inject({ method: "GET", url: `/market/EURUSD/context?at=${iso(end)}`, headers: auth });
    expect(res.statusCode).toBe(200);
    const c = res.json();
    expect(c.at).toBe(iso(end));
    expect(c.atr.H1.lastBarTime).toBe(iso(h1.at(-1)!.time));
    expect(c.atr.H1.value).toBeGreaterThan(0);
    expect(c.atr.M1.value).toBeGreaterThan(0);
    expect(c.spread).toMatchObject({ bid: "1.2995", ask: "1.29962", samples: 3, ageMs: 1000 });
    expect(c.session.dayOfWeek).toBe(new Date(end).getUTCDay());
    expect(c.dataQuality.warmingUp).toContain("VOLATILITY");
  });

  it("analyses a symbol, stores one row per kind, and serves the stored analysis on the next call", async (ctx) => {
    wired(ctx);
    const first = await api.app.inject({ method: "GET", url: "/analysis/EURUSD?timeframe=H1", headers: auth });
    expect(first.statusCode).toBe(200);
    const a = first.json();
    expect(a).toMatchObject({ symbol: "EURUSD", timeframe: "H1", bias: "bullish", cached: false, synthetic: false, dataTo: iso(end) });
    expect(a.confidence).toBeGreaterThan(0.5);
    expect(a.recommendations.length).toBeGreaterThan(0);
    expect(a.sections.trend.result.long.direction).toBe("up");
    const again = await api.app.inject({ method: "GET", url: "/analysis/EURUSD", headers: auth });
    expect(again.json()).toMatchObject({ cached: true, computedAt: a.computedAt });
    const kinds = await api.container.db.prisma.aiAnalysis.findMany({ where: { symbol: "EURUSD" }, select: { kind: true } });
    expect(kinds.map((k) => k.kind).sort()).toEqual(["LEVELS", "PATTERNS", "REGIME", "SUMMARY", "TREND"]);
  });
});
