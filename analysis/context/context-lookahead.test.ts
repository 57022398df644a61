import { describe, expect, it } from "vitest";
import { TIMEFRAME_MS } from "../../core/index.ts";
import { hasSharedData, sharedDataPath } from "../../test/kit/shared-data.ts";
import type { MarketDataReader } from "../market-data/index.ts";
import { DEFAULT_CONTEXT_PARAMS } from "./context.config.ts";
import { ContextState } from "./context-state.ts";
import { InMemoryMarketData } from "./in-memory-market-data.ts";
import type { MarketContext } from "./market-context.ts";
import { CONTEXT_TIMEFRAMES } from "./market-context.ts";
import { MarketContextService } from "./market-context-service.ts";
import { eurusdMay2014, LEAN_EURUSD_H1, LEAN_EURUSD_M1, LEAN_EURUSD_TICKS } from "./real-market-data.ts";
import { seededUniform } from "./seeded-uniform.ts";

type Compute = (reader: MarketDataReader, t: number) => Promise<MarketContext>;

/**
 * The look-ahead check: the context at `t` computed from the full data set must be identical to the one
 * computed from the data truncated at `t` (bars closed by `t`, quotes up to `t`). Returns the instants
 * where they differ, or where the computation refused to answer.
 */
async function lookaheadViolations(compute: Compute, full: InMemoryMarketData, times: number[]): Promise<string[]> {
  const bad: string[] = [];
  for (const t of times) {
    const label = new Date(t).toISOString();
    try {
      const withFuture = JSON.stringify(await compute(full, t));
      const truncated = JSON.stringify(await compute(full.truncatedAt(t), t));
      if (withFuture !== truncated) bad.push(label);
    } catch (err) {
      bad.push(`${label}: ${(err as Error).message}`);
    }
  }
  return bad;
}

/** A deliberately leaky loader: it takes every bar that has *opened* by `t`, so the still-forming bar gets in. */
function leaky(tolerance: number): Compute {
  return async (reader, t) => {
    const state = new ContextState("EURUSD", DEFAULT_CONTEXT_PARAMS, 0.0001);
    for (const tf of CONTEXT_TIMEFRAMES) {
      for (const c of await reader.lastCandles("EURUSD", tf, t + 1, DEFAULT_CONTEXT_PARAMS.warmBars)) state.onBar(tf, c);
    }
    for await (const q of reader.ticks("EURUSD", t - 3_600_000, t + 1)) state.onTick(q);
    return state.read(t, tolerance);
  };
}


const available = [LEAN_EURUSD_M1, LEAN_EURUSD_H1, LEAN_EURUSD_TICKS].every((f) => hasSharedData(...f));

describe.skipIf(!available)("no look-ahead in the market context (real OANDA EURUSD, May 2014)", () => {
  const data = available ? eurusdMay2014(sharedDataPath) : { candles: { M1: [], M5: [], H1: [] }, ticks: [] };
  const full = InMemoryMarketData.of("EURUSD", data);
  const from = Date.UTC(2014, 4, 1, 1);
  const to = Date.UTC(2014, 4, 15, 23);
  const rnd = seededUniform(42);
  // Random instants (whole ms, so most fall inside forming bars) plus exact bar closes and the ms before them.
  const times = [
    ...Array.from({ length: 16 }, () => Math.floor(from + rnd() * (to - from))),
    Date.UTC(2014, 4, 7, 14, 0),
    Date.UTC(2014, 4, 7, 14, 0) - 1,
    Date.UTC(2014, 4, 7, 13, 32),
    Date.UTC(2014, 4, 12, 9, 5),
  ];

  it("computes the same context from the full data as from the data truncated at each instant", async () => {
    const seen: MarketContext[] = [];
    const compute: Compute = async (reader, t) => {
      const c = await new MarketContextService(reader).computeAt("EURUSD", t);
      seen.push(c);
      return c;
    };
    expect(await lookaheadViolations(compute, full, times)).toEqual([]);
    // And directly: no bar closing after the instant, no quote stamped after it.
    for (const c of seen) {
      for (const tf of CONTEXT_TIMEFRAMES) {
        if (c.atr[tf].lastBarTime !== null) expect(c.atr[tf].lastBarTime! + TIMEFRAME_MS[tf]).toBeLessThanOrEqual(c.at);
      }
      if (c.spread) expect(c.spread.quoteTime).toBeLessThanOrEqual(c.at);
    }
  });

  it("catches a deliberately leaky loader: the state refuses it, and without that guard the truncation check fails", async () => {
    const refused = await lookaheadViolations(leaky(0), full, times);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.join("\n")).toMatch(/precedes data/);
    const unguarded = await lookaheadViolations(leaky(Infinity), full, times);
    // It leaks exactly where some bar is forming at the instant (at an exact close, the one opening then).
    const forming = times.filter((t) => CONTEXT_TIMEFRAMES.some((tf) => data.candles[tf].some((b) => b.time <= t && t < b.time + TIMEFRAME_MS[tf])));
    expect(forming.length).toBeGreaterThan(times.length / 2);
    expect(unguarded).toEqual(forming.map((t) => new Date(t).toISOString()));
  });

});
