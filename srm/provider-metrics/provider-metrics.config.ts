import { field, loadConfig, type SectionValue } from "../../core/index.ts";

/** When the provider-metrics sweep runs. */
export const providerMetricsConfig = {
  cron: field.string("SRM_METRICS_CRON", "When the provider-metrics job recomputes signal_provider_metrics (cron, UTC); trade closes also update them at once.", {
    default: "7 * * * *",
  }),
};

export type ProviderMetricsSettings = SectionValue<typeof providerMetricsConfig>;

/** The declared defaults, used until app/config.ts composes the section (as `srmMetrics`). */
export const DEFAULT_PROVIDER_METRICS_SETTINGS: ProviderMetricsSettings = loadConfig({ m: providerMetricsConfig }, {}, []).value.m;
