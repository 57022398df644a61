import type { Candle, Tick } from "../../../core/index.ts";
import { PaperVenue, type PaperVenueOptions } from "../paper-venue.ts";
import { ArrayMarketDataReader } from "./array-market-data-reader.ts";
import { TEST_INSTRUMENTS } from "./paper-instruments.ts";

export type VenueSettings = Omit<PaperVenueOptions, "reader" | "instruments" | "accountId"> & { accountId?: string };

/** Test kit: a connected paper venue over the given ticks or M1 bars, with the test instruments. */
export async function connectedVenue(data: { ticks?: Record<string, Tick[]>; m1?: Record<string, Candle[]> }, settings: VenueSettings): Promise<PaperVenue> {
  const venue = new PaperVenue({ accountId: "paper-test", reader: new ArrayMarketDataReader(data), instruments: TEST_INSTRUMENTS, ...settings });
  await venue.connect();
  return venue;
}

/** Test kit: hand-made quotes `[time, bid, ask]`, for exact money maths. */
export function quotes(rows: readonly (readonly [number, number, number])[]): Tick[] {
  return rows.map(([time, bid, ask]) => ({ time, bid, ask }));
}

/** Test kit: a seeded uniform generator (mulberry32), for reproducible scenarios. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
