import { describe, expect, it } from "vitest";
import { RiskloopError, TIMEFRAME_MS, type Candle, type Tick, type Timeframe } from "../../core/index.ts";
import { FakeClock } from "../../test/kit/fake-clock.ts";
import { hasSharedData, sharedDataPath } from "../../test/kit/shared-data.ts";
import { InMemoryMarketData } from "./in-memory-market-data.ts";
import type { MarketContext } from "./market-context.ts";
import { CONTEXT_TIMEFRAMES } from "./market-context.ts";
import { MarketContextService } from "./market-context-service.ts";
import { eurusdMay2014, LEAN_EURUSD_H1, LEAN_EURUSD_M1, LEAN_EURUSD_TICKS } from "./real-market-data.ts";
import { seededUniform } from "./seeded-uniform.ts";

/**
 * Two contexts agree: every field exactly, except the ATR, which may differ in the last bits of Wilder's
 * seed (the two were warmed from different first bars, (13/14)^500 ≈ 1e-16 apart).
 */
function expectSameContext(actual: MarketContext, expected: MarketContext, label: string): void {
  for (const tf of CONTEXT_TIMEFRAMES) {
    const a = actual.atr[tf].value;
    const e = expected.atr[tf].value;
    expect(a === null, `${label} ${tf}`).toBe(e === null);
    if (a !== null && e !== null) expect(Math.abs(a - e) / e, `${label} ${tf}`).toBeLessThan(1e-12);
  }
  const strip = (c: MarketContext) => ({ ...c, atr: Object.fromEntries(CONTEXT_TIMEFRAMES.map((tf) => [tf, { ...c.atr[tf], value: 0, pips: 0 }])) });
  expect(strip(actual), label).toEqual(strip(expected));
}


const available = [LEAN_EURUSD_M1, LEAN_EURUSD_H1, LEAN_EURUSD_TICKS].every((f) => hasSharedData(...f));

describe.skipIf(!available)("MarketContextService on real OANDA EURUSD, May 2014", () => {
  const data = available ? eurusdMay2014(sharedDataPath) : { candles: { M1: [], M5: [], H1: [] }, ticks: [] };
  const from = Date.UTC(2014, 4, 1, 2);
  const to = Date.UTC(2014, 4, 15, 22);

  it("contextSeries equals computeAt at each instant, whatever the order of the instants", async () => {
    const reader = InMemoryMarketData.of("EURUSD", data);
    const service = new MarketContextService(reader);
    const rnd = seededUniform(3);
    // Every 13 min 7 s over two weeks, shuffled, with a repeated instant.
    const times = Array.from({ length: Math.floor((to - from) / 787_000) }, (_, i) => from + i * 787_000);
    times.push(times[10]!);
    times.sort(() => rnd() - 0.5);
    const series = await service.contextSeries("EURUSD", times);
    expect(series.map((c) => c.at)).toEqual(times);
    const streamedTicks = reader.reads.ticks;
    // Every quote in the range is read once (plus the first instant's window), not once per instant.
    expect(streamedTicks).toBeLessThan(data.ticks.filter((q) => q.time >= from - 3_600_000 && q.time <= to).length * 1.01);
    for (let k = 0; k < 60; k++) {
      const i = Math.floor(rnd() * times.length);
      expectSameContext(series[i]!, await service.computeAt("EURUSD", times[i]!), new Date(times[i]!).toISOString());
    }
  });

  it("a warmed live state fed bars and quotes as they close agrees with computeAt at every instant", async () => {
    const reader = InMemoryMarketData.of("EURUSD", data);
    const clock = new FakeClock(Date.UTC(2014, 4, 7, 12, 0));
    const service = new MarketContextService(reader, { clock });
    const start = clock.now();
    const warming = service.warm("EURUSD");
    // A quote arriving while the state loads is kept and applied once loading ends.
    const early = data.ticks.find((q) => q.time > start)!;
    expect(service.onTick("EURUSD", early)).toBe(true);
    await warming;
    expect(service.contextAt("EURUSD").spread?.quoteTime).toBe(early.time);

    // Replay four hours: bars when they close, quotes when stamped, and a context every 30 s.
    type Event = { at: number; apply: () => void };
    const events: Event[] = [];
    for (const tf of CONTEXT_TIMEFRAMES) {
      for (const b of data.candles[tf]) {
        const at = b.time + TIMEFRAME_MS[tf];
        if (at > start && at <= start + 4 * 3_600_000) events.push({ at, apply: () => service.onBar("EURUSD", tf as Timeframe, b as Candle) });
      }
    }
    for (const q of data.ticks) if (q.time > early.time && q.time <= start + 4 * 3_600_000) events.push({ at: q.time, apply: () => service.onTick("EURUSD", q as Tick) });
    events.sort((a, b) => a.at - b.at);
    let e = 0;
    for (let t = start + 30_000; t <= start + 4 * 3_600_000; t += 30_000) {
      while (e < events.length && events[e]!.at <= t) events[e++]!.apply();
      clock.set(t);
      const live = service.contextAt("EURUSD");
      if ((t - start) % 1_200_000 === 0) expectSameContext(live, await service.computeAt("EURUSD", t), new Date(t).toISOString());
    }
    expect(e).toBe(events.length);
  });

  it("refuses a live lookup for a symbol never warmed, and one before data already consumed", async () => {
    const service = new MarketContextService(InMemoryMarketData.of("EURUSD", data));
    expect(() => service.contextAt("EURUSD", from)).toThrow(expect.objectContaining({ code: "CORE_ERR_CONFLICT" }) as Error);
    await service.warm("EURUSD", from);
    const error = (() => {
      try {
        service.contextAt("EURUSD", from - service.params.clockSkewMs - 1);
      } catch (err) {
        return err as RiskloopError;
      }
    })();
    expect(error?.code).toBe("CORE_ERR_INVALID");
    expect(service.contextAt("EURUSD", from).at).toBe(from);
    await expect(service.contextSeries("EURUSD", [from + 0.5])).rejects.toThrow(/times\[0\]/);
  });
});
