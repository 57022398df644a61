import { expect, it } from "vitest";
import { TIMEFRAME_MS, type Candle } from "../../core/index.ts";
import { describeIfData, hasSharedData, sharedDataPath } from "../../test/kit/shared-data.ts";
import { runTalib } from "../indicators/test-series.ts";
import { DEFAULT_CONTEXT_PARAMS } from "./context.config.ts";
import { InMemoryMarketData } from "./in-memory-market-data.ts";
import { CONTEXT_TIMEFRAMES } from "./market-context.ts";
import { MarketContextService } from "./market-context-service.ts";
import { eurusdMay2014, LEAN_EURUSD_H1, LEAN_EURUSD_M1, LEAN_EURUSD_TICKS } from "./real-market-data.ts";

const at = (iso: string): number => Date.parse(iso);
const INSTANTS = [
  "2014-05-01T00:30:00.000Z",
  "2014-05-07T13:32:00.000Z",
  "2014-05-07T13:32:30.500Z",
  "2014-05-09T20:59:59.999Z",
  "2014-05-10T12:00:00.000Z",
  "2014-05-11T21:03:00.000Z",
  "2014-05-14T08:00:00.000Z",
].map(at);

/** TA-Lib ATR(14) of every bar, computed over the whole series from its first bar. */
function talibAtr(bars: readonly Candle[]): Float64Array {
  const col = (k: "high" | "low" | "close") => Float64Array.from(bars, (b) => b[k]);
  return runTalib("ATR", { high: col("high"), low: col("low"), close: col("close") }, { optInTimePeriod: 14 }).outReal!;
}

/** Index of the last bar closed by `t`, or −1. */
function lastClosed(bars: readonly Candle[], ms: number, t: number): number {
  let i = bars.length - 1;
  while (i >= 0 && bars[i]!.time + ms > t) i--;
  return i;
}

const available = [LEAN_EURUSD_M1, LEAN_EURUSD_H1, LEAN_EURUSD_TICKS].every((f) => hasSharedData(...f));

describeIfData(available, "market context on real OANDA EURUSD, May 2014, checked independently", () => {
  const data = eurusdMay2014(sharedDataPath);
  const reader = InMemoryMarketData.of("EURUSD", data);
  const service = new MarketContextService(reader);
  const reference = {
    M1: talibAtr(data.candles.M1),
    M5: talibAtr(data.candles.M5),
    H1: talibAtr(data.candles.H1),
  };

  it("reports each timeframe's ATR(14) of the last closed bar as TA-Lib computes it", async () => {
    for (const t of INSTANTS) {
      const c = await service.computeAt("EURUSD", t);
      for (const tf of CONTEXT_TIMEFRAMES) {
        const bars = data.candles[tf];
        const i = lastClosed(bars, TIMEFRAME_MS[tf], t);
        const label = `${new Date(t).toISOString()} ${tf}`;
        expect(c.atr[tf].lastBarTime, label).toBe(bars[i]!.time);
        const expected = reference[tf][i]!;
        if (Number.isNaN(expected)) {
          expect(c.atr[tf].value, label).toBeNull();
          expect(c.dataQuality.warmingUp, label).toContain(`ATR_${tf}`);
        } else {
          expect(Math.abs(c.atr[tf].value! - expected) / expected, label).toBeLessThan(1e-12);
          expect(c.atr[tf].pips! * 0.0001).toBeCloseTo(c.atr[tf].value!, 15);
        }
      }
    }
  });

  it("ranks the M5 ATR within the last 30 days of closed M5 ATR values, as a brute-force count does", async () => {
    const bars = data.candles.M5;
    const window = DEFAULT_CONTEXT_PARAMS.volatilityWindowDays * 86_400_000;
    for (const t of INSTANTS) {
      const c = await service.computeAt("EURUSD", t);
      const i = lastClosed(bars, TIMEFRAME_MS.M5, t);
      const values: number[] = [];
      for (let j = 0; j <= i; j++) {
        if (bars[j]!.time > bars[i]!.time - window && !Number.isNaN(reference.M5[j]!)) values.push(reference.M5[j]!);
      }
      const expected = values.length >= DEFAULT_CONTEXT_PARAMS.volatilityMinSamples ? (100 * values.filter((v) => v <= reference.M5[i]!).length) / values.length : null;
      expect(c.volatility.samples).toBe(values.length);
      expect(c.volatility.percentile, new Date(t).toISOString()).toBe(expected);
    }
  });

  it("gives the last quote at or before the instant and the median spread of the hour up to it", async () => {
    for (const t of INSTANTS) {
      const c = await service.computeAt("EURUSD", t);
      const upTo = data.ticks.filter((q) => q.time <= t);
      const last = upTo.at(-1)!;
      const spreads = upTo.filter((q) => q.time > last.time - 3_600_000).map((q) => q.ask - q.bid).sort((a, b) => a - b);
      const mid = spreads.length >> 1;
      const median = spreads.length % 2 ? spreads[mid]! : (spreads[mid - 1]! + spreads[mid]!) / 2;
      expect(c.spread?.bid).toBe(last.bid);
      expect(c.spread?.ask).toBe(last.ask);
      expect(c.spread?.quoteTime).toBe(last.time);
      expect(c.spread?.ageMs).toBe(t - last.time);
      expect(c.spread?.samples).toBe(spreads.length);
      expect(c.spread?.typical).toBe(median);
    }
  });

  it("labels sessions with real DST (BST and EDT in May; Sydney on AEST) and flags the weekend", async () => {
    const mid = await service.computeAt("EURUSD", at("2014-05-07T13:32:00.000Z"));
    // London 07:00–16:00 UTC, New York 12:00–21:00 UTC: New York opened 92 minutes ago; Sydney opens at 21:00.
    expect(mid.session).toMatchObject({ primary: "OVERLAP_LONDON_NY", open: ["LONDON", "NEW_YORK"], dayOfWeek: 3, marketOpen: true });
    expect(mid.session).toMatchObject({ lastOpened: "NEW_YORK", minutesSinceOpen: 92, nextOpening: "SYDNEY", minutesToNextOpen: 448 });
    expect(mid.dataQuality.ok).toBe(true);
    const saturday = await service.computeAt("EURUSD", at("2014-05-10T12:00:00.000Z"));
    expect(saturday.session.primary).toBe("CLOSED");
    expect(saturday.session.dayOfWeek).toBe(6);
    expect(saturday.dataQuality.staleQuote).toBe(true);
    expect(saturday.dataQuality.staleTimeframes).toEqual(["M1", "M5", "H1"]);
  });
});
