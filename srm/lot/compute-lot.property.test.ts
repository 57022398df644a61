import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dec, Decimal, floorToStep, type SymbolSpec } from "../../core/index.ts";
import { computeLot, exactLot, quickLot, type LotInput, type LotResult } from "./compute-lot.ts";
import { LOT_ADJUSTMENT_CODES } from "./lot-reasons.ts";
import { DEFAULT_LOT_PARAMS } from "./lot.config.ts";

/** Decimals with up to `places` decimal places between `min` and `max` (exact, like broker values). */
const arbDec = (min: number, max: number, places: number) =>
  fc.integer({ min: Math.round(min * 10 ** places), max: Math.round(max * 10 ** places) }).map((n) => new Decimal(n).div(10 ** places));

const arbSpec: fc.Arbitrary<SymbolSpec> = fc
  .record({
    kind: fc.constantFrom(
      { symbol: "EURUSD", pipSize: 0.0001, contractSize: 100_000, digits: 5 },
      { symbol: "USDJPY", pipSize: 0.01, contractSize: 100_000, digits: 3 },
      { symbol: "XAUUSD", pipSize: 0.01, contractSize: 100, digits: 2 },
    ),
    step: fc.constantFrom("0.01", "0.1", "1"),
    minSteps: fc.integer({ min: 1, max: 10 }),
    maxSteps: fc.integer({ min: 100, max: 100_000 }),
    marginRate: fc.constantFrom(0.002, 0.01, 0.0333, 0.05, 0.2),
  })
  .map((x) => ({
    ...x.kind,
    volumeStep: dec(x.step),
    minVolume: dec(x.step).mul(x.minSteps),
    maxVolume: dec(x.step).mul(x.maxSteps),
    marginRate: x.marginRate,
    quoteCurrency: "USD",
  }));

const arbInput: fc.Arbitrary<LotInput> = fc
  .record({
    spec: arbSpec,
    side: fc.constantFrom("BUY" as const, "SELL" as const),
    entry: arbDec(0.5, 3000, 3),
    slPips: fc.integer({ min: 1, max: 3000 }),
    equity: arbDec(50, 5_000_000, 2),
    freeShare: fc.double({ min: 0, max: 1, noNaN: true }),
    rate: arbDec(0.001, 2, 4),
    sizing: fc.oneof(
      fc.double({ min: 0.05, max: 6, noNaN: true }).map((riskPercent) => ({ mode: "risk_percent" as const, riskPercent })),
      arbDec(0.01, 80, 2).map((lot) => ({ mode: "fixed" as const, lot })),
    ),
    score: fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: undefined }),
    slippage: fc.option(fc.double({ min: -2, max: 200, noNaN: true }), { nil: undefined }),
    limits: fc.option(
      fc.record({ maxPositionMarginPercent: fc.double({ min: 0.5, max: 100, noNaN: true }), maxLeverage: fc.double({ min: 1, max: 100, noNaN: true }), maxRiskPercent: fc.double({ min: 0.1, max: 10, noNaN: true }) }),
      { nil: undefined },
    ),
  })
  .map((x) => {
    const slDistance = dec(x.spec.pipSize).mul(x.slPips);
    const entry = Decimal.max(x.entry, slDistance.mul(2));
    return {
      sizing: x.sizing,
      equity: x.equity,
      freeMargin: x.equity.mul(x.freeShare.toFixed(4)),
      symbol: x.spec,
      side: x.side,
      entryPrice: entry,
      stopLoss: x.side === "BUY" ? entry.sub(slDistance) : entry.add(slDistance),
      quoteToAccountRate: x.rate,
      ...(x.score === undefined ? {} : { providerScore: x.score }),
      ...(x.slippage === undefined ? {} : { predictedSlippageP90Pips: x.slippage }),
      ...(x.limits === undefined ? {} : { limits: x.limits }),
    };
  });

const RUNS = { seed: 20_240_102, numRuns: 400 };

function exposure(input: LotInput, lot: Decimal) {
  const unit = dec(input.quoteToAccountRate).mul(input.symbol.contractSize);
  const notional = lot.mul(dec(input.entryPrice)).mul(unit);
  return {
    notional,
    margin: notional.mul(input.symbol.marginRate),
    risk: lot.mul(dec(input.entryPrice).sub(dec(input.stopLoss)).abs()).mul(unit),
  };
}

const lotOrZero = (r: LotResult) => (r.rejected ? new Decimal(0) : r.lot);

