import type { Decimal } from "../../core/index.ts";
import type { RiskWindow } from "./risk-windows.ts";

/** What a period limit measures, as a loss (positive = worse) since the window's start. */
export const RISK_MEASURES = ["balance-change", "balance-minus-equity", "equity-change"] as const;
export type RiskMeasure = (typeof RISK_MEASURES)[number];

/** Typed reason a verdict and a `RiskEvent` carry, e.g. `day-balance-minus-equity` or `emergency-stop`; a new rule adds its own. */
export type RiskReason = `${RiskWindow}-${RiskMeasure}` | "daily-loss-limit" | "emergency-stop" | "stop-loss-streak" | "open-loss";

/** What a rule asks for, mildest first; CLOSE_POSITIONS halts the account and flattens it. */
export const VERDICT_ACTIONS = ["NONE", "ALERT", "REDUCE", "HALT", "CLOSE_POSITIONS"] as const;
export type VerdictAction = (typeof VERDICT_ACTIONS)[number];
/** The actions a rule may take once its limit is reached. */
export type LimitAction = Exclude<VerdictAction, "NONE" | "ALERT">;

/** How a verdict's value and limit read: account-currency money, a fraction of a base, or a count. */
export type RiskUnit = "money" | "fraction" | "count";

/** A window's baseline: the balance and equity observed when its current period began. */
export interface WindowBaseline {
  start: number;
  /** When the period ends and the baseline rolls; null for `lifetime`. */
  end: number | null;
  balance: Decimal;
  equity: Decimal;
}

/** Everything a risk rule may look at; money in the account currency. */
export interface AccountRiskSnapshot {
  accountId: string;
  now: number;
  balance: Decimal;
  equity: Decimal;
  /** equity − balance: the open positions' profit or loss. */
  openProfit: Decimal;
  equityHighWaterMark: Decimal;
  /** When tracking began: the account's first update or its last manual reset. */
  trackingStart: number;
  windows: Readonly<Record<RiskWindow, WindowBaseline>>;
  recentTrades: {
    /** Close times (oldest first) of the unbroken run of stop-loss exits up to now, since tracking start. */
    stopLossRun: readonly number[];
  };
}

/** A rule's finding for one snapshot: a value, never an exception, for every business outcome. */
export interface RiskVerdict {
  /** The rule's id (unique per account). */
  rule: string;
  reason: RiskReason;
  measure: string;
  value: Decimal;
  limit: Decimal;
  unit: RiskUnit;
  /** value / limit: 0 when nothing is lost, 1 at the limit, above 1 beyond it. */
  utilisation: number;
  action: VerdictAction;
  /** Start of what is measured (window period, tracking start, first exit of a streak); alerts are recorded once per rule per `since`. */
  since: number;
  /** When a REDUCE lifts by itself (window end, cooldown end); null when only a manual reset lifts it. */
  clearsAt: number | null;
  text: string;
}

/** A risk rule: a pure, deterministic function of the snapshot. */
export interface RiskRule {
  readonly id: string;
  readonly reason: RiskReason;
  readonly description: string;
  /** Utilisation from which the rule alerts before acting (0.8 by default). */
  readonly alertAt: number;
  /** The action the rule takes once utilisation reaches 1. */
  readonly limitAction: LimitAction;
  evaluate(snapshot: AccountRiskSnapshot): RiskVerdict;
}

/** Utilisation at which rules alert unless configured otherwise (users ask for a warning at 80% of a limit). */
export const DEFAULT_ALERT_AT = 0.8;

/** Rank of an action: a higher rank is a stronger response. */
export function actionRank(action: VerdictAction): number {
  return VERDICT_ACTIONS.indexOf(action);
}

/** A value for people: money with two decimals, fractions as percentages, counts as integers. */
export function formatRiskValue(value: Decimal, unit: RiskUnit): string {
  if (unit === "money") return value.toFixed(2);
  if (unit === "fraction") return `${value.mul(100).toFixed(2)}%`;
  return value.toFixed(0);
}
