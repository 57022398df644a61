import { describe, expect, it } from "vitest";
import { RiskloopError } from "../../core/index.ts";
import { seededRandom, type SeededRandom } from "../../models/index.ts";
import type { ColumnKind, ColumnValues, DriftDetector } from "../../srm/drift/index.ts";
import type { FeatureInput } from "../../srm/index.ts";

/** Spread-like values: log-normal around `median` pips (real EURUSD spreads: median ≈ 1.1, p95 ≈ 2.3). */
export function lognormalSample(rng: SeededRandom, n: number, median = 1.1, sigma = 0.45): number[] {
  return Array.from({ length: n }, () => median * Math.exp(sigma * rng.normal()));
}

/** Labels drawn with the given weights (e.g. the trading-session mix of a copy-trading book). */
export function categoricalSample(rng: SeededRandom, n: number, weights: Readonly<Record<string, number>>): string[] {
  const entries = Object.entries(weights);
  const total = entries.reduce((a, [, w]) => a + w, 0);
  return Array.from({ length: n }, () => {
    let u = rng.next() * total;
    for (const [label, w] of entries) {
      u -= w;
      if (u < 0) return label;
    }
    return entries[entries.length - 1]![0];
  });
}

/** Session mix of a Europe-centred book, and the same book after it moved to Asian hours. */
export const SESSION_MIX = { SYDNEY: 4, TOKYO: 8, LONDON: 30, OVERLAP_LONDON_NY: 26, NEW_YORK: 20, OFF_HOURS: 10, CLOSED: 2 } as const;
export const SHIFTED_SESSION_MIX = { SYDNEY: 12, TOKYO: 24, LONDON: 22, OVERLAP_LONDON_NY: 16, NEW_YORK: 14, OFF_HOURS: 10, CLOSED: 2 } as const;

/**
 * Decision features shaped like a copy-trading book's (spreads, ATR, signal delays and lots log-normal around
 * realistic medians, a Europe-centred session mix, some providers unscored). `shifted` moves 8 of the 14 drift
 * columns the way a new broker and an Asian-hours provider would: symbols, sessions, ATR, volatility, spreads,
 * signal delays, lot sizes and provider scores.
 */
export function featureInputs(rng: SeededRandom, n: number, shifted = false): FeatureInput[] {
  const symbols = shifted ? { XAUUSD: 45, EURUSD: 30, GBPUSD: 15, USDJPY: 10 } : { EURUSD: 55, XAUUSD: 20, GBPUSD: 15, USDJPY: 10 };
  const sym = categoricalSample(rng, n, symbols);
  const session = categoricalSample(rng, n, shifted ? SHIFTED_SESSION_MIX : SESSION_MIX);
  const logN = (median: number, sigma: number) => median * Math.exp(sigma * rng.normal());
  return Array.from({ length: n }, (_, i) => ({
    symbol: sym[i]!,
    side: rng.next() < 0.5 ? "BUY" : "SELL",
    fillKind: "MARKET",
    session: session[i]!,
    dayOfWeek: 1 + Math.floor(rng.next() * 5),
    minuteOfDay: Math.floor(rng.next() * 1440),
    atrPips: logN(shifted ? 14 : 8, 0.4),
    volatilityIndex: shifted ? Math.sqrt(rng.next()) : rng.next(),
    spreadPips: logN(shifted ? 1.76 : 1.1, 0.45),
    slDistancePips: rng.next() < 0.1 ? null : logN(20, 0.6),
    signalAgeMs: logN(shifted ? 900 : 300, 0.7),
    volumeLots: Math.max(0.01, Math.round(logN(shifted ? 0.5 : 0.2, 0.8) * 100) / 100),
    providerScore: rng.next() < 0.3 ? null : Math.min(100, Math.max(0, (shifted ? 45 : 60) + 12 * rng.normal())),
    providerTradeCount: Math.round(logN(150, 0.9)),
    accountDrawdown: Math.abs(0.03 * rng.normal()),
  }));
}

interface Generator {
  same(rng: SeededRandom, n: number): ColumnValues;
  shifted(rng: SeededRandom, n: number): ColumnValues;
  tied(rng: SeededRandom, n: number): ColumnValues;
  constant(value: 0 | 1, n: number): ColumnValues;
}

const GENERATORS: Record<ColumnKind, Generator> = {
  numeric: {
    same: (rng, n) => lognormalSample(rng, n),
    // Spreads 60% wider: the kind of change a broker or session change brings.
    shifted: (rng, n) => lognormalSample(rng, n, 1.76),
    // Quoted in whole tenths of a pip, as many brokers do: most values repeat.
    tied: (rng, n) => lognormalSample(rng, n).map((v) => Math.round(v * 10) / 10),
    constant: (value, n) => Array.from({ length: n }, () => 1 + value),
  },
  categorical: {
    same: (rng, n) => categoricalSample(rng, n, SESSION_MIX),
    shifted: (rng, n) => categoricalSample(rng, n, SHIFTED_SESSION_MIX),
    tied: (rng, n) => categoricalSample(rng, n, { BUY: 1, SELL: 1 }),
    constant: (value, n) => Array.from({ length: n }, () => (value === 0 ? "LONDON" : "TOKYO")),
  },
};

