import { describe, expect, it } from "vitest";
import { RISK_T0, aRiskSnapshot } from "../../../test/conformance/risk-rule.ts";
import { dailyLossRule } from "./daily-loss.rule.ts";
import { emergencyStopRule } from "./emergency-stop.rule.ts";
import { stopLossStreakRule } from "./stop-loss-streak.rule.ts";

const MIN = 60_000;
const HOUR = 60 * MIN;

describe("dailyLossRule", () => {
  const rule = dailyLossRule();

  it("counts open losses against the day-start balance: 2% of 10 000 is 200", () => {
    const at = (balance: number, equity: number) => rule.evaluate(aRiskSnapshot({ balance, equity }));
    expect(at(10_000, 9_850).action).toBe("NONE");
    expect([at(10_000, 9_840).action, at(10_000, 9_840).utilisation]).toEqual(["ALERT", 0.8]);
    const hit = at(10_050, 9_800);
    expect([hit.action, hit.reason, hit.value.toString(), hit.limit.toString()]).toEqual(["REDUCE", "daily-loss-limit", "0.02", "0.02"]);
    expect(hit.text).toContain("daily-loss-limit");
    expect(hit.text).toContain("2.00% against a limit of 2.00%");
  });

  it("holds until the next trading day at 17:00 New York", () => {
    const v = rule.evaluate(aRiskSnapshot({ equity: 9_700 }));
    // RISK_T0 is Tuesday 12 March 2024 10:30 EDT: the day ends at 17:00 EDT, 21:00 UTC.
    expect(new Date(v.clearsAt!).toISOString()).toBe("2024-03-12T21:00:00.000Z");
  });

  it("takes another share when configured", () => {
    expect(dailyLossRule({ relative: 0.05 }).evaluate(aRiskSnapshot({ equity: 9_700 })).action).toBe("NONE");
  });
});

describe("emergencyStopRule", () => {
  const rule = emergencyStopRule();

  it("halts and closes positions at a 20% equity drawdown from the high-water mark, open losses included", () => {
    const at = (equity: number) => rule.evaluate(aRiskSnapshot({ balance: 12_000, equity, highWaterMark: 12_000 }));
    expect(at(10_081).action).toBe("NONE");
    expect([at(10_080).action, at(10_080).value.toString()]).toEqual(["ALERT", "0.16"]);
    const stop = at(9_480);
    expect([stop.action, stop.value.toString(), stop.clearsAt]).toEqual(["CLOSE_POSITIONS", "0.21", null]);
    expect(stop.text).toContain("emergency-stop");
    expect(stop.text).toContain("21.00% against a limit of 20.00%");
    expect(stop.text).toContain("12000.00");
  });

  it("measures nothing while there is no high-water mark yet", () => {
    expect(rule.evaluate(aRiskSnapshot({ balance: 0, equity: 0, highWaterMark: 0 })).utilisation).toBe(0);
  });
});

describe("stopLossStreakRule", () => {
  const rule = stopLossStreakRule({ count: 3, cooldownMs: 4 * HOUR });
  const run = (...minutesAgo: number[]) => minutesAgo.map((m) => RISK_T0 - m * MIN);

  it("reduces for the cooldown after the third stop loss in a row", () => {
    expect(rule.evaluate(aRiskSnapshot({ stopLossRun: run(30, 20) })).action).toBe("NONE");
    const v = rule.evaluate(aRiskSnapshot({ stopLossRun: run(30, 20, 10) }));
    expect([v.action, v.value.toString(), v.limit.toString()]).toEqual(["REDUCE", "3", "3"]);
    expect(v.clearsAt).toBe(RISK_T0 - 10 * MIN + 4 * HOUR);
    expect(v.since).toBe(RISK_T0 - 30 * MIN);
    expect(v.text).toContain("3 against a limit of 3");
  });

  it("alerts at 80% when the count allows it (4 of 5)", () => {
    const five = stopLossStreakRule({ count: 5 });
    expect(five.evaluate(aRiskSnapshot({ stopLossRun: run(40, 30, 20, 10) })).action).toBe("ALERT");
  });

  it("lifts after the cooldown and counts a new streak from zero", () => {
    const served = rule.evaluate(aRiskSnapshot({ stopLossRun: run(300, 290, 280) }));
    expect([served.action, served.utilisation]).toEqual(["NONE", 0]);
    // One more stop loss after the cooldown starts a new streak of one, not a fourth in a row.
    const fresh = rule.evaluate(aRiskSnapshot({ stopLossRun: run(300, 290, 280, 5) }));
    expect([fresh.action, fresh.value.toString(), fresh.since]).toEqual(["NONE", "1", RISK_T0 - 5 * MIN]);
  });

  it("extends the cooldown for each stop loss inside it", () => {
    const v = rule.evaluate(aRiskSnapshot({ stopLossRun: run(300, 290, 280, 100) }));
    expect([v.action, v.value.toString(), v.clearsAt]).toEqual(["REDUCE", "4", RISK_T0 - 100 * MIN + 4 * HOUR]);
  });

  it("ignores exits reported after now", () => {
    expect(rule.evaluate(aRiskSnapshot({ stopLossRun: [...run(30, 20), RISK_T0 + MIN] })).action).toBe("NONE");
  });
});
