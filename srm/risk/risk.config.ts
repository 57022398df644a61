import { field, loadConfig, type SectionValue } from "../../core/index.ts";

/** Service-wide defaults of account risk protection; an account's `riskLimits` override them. */
export const riskConfig = {
  alertAt: field.number("SRM_RISK_ALERT_AT", "Share of a limit at which a rule alerts before it acts.", { default: 0.8, min: 0.01, max: 0.99 }),
  dailyLossPercent: field.number(
    "SRM_RISK_DAILY_LOSS_PERCENT",
    "Daily loss limit: day-start balance minus equity, in percent of the day-start balance, that puts the account in REDUCING until the next trading day (17:00 New York); 0 turns it off.",
    { default: 2, min: 0, max: 100 },
  ),
  emergencyDrawdownPercent: field.number(
    "SRM_RISK_EMERGENCY_DRAWDOWN_PERCENT",
    "Emergency stop: equity drawdown from its high-water mark, in percent, that halts the account and closes every position until a manual reset; 0 turns it off.",
    { default: 20, min: 0, max: 100 },
  ),
  stopLossStreak: field.int("SRM_RISK_SL_STREAK", "Stop-loss exits in a row that put the account in REDUCING for the cooldown; 0 turns the guard off.", {
    default: 3,
    min: 0,
  }),
  stopLossCooldownMinutes: field.int("SRM_RISK_SL_COOLDOWN_MINUTES", "How long the stop-loss streak guard keeps the account REDUCING after the latest stop-loss exit.", {
    default: 240,
    min: 1,
  }),
};

/** Risk protection settings as loaded (or the defaults). */
export type RiskSettings = SectionValue<typeof riskConfig>;

/** The declared defaults, for callers and tests that do not load the environment. */
export const DEFAULT_RISK_SETTINGS: RiskSettings = loadConfig({ risk: riskConfig }, {}, []).value.risk;
