import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dec, RiskloopError } from "../../../core/index.ts";
import { RISK_T0, aRiskSnapshot } from "../../../test/conformance/risk-rule.ts";
import { actionRank, type RiskMeasure } from "../risk-rule.ts";
import { windowPeriod } from "../risk-windows.ts";
import { periodLimitRule } from "./period-limit.rule.ts";

// Every window started from balance 10 000 with 200 of open profit (equity 10 200); now balance 9 900 (a
// closed loss of 100) and equity 9 700 (200 of open losses on top).
const snapshot = aRiskSnapshot({ baseline: { balance: 10_000, equity: 10_200 }, balance: 9_900, equity: 9_700 });
const week = (measure: RiskMeasure, limit: { absolute?: number; relative?: number }, extra = {}) =>
  periodLimitRule({ window: "week-to-date", measure, limit, ...extra }).evaluate(snapshot);

describe("periodLimitRule", () => {
  it("measures balance change, balance minus equity and equity change exactly, in money", () => {
    expect(week("balance-change", { absolute: 1000 }).value.toString()).toBe("100");
    expect(week("balance-minus-equity", { absolute: 1000 }).value.toString()).toBe("300");
    expect(week("equity-change", { absolute: 1000 }).value.toString()).toBe("500");
  });

  it("measures relative losses against the window's starting balance (balance measures) or equity (equity change)", () => {
    expect(week("balance-change", { relative: 0.1 }).value.toString()).toBe("0.01");
    expect(week("balance-minus-equity", { relative: 0.1 }).value.toString()).toBe("0.03");
    expect(week("equity-change", { relative: 0.1 }).value.toFixed(6)).toBe("0.049020");
  });

  it("alerts from exactly 80% of the limit and acts from exactly 100%", () => {
    expect(week("balance-minus-equity", { absolute: 376 }).action).toBe("NONE");
    const alert = week("balance-minus-equity", { absolute: 375 });
    expect(alert.utilisation).toBe(0.8);
    expect(alert.action).toBe("ALERT");
    expect(week("balance-minus-equity", { absolute: 300.01 }).action).toBe("ALERT");
    const halt = week("balance-minus-equity", { absolute: 300 });
    expect([halt.utilisation, halt.action]).toEqual([1, "HALT"]);
    expect(week("equity-change", { relative: 0.04 }).action).toBe("HALT");
  });

  it("reports the tighter of an absolute and a relative limit", () => {
    const v = week("equity-change", { absolute: 1000, relative: 0.05 });
    expect(v.unit).toBe("fraction");
    expect(v.limit.toString()).toBe("0.05");
    expect(v.utilisation).toBeCloseTo(0.98039, 5);
    const money = week("equity-change", { absolute: 520, relative: 0.2 });
    expect([money.unit, money.limit.toString(), money.action]).toEqual(["money", "520", "ALERT"]);
  });

  it("says which rule fired and with which numbers", () => {
    const v = week("balance-minus-equity", { absolute: 250 });
    expect(v.reason).toBe("week-to-date-balance-minus-equity");
    expect(v.text).toBe(
      "week-to-date-balance-minus-equity: week-to-date-start balance minus equity is 300.00 against a limit of 250.00 (120% of the limit) → halted: no new trades until a manual reset",
    );
    expect(week("equity-change", { relative: 0.04 }).text).toContain("4.90% against a limit of 4.00%");
  });

  it("REDUCEs until the window rolls, and closing positions halts the account", () => {
    const reduce = week("balance-change", { absolute: 50 }, { action: "REDUCE" });
    expect(reduce.action).toBe("REDUCE");
    expect(reduce.clearsAt).toBe(windowPeriod("week-to-date", RISK_T0, snapshot.trackingStart).end);
    expect(reduce.since).toBe(snapshot.windows["week-to-date"].start);
    const close = week("balance-change", { absolute: 50 }, { action: "REDUCE", closePositions: true });
    expect([close.action, close.clearsAt]).toEqual(["CLOSE_POSITIONS", null]);
    const lifetime = periodLimitRule({ window: "lifetime", measure: "balance-change", limit: { absolute: 50 }, action: "REDUCE" }).evaluate(snapshot);
    expect([lifetime.action, lifetime.clearsAt]).toEqual(["REDUCE", null]);
  });

  it("reads its own window's baseline", () => {
    const s = aRiskSnapshot({ equity: 9_000, windows: { day: { start: 1, end: 2, balance: dec(9_100), equity: dec(9_100) } } });
    const day = periodLimitRule({ window: "day", measure: "equity-change", limit: { absolute: 1000 } }).evaluate(s);
    const year = periodLimitRule({ window: "year", measure: "equity-change", limit: { absolute: 1000 } }).evaluate(s);
    expect([day.value.toString(), year.value.toString()]).toEqual(["100", "1000"]);
  });

  it("counts gains as zero utilisation", () => {
    const v = periodLimitRule({ window: "day", measure: "equity-change", limit: { absolute: 100 } }).evaluate(aRiskSnapshot({ equity: 10_500 }));
    expect([v.value.toString(), v.utilisation, v.action]).toEqual(["-500", 0, "NONE"]);
  });

  it("rejects limits that cannot work, naming the field", () => {
    const field = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        expect(err).toBeInstanceOf(RiskloopError);
        return (err as RiskloopError).details?.field;
      }
      return "no error";
    };
    expect(field(() => periodLimitRule({ window: "day", measure: "equity-change", limit: {} }))).toBe("limit");
    expect(field(() => periodLimitRule({ window: "day", measure: "equity-change", limit: { relative: 1.5 } }))).toBe("limit.relative");
    expect(field(() => periodLimitRule({ window: "day", measure: "equity-change", limit: { absolute: -5 } }))).toBe("limit.absolute");
    expect(field(() => periodLimitRule({ window: "fortnight" as "day", measure: "equity-change", limit: { absolute: 5 } }))).toBe("window");
    expect(field(() => periodLimitRule({ window: "day", measure: "equity-change", limit: { absolute: 5 }, alertAt: 1 }))).toBe("alertAt");
  });

  it("never lowers utilisation or softens the action as the loss grows (property)", () => {
    const measures: RiskMeasure[] = ["balance-change", "balance-minus-equity", "equity-change"];
    fc.assert(
      fc.property(
        fc.constantFrom(...measures),
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 5_000 }),
        fc.integer({ min: -2_000, max: 20_000 }),
        fc.integer({ min: 0, max: 20_000 }),
        (measure, startCents, limit, loss, extra) => {
          const base = startCents;
          const rule = periodLimitRule({ window: "month-to-date", measure, limit: { absolute: limit, relative: 0.1 } });
          const at = (l: number) =>
            rule.evaluate(
              measure === "balance-change"
                ? aRiskSnapshot({ baseline: { balance: base, equity: base }, balance: base - l, equity: base - l })
                : aRiskSnapshot({ baseline: { balance: base, equity: base }, balance: base, equity: base - l }),
            );
          const a = at(loss);
          const b = at(loss + extra);
          return b.utilisation >= a.utilisation && actionRank(b.action) >= actionRank(a.action);
        },
      ),
      { seed: 20240312, numRuns: 300 },
    );
  });
});
