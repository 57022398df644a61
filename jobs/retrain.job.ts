import { conventionalPipSize } from "../core/index.ts";
import { trainSlippage } from "../srm/index.ts";
import type { Container } from "../app/container.ts";
import { defineJob } from "./runtime/define-job.ts";

/**
 * Weekly retrain of the slippage model on the sliding window (Sunday 22:00 UTC, after the FX close by
 * default): the candidate is promoted only through the gate; a failed or killed run leaves the champion as it
 * was, because promotion is the last, transactional step.
 */
export function retrainSlippageJob(c: Container) {
  const cfg = c.config.value.srm;
  return defineJob({
    name: "retrain-slippage",
    schedule: { cron: cfg.retrainCron, timezone: "UTC" },
    attempts: 1,
    handler: async (ctx) => {
      const now = c.clock.now();
      const report = await trainSlippage(c.db.prisma, c.registry, ctx.logger, {
        window: { from: new Date(now - cfg.trainWindowDays * 86_400_000), to: new Date(now + 1) },
        minRows: cfg.minTrainingRows,
        gate: { minAbsolute: cfg.promoteMinAbsolute, minRelative: cfg.promoteMinRelative },
        autoPromote: true,
        configHash: c.config.hash,
        pipSizeOf: conventionalPipSize,
        onProgress: (f, note) => ctx.progress(f, note),
        signal: ctx.signal,
      });
      return { version: report.version, promoted: report.promoted, gate: report.gate.reason };
    },
  });
}