/** Upper bound of a false-positive rate: the level plus three binomial standard deviations over `trials`. */
function falsePositiveBound(level: number, trials: number): number {
  return level + 3 * Math.sqrt((level * (1 - level)) / trials);
}

function expectInvalid(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(RiskloopError);
    expect((err as RiskloopError).code).toBe("CORE_ERR_INVALID");
    return;
  }
  throw new Error("expected CORE_ERR_INVALID");
}

/**
 * The suite every drift detector passes, run with one line from its test file. Per kind it accepts, it uses a
 * sample size the defaults would route to it (500, else 2000) and checks: two samples of one distribution drift
 * no more often than the test's level (hypothesis tests) or 5% (distances); a realistic shift is found;
 * symmetry when declared; ties and constant columns give finite, sensible verdicts; bad input is CORE_ERR_INVALID.
 */
export function runDriftDetectorConformance(detector: DriftDetector): void {
  describe(`drift detector conformance: ${detector.id}`, () => {
    it("declares an id and at least one kind", () => {
      expect(detector.id).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(detector.kinds.length).toBeGreaterThan(0);
    });

    for (const kind of detector.kinds) {
      const gen = GENERATORS[kind];
      const n = detector.appliesTo(kind, 500) ? 500 : 2000;
      const trials = n === 500 ? 200 : 60;

      describe(`${kind} columns (n = ${n})`, () => {
        it("stays quiet on two samples of the same distribution (expected false-positive rate)", () => {
          const rng = seededRandom(11);
          let drifted = 0;
          let level = 0.05;
          for (let t = 0; t < trials; t++) {
            const r = detector.test(gen.same(rng, n), gen.same(rng, n));
            expect(Number.isFinite(r.statistic)).toBe(true);
            if (r.pValue !== undefined) {
              expect(r.pValue).toBeGreaterThanOrEqual(0);
              expect(r.pValue).toBeLessThanOrEqual(1);
              level = r.threshold;
            }
            if (r.drifted) drifted++;
          }
          expect(drifted / trials).toBeLessThanOrEqual(falsePositiveBound(level, trials));
        });

        it("detects a shifted distribution", () => {
          const rng = seededRandom(12);
          let found = 0;
          for (let t = 0; t < 20; t++) if (detector.test(gen.same(rng, n), gen.shifted(rng, n)).drifted) found++;
          expect(found).toBeGreaterThanOrEqual(19);
        });

        it.skipIf(!detector.symmetric)("is symmetric in reference and current", () => {
          const rng = seededRandom(13);
          const a = gen.same(rng, n);
          const b = gen.shifted(rng, Math.round(n * 0.7));
          const ab = detector.test(a, b);
          const ba = detector.test(b, a);
          expect(ba.statistic).toBeCloseTo(ab.statistic, 10);
          expect(ba.drifted).toBe(ab.drifted);
          if (ab.pValue !== undefined) expect(ba.pValue).toBeCloseTo(ab.pValue, 10);
        });

        it("handles heavily tied samples", () => {
          const rng = seededRandom(14);
          let drifted = 0;
          for (let t = 0; t < 40; t++) {
            const r = detector.test(gen.tied(rng, n), gen.tied(rng, n));
            expect(Number.isFinite(r.statistic)).toBe(true);
            if (r.drifted) drifted++;
          }
          expect(drifted / 40).toBeLessThanOrEqual(falsePositiveBound(0.05, 40));
          const same = gen.tied(rng, n);
          expect(detector.test(same, same)).toMatchObject({ drifted: false });
          expect(detector.test(same, same).statistic).toBeCloseTo(0, 10);
        });

        it("handles constant columns", () => {
          const equal = detector.test(gen.constant(0, n), gen.constant(0, n));
          expect(equal.drifted).toBe(false);
          expect(equal.statistic).toBeCloseTo(0, 10);
          const moved = detector.test(gen.constant(0, n), gen.constant(1, n));
          expect(Number.isNaN(moved.statistic)).toBe(false);
          expect(moved.drifted).toBe(true);
        });
      });
    }

    it("rejects empty samples and values of the wrong kind", () => {
      const kind = detector.kinds[0]!;
      const sample = GENERATORS[kind].same(seededRandom(15), 50);
      expectInvalid(() => detector.test([], sample));
      expectInvalid(() => detector.test(sample, []));
      if (!detector.kinds.includes("categorical")) expectInvalid(() => detector.test(["LONDON", "TOKYO"], sample));
      if (kind === "numeric") expectInvalid(() => detector.test([1, Number.NaN], sample));
    });
  });
}
