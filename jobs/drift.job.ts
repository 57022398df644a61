import type { Container } from "../app/container.ts";
import { defineJob } from "./runtime/define-job.ts";

/**
 * Daily drift check of the slippage champion (03:30 UTC by default, SRM_DRIFT_CRON): feature drift against its
 * training rows and accuracy against its hold-out; stores a drift report and raises alerts. When
 * SRM_DRIFT_RETRAIN is on, an alert enqueues `retrain-slippage`, whose gate still decides any promotion.
 */
export function driftCheckJob(c: Container) {
  return defineJob({
    name: "drift-check",
    schedule: { cron: c.drift.settings.cron, timezone: "UTC" },
    attempts: 2,
    handler: async (ctx) => {
      ctx.progress(0.05, "comparing recent decisions with the champion's training data");
      const result = await c.drift.run();
      ctx.progress(1, result.status);
      return result.status === "skipped"
        ? result
        : { status: result.status, reportId: result.reportId, drifted: result.drifted, alerts: result.alerts.map((a) => a.code), retrainRequested: result.retrainRequested };
    },
  });
}