describe("computeLot properties", () => {
  it("never exceeds any limit, and risk at the final lot is within max risk per trade", () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const r = computeLot(input);
        const p = { ...DEFAULT_LOT_PARAMS, ...input.limits };
        const equity = dec(input.equity);
        const e = exposure(input, r.lot);
        expect(e.margin.lte(equity.mul(p.maxPositionMarginPercent).div(100))).toBe(true);
        expect(e.notional.lte(equity.mul(p.maxLeverage))).toBe(true);
        expect(e.risk.lte(equity.mul(p.maxRiskPercent).div(100))).toBe(true);
        expect(e.margin.lte(dec(input.freeMargin))).toBe(true);
        expect(r.lot.lte(input.symbol.maxVolume)).toBe(true);
        expect(r.risk.eq(e.risk)).toBe(true);
      }),
      RUNS,
    );
  });

  it("is always on the volume step, and either at least the min volume or rejected with lot 0", () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const r = computeLot(input);
        expect(r.lot.mod(input.symbol.volumeStep).isZero()).toBe(true);
        if (r.rejected) {
          expect(r.rejected.code).toBe("LOT_BELOW_MIN_VOLUME");
          expect(r.lot.isZero()).toBe(true);
          // Rejected because the constrained lot really was below the minimum: never rounded up.
          const last = r.adjustments.at(-1)?.after ?? r.baseLot;
          expect(last.lt(input.symbol.minVolume)).toBe(true);
        } else {
          expect(r.lot.gte(input.symbol.minVolume)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it("records every change: a chain of adjustments from the base lot to the final lot, in the documented order", () => {
    const order = Object.keys(LOT_ADJUSTMENT_CODES);
    fc.assert(
      fc.property(arbInput, (input) => {
        const r = computeLot(input);
        let at = r.baseLot;
        let lastIndex = -1;
        for (const a of r.adjustments) {
          expect(a.before.eq(at)).toBe(true);
          expect(a.after.eq(a.before)).toBe(false);
          // Only a high provider score may raise the lot; every limit and the step only lower it.
          if (a.code !== "LOT_SCORE_INCREASED") expect(a.after.lt(a.before)).toBe(true);
          expect(a.text).toMatch(/^lot (reduced|increased|rounded down) from /);
          const index = order.indexOf(a.code);
          expect(index).toBeGreaterThan(lastIndex);
          lastIndex = index;
          at = a.after;
        }
        if (!r.rejected) expect(at.eq(r.lot)).toBe(true);
      }),
      RUNS,
    );
  });

  it("is monotone in equity (other inputs fixed)", () => {
    fc.assert(
      fc.property(arbInput, fc.double({ min: 1, max: 20, noNaN: true }), (input, factor) => {
        const richer = { ...input, equity: dec(input.equity).mul(factor.toFixed(3)) };
        expect(lotOrZero(computeLot(input)).lte(lotOrZero(computeLot(richer)))).toBe(true);
      }),
      RUNS,
    );
  });

  it("is monotone in the provider score (other inputs fixed)", () => {
    fc.assert(
      fc.property(arbInput, fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), (input, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const low = computeLot({ ...input, providerScore: lo });
        const high = computeLot({ ...input, providerScore: hi });
        expect(lotOrZero(low).lte(lotOrZero(high))).toBe(true);
      }),
      RUNS,
    );
  });

  it("never sizes above the base lot without a high score to justify it", () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const r = computeLot(input);
        if (r.lot.gt(r.baseLot)) {
          expect(r.adjustments.some((a) => a.code === "LOT_SCORE_INCREASED")).toBe(true);
          expect(input.providerScore!).toBeGreaterThan(DEFAULT_LOT_PARAMS.scoreHighThreshold);
        }
      }),
      RUNS,
    );
  });

  describe("the plain-number screen (quickLot) answers only where the exact computation gives the same", () => {
    const same = (quick: LotResult, exact: LotResult) => {
      expect(quick.lot.eq(exact.lot) && quick.baseLot.eq(exact.baseLot)).toBe(true);
      expect(quick.adjustments).toEqual(exact.adjustments);
      expect(quick.rejected).toEqual(exact.rejected);
      expect(quick.risk.eq(exact.risk) && quick.margin.eq(exact.margin)).toBe(true);
    };
    /** The screen, where it answers, and `computeLot` both give what the exact computation gives. */
    const agrees = (probe: LotInput) => {
      const exact = exactLot(probe, DEFAULT_LOT_PARAMS);
      const quick = quickLot(probe, DEFAULT_LOT_PARAMS);
      if (quick) same(quick, exact);
      same(computeLot(probe), exact);
      return quick !== null;
    };
    const fixedInput = arbInput.map((input) => ({ ...input, sizing: { mode: "fixed" as const, lot: arbLot(input) } }));
    function arbLot(input: LotInput): Decimal {
      return input.sizing.mode === "fixed" ? dec(input.sizing.lot) : input.symbol.minVolume.mul(3);
    }

    // Copy-like trades: a fixed lot somewhere below what the limits allow, a provider score between the
    // thresholds and modest slippage (where the screen should answer), mixed with the random inputs above.
    const quietInput = fc
      .tuple(fixedInput, fc.double({ min: 0.01, max: 0.98, noNaN: true }), fc.double({ min: DEFAULT_LOT_PARAMS.scoreLowThreshold, max: DEFAULT_LOT_PARAMS.scoreHighThreshold, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }))
      .map(([random, share, score, u]) => {
        const input = { ...random, freeMargin: random.equity };
        const slPips = dec(input.entryPrice).sub(dec(input.stopLoss)).abs().toNumber() / input.symbol.pipSize;
        const slip = u * 0.9 * DEFAULT_LOT_PARAMS.slippageRatioThreshold * slPips;
        const capped = exactLot({ ...input, providerScore: score, predictedSlippageP90Pips: slip, sizing: { mode: "fixed", lot: input.symbol.maxVolume.mul(10) } }, DEFAULT_LOT_PARAMS);
        if (capped.rejected) return null;
        const onStep = Decimal.max(floorToStep(capped.lot.mul(share.toFixed(4)), input.symbol.volumeStep), input.symbol.minVolume);
        // One in four a little off the step (the broker's would be floored).
        const lot = share < 0.25 ? onStep.add(input.symbol.volumeStep.div(4)) : onStep;
        return { ...input, providerScore: score, predictedSlippageP90Pips: slip, sizing: { mode: "fixed" as const, lot } };
      })
      .filter((input) => input !== null);

    it("on random and copy-like inputs, and answers for most copy-like ones", () => {
      let answered = 0;
      fc.assert(
        fc.property(fc.oneof(fixedInput, quietInput), (input) => {
          if (agrees(input)) answered++;
        }),
        { ...RUNS, numRuns: 2000 },
      );
      expect(answered).toBeGreaterThan(250);
    });

    it("at the bounds: a lot exactly at a limit's last step, one step above it, and at the symbol's volumes", () => {
      fc.assert(
        fc.property(fixedInput, fc.integer({ min: -1, max: 1 }), (input, offset) => {
          const p = DEFAULT_LOT_PARAMS;
          // The largest lot the limits allow, from the exact computation of a lot far above them.
          const capped = exactLot({ ...input, sizing: { mode: "fixed", lot: input.symbol.maxVolume.mul(10) } }, p);
          const step = input.symbol.volumeStep;
          for (const at of [capped.adjustments.at(-1)?.after ?? capped.lot, input.symbol.maxVolume, input.symbol.minVolume]) {
            const lot = at.add(step.mul(offset));
            if (!lot.gt(0)) continue;
            agrees({ ...input, sizing: { mode: "fixed" as const, lot } });
          }
        }),
        { ...RUNS, numRuns: 1000 },
      );
    });

    it("where a limit falls exactly on the lot, or a hair either side of it", () => {
      fc.assert(
        fc.property(quietInput, fc.constantFrom("position", "leverage", "risk", "free"), fc.constantFrom("-1e-12", "-1e-17", "0", "1e-17", "1e-12"), (input, limit, nudge) => {
          const p = DEFAULT_LOT_PARAMS;
          const lot = dec(input.sizing.mode === "fixed" ? input.sizing.lot : 0);
          const unit = dec(input.quoteToAccountRate).mul(input.symbol.contractSize);
          const notional = dec(input.entryPrice).mul(unit);
          const perLot = {
            position: notional.mul(input.symbol.marginRate).mul(100).div(p.maxPositionMarginPercent),
            leverage: notional.div(p.maxLeverage),
            risk: dec(input.entryPrice).sub(dec(input.stopLoss)).abs().mul(unit).mul(100).div(p.maxRiskPercent),
            free: notional.mul(input.symbol.marginRate),
          }[limit];
          // The money at which this limit allows exactly `lot`, nudged; the other limits kept far away.
          const money = lot.mul(perLot).mul(dec(1).add(nudge));
          agrees(limit === "free" ? { ...input, freeMargin: money, equity: money.mul(1e6) } : { ...input, equity: money, freeMargin: money.mul(1e6) });
        }),
        { ...RUNS, numRuns: 1000 },
      );
    });

    it("leaves invalid input to the exact computation, which names the field", () => {
      const input = fc.sample(fixedInput, { seed: 7, numRuns: 1 })[0]!;
      for (const bad of [{ entryPrice: 0 }, { quoteToAccountRate: -1 }, { providerScore: 101 }, { predictedSlippageP90Pips: Number.NaN }, { sizing: { mode: "fixed" as const, lot: "0" } }]) {
        const probe = { ...input, ...bad };
        expect(quickLot(probe, DEFAULT_LOT_PARAMS)).toBeNull();
        expect(() => computeLot(probe)).toThrow(/must be/);
      }
    });
  });
});
