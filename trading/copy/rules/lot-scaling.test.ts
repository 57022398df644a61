import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dec } from "../../../core/index.ts";
import { EURUSD } from "../../../test/kit/builders.ts";
import { combineSettings } from "./combine-settings.ts";
import { parseCopySettings } from "./copy-settings.ts";
import { sizeCopy, type SizingInput } from "./lot-scaling.ts";

const settings = (raw: object) => combineSettings({}, parseCopySettings(raw), 60);
const input = (over: Partial<SizingInput> = {}): SizingInput => ({
  masterLot: dec("1.00"),
  master: { balance: dec("100000"), equity: dec("90000") },
  slave: { balance: dec("10000"), equity: dec("12000") },
  spec: EURUSD,
  entryPrice: 1.1,
  stopLoss: dec("1.0980"),
  quoteToAccountRate: 1,
  ...over,
});

describe("sizeCopy", () => {
  it("balance ratio (default): the slave risks the same share of its balance as the master", () => {
    expect(sizeCopy(input(), settings({})).lot?.toString()).toBe("0.1");
    expect(sizeCopy(input(), settings({ lotScaling: { mode: "balanceRatio", multiplier: 2.5 } })).lot?.toString()).toBe("0.25");
  });

  it("equity ratio uses equity; multiplier ignores money; fixed lot is fixed", () => {
    expect(sizeCopy(input(), settings({ lotScaling: { mode: "equityRatio" } })).lot?.toString()).toBe("0.13");
    expect(sizeCopy(input(), settings({ lotScaling: { mode: "multiplier", multiplier: 0.3 } })).lot?.toString()).toBe("0.3");
    expect(sizeCopy(input(), settings({ lotScaling: { mode: "fixedLot", lot: "0.07" } })).lot?.toString()).toBe("0.07");
  });

  it("fixed risk sizes to the stop loss and skips trades without one", () => {
    // 1% of 10,000 = 100 USD over a 20-pip stop on EURUSD (10 USD per pip per lot) = 0.5 lots.
    expect(sizeCopy(input(), settings({ lotScaling: { mode: "fixedRisk", riskPercent: 1 } })).lot?.toString()).toBe("0.5");
    expect(sizeCopy(input({ stopLoss: undefined }), settings({ lotScaling: { mode: "fixedRisk", riskPercent: 1 } })).skip?.code).toBe("COPY_NO_STOP_LOSS");
  });

  it("min lot raises, max lot caps, each with a reason", () => {
    const raised = sizeCopy(input({ masterLot: dec("0.01") }), settings({ minLot: "0.05" }));
    expect(raised.lot?.toString()).toBe("0.05");
    expect(raised.lot && raised.adjustments.map((a) => a.code)).toEqual(["COPY_LOT_MIN_RAISED"]);
    const capped = sizeCopy(input({ masterLot: dec("10") }), settings({ maxLot: "0.4" }));
    expect(capped.lot?.toString()).toBe("0.4");
    expect(capped.lot && capped.adjustments[0]?.code).toBe("COPY_LOT_MAX_CAPPED");
  });

  it("max risk per trade and max leverage cap the lot, and beat the min lot", () => {
    const risk = sizeCopy(input({ masterLot: dec("10") }), settings({ maxRiskPerTradePercent: 0.5, minLot: "2" }));
    expect(risk.lot?.toString()).toBe("0.25");
    expect(risk.lot && risk.adjustments.map((a) => a.code)).toEqual(["COPY_LOT_MIN_RAISED", "COPY_LOT_RISK_CAPPED"]);
    // 2× of 12,000 equity = 24,000 notional; one lot is 110,000 → 0.218 → floored to 0.21.
    const lev = sizeCopy(input({ masterLot: dec("10") }), settings({ maxLeverage: 2 }));
    expect(lev.lot?.toString()).toBe("0.21");
    expect(lev.lot && lev.adjustments[0]?.code).toBe("COPY_LOT_LEVERAGE_CAPPED");
  });

  it("skips a lot below the broker's minimum instead of inflating it, and when the master's money is unknown", () => {
    expect(sizeCopy(input({ masterLot: dec("0.01") }), settings({})).skip?.code).toBe("COPY_LOT_BELOW_MINIMUM");
    expect(sizeCopy(input({ master: null }), settings({})).skip?.code).toBe("COPY_MASTER_MONEY_UNKNOWN");
    expect(sizeCopy(input({ master: { balance: dec(0), equity: dec(0) } }), settings({})).skip?.code).toBe("COPY_MASTER_MONEY_UNKNOWN");
  });

  it("property: every copied lot is on the broker's step, within the broker's and the rules' bounds, and within the risk cap", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 50, noNaN: true }),
        fc.double({ min: 100, max: 1e7, noNaN: true }),
        fc.double({ min: 100, max: 1e6, noNaN: true }),
        fc.integer({ min: 1, max: 200 }),
        fc.double({ min: 0.1, max: 5, noNaN: true }),
        (masterLot, masterBalance, slaveBalance, stopPips, riskCap) => {
          const i = input({ masterLot: dec(masterLot.toFixed(2)), master: { balance: dec(masterBalance), equity: dec(masterBalance) }, slave: { balance: dec(slaveBalance), equity: dec(slaveBalance) }, stopLoss: dec((1.1 - stopPips * 0.0001).toFixed(5)) });
          const out = sizeCopy(i, settings({ maxLot: "20", maxRiskPerTradePercent: riskCap }));
          if (out.skip) return;
          expect(out.lot.mod(EURUSD.volumeStep).isZero()).toBe(true);
          expect(out.lot.gte(EURUSD.minVolume) && out.lot.lte(20)).toBe(true);
          const risk = out.lot.mul(stopPips * 0.0001).mul(100_000).toNumber();
          expect(risk).toBeLessThanOrEqual(slaveBalance * (riskCap / 100) * (1 + 1e-9));
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });
});
