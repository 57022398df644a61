import type { ClosedTrade } from "./closed-trade.ts";

const HOUR_MS = 3_600_000;

/** Monday 2024-01-01 00:00 UTC, the default first open time of built trades. */
export const BUILDER_EPOCH = Date.UTC(2024, 0, 1);

/**
 * A EURUSD buy of 1 lot opened at 1.10000 with a 50-pip stop (1R = 500 USD) that closed at `r` R, for tests
 * and benchmarks; any field can be overridden.
 */
export function buildTrade(opts: { r?: number; at?: number } & Partial<ClosedTrade> = {}): ClosedTrade {
  const { r = 1, at = BUILDER_EPOCH, ...overrides } = opts;
  const open = 1.1;
  const slDistance = 0.005;
  return {
    openTime: at,
    closeTime: at + HOUR_MS,
    profit: r * 500,
    volume: 1,
    symbol: "EURUSD",
    side: "BUY",
    openPrice: open,
    closePrice: open + r * slDistance,
    stopLoss: open - slDistance,
    closeReason: r <= -1 ? "SL" : "MANUAL",
    ...overrides,
  };
}

/** Trades closing at the given R multiples, one opened every `spacingMs` from `start`. */
export function tradeSeries(rs: readonly number[], start = BUILDER_EPOCH, spacingMs = 4 * HOUR_MS): ClosedTrade[] {
  return rs.map((r, i) => buildTrade({ r, at: start + i * spacingMs }));
}

/** A seeded uniform generator on [0, 1) (mulberry32), so randomised tests and benchmarks repeat exactly. */
export function seededRandom(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** `n` seeded outcomes in R: a win of `winR` with probability `pWin` (which may vary by trade index), else -1R. */
export function randomOutcomes(n: number, pWin: number | ((i: number) => number), winR: number, seed: number): number[] {
  const rnd = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => (rnd() < (typeof pWin === "number" ? pWin : pWin(i)) ? winR : -1));
}
