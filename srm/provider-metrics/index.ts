/**
 * Signal provider metrics per period (day, ISO week, month, rolling 30 days, lifetime): signals, win rate,
 * slippage, drawdown, reward-to-risk, SL compliance and the score at the period's end, stored in
 * `signal_provider_metrics` by the hourly job and on each trade close; and the provider leaderboard.
 */
export { METRIC_PERIOD_TYPES, periodOf, periodsToRefresh, utcDayStart, type MetricPeriod, type MetricPeriodType } from "./metric-periods.ts";
export { BalanceCurve } from "./balance-curve.ts";
export { computePeriodMetrics, type PeriodMetrics, type ProviderHistory } from "./period-metrics.ts";
export { closedTradeFromRow, loadProviderHistory, type ClosedTradeRow } from "./provider-history.ts";
export {
  refreshAllProviderMetrics,
  refreshProviderMetrics,
  updateProviderMetricsOnClose,
  type RefreshAllOptions,
  type RefreshOptions,
  type RefreshResult,
} from "./refresh-provider-metrics.ts";
export { providerLeaderboard, providerMetricRows, visibleProviders, type LeaderboardEntry, type MetricsView } from "./provider-leaderboard.ts";
export { DEFAULT_PROVIDER_METRICS_SETTINGS, providerMetricsConfig, type ProviderMetricsSettings } from "./provider-metrics.config.ts";
