import { dec, type Decimal } from "../../core/index.ts";
import type { RiskVerdict, WindowBaseline } from "./risk-rule.ts";
import { RISK_WINDOWS, windowPeriod, type RiskWindow } from "./risk-windows.ts";

/** Balance and equity at an instant, as exact decimal strings (the JSON form). */
export interface ObservedValues {
  at: number;
  balance: string;
  equity: string;
}

/**
 * What the risk monitor keeps per account in `BrokerAccount.riskWindows` (JSON): each window's period start
 * and baseline, the last values seen (the baseline of a window that rolls before the next update), when
 * REDUCING lifts, and which alerts and limit events were already recorded (so repeats add nothing).
 */
export interface RiskMemory {
  version: 1;
  trackingStart: number;
  last: ObservedValues;
  windows: Record<RiskWindow, { start: number; balance: string; equity: string }>;
  reducingUntil: number | null;
  notified: Record<string, { since: number; level: NotifiedLevel }>;
}

export type NotifiedLevel = "ALERT" | "LIMIT";

/** The stored JSON as memory, or null when there is none yet (or it is unreadable: tracking then starts over). */
export function readRiskMemory(json: unknown): RiskMemory | null {
  if (typeof json !== "object" || json === null) return null;
  const m = json as Partial<RiskMemory>;
  if (m.version !== 1 || typeof m.trackingStart !== "number" || !m.last || !m.windows) return null;
  if (RISK_WINDOWS.some((w) => !m.windows![w])) return null;
  return { ...(m as RiskMemory), notified: m.notified ?? {}, reducingUntil: m.reducingUntil ?? null };
}

/** A memory whose every window starts now from `values`: for a new account and after a manual reset. */
export function freshRiskMemory(values: ObservedValues): RiskMemory {
  const windows = {} as RiskMemory["windows"];
  for (const w of RISK_WINDOWS) windows[w] = { start: windowPeriod(w, values.at, values.at).start, balance: values.balance, equity: values.equity };
  return { version: 1, trackingStart: values.at, last: values, windows, reducingUntil: null, notified: {} };
}

/**
 * Rolls every window whose period changed since the last update. The new baseline is the last values seen
 * before the boundary (the best estimate of the account at the boundary, and the conservative one: a loss
 * that arrives with this update counts in the new period). Then records `update` as the last values seen.
 */
export function rollWindows(memory: RiskMemory, update: ObservedValues): { memory: RiskMemory; rolled: RiskWindow[] } {
  const windows = { ...memory.windows };
  const rolled: RiskWindow[] = [];
  for (const w of RISK_WINDOWS) {
    const start = windowPeriod(w, update.at, memory.trackingStart).start;
    if (start === windows[w].start) continue;
    windows[w] = { start, balance: memory.last.balance, equity: memory.last.equity };
    rolled.push(w);
  }
  return { memory: { ...memory, windows, last: update }, rolled };
}

/** The windows' baselines as rules read them, with each period's end. */
export function baselinesOf(memory: RiskMemory, at: number): Record<RiskWindow, WindowBaseline> {
  const out = {} as Record<RiskWindow, WindowBaseline>;
  for (const w of RISK_WINDOWS) {
    const b = memory.windows[w];
    out[w] = { start: b.start, end: windowPeriod(w, at, memory.trackingStart).end, balance: dec(b.balance), equity: dec(b.equity) };
  }
  return out;
}

/**
 * Which verdicts are news: a rule's first alert and first limit breach for each `since` (window period,
 * streak, tracking start). Returns them and the memory that remembers them.
 */
export function newNotifications(memory: RiskMemory, verdicts: readonly RiskVerdict[]): { news: RiskVerdict[]; notified: RiskMemory["notified"] } {
  const notified = { ...memory.notified };
  const news: RiskVerdict[] = [];
  for (const v of verdicts) {
    if (v.action === "NONE") continue;
    const level: NotifiedLevel = v.action === "ALERT" ? "ALERT" : "LIMIT";
    const prior = notified[v.rule];
    if (prior && prior.since === v.since && (prior.level === level || prior.level === "LIMIT")) continue;
    notified[v.rule] = { since: v.since, level };
    news.push(v);
  }
  return { news, notified };
}

/** Observed values from decimals. */
export function observed(at: number, balance: Decimal, equity: Decimal): ObservedValues {
  return { at, balance: balance.toString(), equity: equity.toString() };
}
