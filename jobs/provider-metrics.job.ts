import { refreshAllProviderMetrics } from "../srm/index.ts";
import type { Container } from "../app/container.ts";
import { defineJob } from "./runtime/define-job.ts";

/**
 * Hourly sweep of signal_provider_metrics (SRM_METRICS_CRON, 7 minutes past the hour by default): for every
 * provider the periods touched since its rows were last computed, plus the current periods, whose score moves
 * with time. Upserts by (provider, period type, period start), so a retried or repeated run writes the same rows.
 * Trade closes update their provider at once through `updateProviderMetricsOnClose`; this catches the rest.
 */
export function providerMetricsJob(c: Container) {
  const settings = c.config.value.srmMetrics;
  return defineJob({
    name: "provider-metrics",
    schedule: { cron: settings.cron, timezone: "UTC" },
    attempts: 3,
    handler: async (ctx) => {
      ctx.progress(0, "listing providers");
      return refreshAllProviderMetrics(c.db.prisma, { asOf: c.clock.now(), onProgress: (f, note) => ctx.progress(f, note), signal: ctx.signal });
    },
  });
}
