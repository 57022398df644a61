import { describe, expect, it } from "vitest";
import { Decimal, dec, type DecimalInput } from "../../core/index.ts";
import {
  RISK_WINDOWS,
  actionRank,
  formatRiskValue,
  windowPeriod,
  type AccountRiskSnapshot,
  type RiskRule,
  type RiskVerdict,
  type RiskWindow,
  type WindowBaseline,
} from "../../srm/risk/index.ts";

/** Tuesday 12 March 2024, 14:30 UTC (10:30 New York, EDT). */
export const RISK_T0 = Date.UTC(2024, 2, 12, 14, 30);

export interface SnapshotSpec {
  balance?: DecimalInput;
  equity?: DecimalInput;
  highWaterMark?: DecimalInput;
  /** Balance and equity every window started from (default 10 000 / 10 000). */
  baseline?: { balance: DecimalInput; equity: DecimalInput };
  windows?: Partial<Record<RiskWindow, WindowBaseline>>;
  stopLossRun?: number[];
  now?: number;
  trackingStart?: number;
}

/** A snapshot of a 10 000 account at RISK_T0, every window starting from 10 000, tracked for 40 days. */
export function aRiskSnapshot(spec: SnapshotSpec = {}): AccountRiskSnapshot {
  const now = spec.now ?? RISK_T0;
  const trackingStart = spec.trackingStart ?? now - 40 * 86_400_000;
  const balance = dec(spec.balance ?? 10_000);
  const equity = dec(spec.equity ?? balance);
  const base = spec.baseline ?? { balance: 10_000, equity: 10_000 };
  const windows = {} as Record<RiskWindow, WindowBaseline>;
  for (const w of RISK_WINDOWS) {
    windows[w] = spec.windows?.[w] ?? { ...windowPeriod(w, now, trackingStart), balance: dec(base.balance), equity: dec(base.equity) };
  }
  const hwm = dec(spec.highWaterMark ?? (equity.gt(base.equity) ? equity : base.equity));
  return { accountId: "acc-1", now, balance, equity, openProfit: equity.sub(balance), equityHighWaterMark: hwm, trackingStart, windows, recentTrades: { stopLossRun: spec.stopLossRun ?? [] } };
}

export interface RiskRuleScenarios {
  /** Series of snapshots, each at least as bad as the one before; each must pass the alert band and reach the limit. */
  worsening: AccountRiskSnapshot[][];
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === "object" && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const child of Object.values(v)) deepFreeze(child);
  }
  return v;
}

/** The same snapshot with every money amount replaced, for the edge cases a rule must survive. */
function withMoney(s: AccountRiskSnapshot, balance: number, equity: number, base: number): AccountRiskSnapshot {
  const windows = {} as Record<RiskWindow, WindowBaseline>;
  for (const w of RISK_WINDOWS) windows[w] = { ...s.windows[w], balance: dec(base), equity: dec(base) };
  return { ...s, balance: dec(balance), equity: dec(equity), openProfit: dec(equity - balance), equityHighWaterMark: dec(Math.max(base, 0)), windows };
}

/** The suite every risk rule passes; call it once from the rule's test file. */
export function runRiskRuleConformance(rule: RiskRule, scenarios: RiskRuleScenarios): void {
  describe(`risk rule conformance: ${rule.id}`, () => {
    const all = scenarios.worsening.flat();
    const verdictsOf = (series: AccountRiskSnapshot[]) => series.map((s) => rule.evaluate(s));

    it("declares a kebab-case id and reason, an alert threshold below the limit and a limit action", () => {
      expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(rule.reason).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(rule.alertAt).toBeGreaterThan(0);
      expect(rule.alertAt).toBeLessThan(1);
      expect(["REDUCE", "HALT", "CLOSE_POSITIONS"]).toContain(rule.limitAction);
      expect(rule.description.length).toBeGreaterThan(10);
      expect(all.length).toBeGreaterThanOrEqual(3);
    });

    it("is deterministic and never modifies the snapshot", () => {
      for (const s of all) {
        const frozen = deepFreeze(aCopy(s));
        const a = rule.evaluate(frozen);
        const b = rule.evaluate(frozen);
        expect(b).toEqual(a);
        expect(rule.evaluate(aCopy(s))).toEqual(a);
        expect(a.rule).toBe(rule.id);
        expect(a.reason).toBe(rule.reason);
      }
    });

    it("grades by utilisation: nothing below the alert threshold, an alert from it, the limit action from 100%", () => {
      for (const v of all.map((s) => rule.evaluate(s))) {
        expect(Number.isFinite(v.utilisation) && v.utilisation >= 0).toBe(true);
        const expected = v.utilisation >= 1 ? rule.limitAction : v.utilisation >= rule.alertAt ? "ALERT" : "NONE";
        expect(v.action, v.text).toBe(expected);
      }
    });

    it("never answers worse numbers with a milder action or a lower utilisation", () => {
      for (const series of scenarios.worsening) {
        const vs = verdictsOf(series);
        for (let i = 1; i < vs.length; i++) {
          expect(vs[i]!.utilisation, vs[i]!.text).toBeGreaterThanOrEqual(vs[i - 1]!.utilisation);
          expect(actionRank(vs[i]!.action), vs[i]!.text).toBeGreaterThanOrEqual(actionRank(vs[i - 1]!.action));
        }
      }
    });

    it("alerts (at or above the alert threshold) before it takes its limit action", () => {
      for (const series of scenarios.worsening) {
        const actions = verdictsOf(series).map((v) => v.action);
        const firstLimit = actions.indexOf(rule.limitAction);
        expect(firstLimit, `series never reaches ${rule.limitAction}: ${actions.join(", ")}`).toBeGreaterThan(0);
        expect(actions.slice(0, firstLimit)).toContain("ALERT");
        expect(actions[0]).toBe("NONE");
      }
    });

    it("names the rule, the measured value and the limit in its text", () => {
      for (const v of all.map((s) => rule.evaluate(s))) {
        expect(v.text).toContain(rule.id);
        expect(v.text).toContain(formatRiskValue(v.value, v.unit));
        expect(v.text).toContain(formatRiskValue(v.limit, v.unit));
        expect(v.limit.gt(0)).toBe(true);
      }
    });

    it("returns a verdict rather than throwing on a blown, empty or negative account", () => {
      const s = all[0]!;
      const edges = [withMoney(s, 0, 0, 0), withMoney(s, 100, -50, 100), withMoney(s, -10, -20, -5), withMoney(s, 0, 0, 10_000)];
      for (const e of edges) {
        let v: RiskVerdict | undefined;
        expect(() => (v = rule.evaluate(e))).not.toThrow();
        expect(Number.isFinite(v!.utilisation)).toBe(true);
      }
    });
  });
}

/** A deep copy with fresh Decimal instances (dec() would hand back the same ones). */
function aCopy(s: AccountRiskSnapshot): AccountRiskSnapshot {
  const d = (v: Decimal) => new Decimal(v);
  const windows = {} as Record<RiskWindow, WindowBaseline>;
  for (const w of RISK_WINDOWS) windows[w] = { ...s.windows[w], balance: d(s.windows[w].balance), equity: d(s.windows[w].equity) };
  return {
    ...s,
    balance: d(s.balance),
    equity: d(s.equity),
    openProfit: d(s.openProfit),
    equityHighWaterMark: d(s.equityHighWaterMark),
    windows,
    recentTrades: { stopLossRun: [...s.recentTrades.stopLossRun] },
  };
}
