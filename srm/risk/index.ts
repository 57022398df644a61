export { riskConfig, DEFAULT_RISK_SETTINGS, type RiskSettings } from "./risk.config.ts";
export {
  DEFAULT_ALERT_AT,
  RISK_MEASURES,
  VERDICT_ACTIONS,
  actionRank,
  formatRiskValue,
  type AccountRiskSnapshot,
  type LimitAction,
  type RiskMeasure,
  type RiskReason,
  type RiskRule,
  type RiskUnit,
  type RiskVerdict,
  type VerdictAction,
  type WindowBaseline,
} from "./risk-rule.ts";
export { gradeFinding, utilisationOf, type Finding, type Measurement } from "./risk-verdict.ts";
export { RISK_WINDOWS, windowPeriod, type RiskWindow, type WindowPeriod } from "./risk-windows.ts";
export { nextTradingDayStart, nextTradingWeekStart, tradingDayStart, tradingWeekStart } from "./new-york-time.ts";
export { periodLimitRule, type PeriodLimit, type PeriodLimitOptions } from "./rules/period-limit.rule.ts";
export { dailyLossRule, type DailyLossOptions } from "./rules/daily-loss.rule.ts";
export { emergencyStopRule, type EmergencyStopOptions } from "./rules/emergency-stop.rule.ts";
export { stopLossStreakRule, type StopLossStreakOptions } from "./rules/stop-loss-streak.rule.ts";
export { parseRiskLimits, riskRulesFor, type RiskLimitEntry } from "./risk-limits.ts";
export {
  ACTIVE_STATUS,
  STATE_FOR_ACTION,
  STATE_RANK,
  resetRiskState,
  stepRiskState,
  type RiskStatus,
  type RiskStep,
  type RiskTransition,
} from "./risk-state-machine.ts";
export { RISK_ALERT_EVENT, RISK_STATE_CHANGED_EVENT } from "./risk-records.ts";
export { RiskMonitor, type AccountUpdate, type RiskOutcome } from "./risk-monitor.ts";
