import type { Container } from "../app/container.ts";
import { defineJob } from "./runtime/define-job.ts";

/**
 * Hourly prune of decision claims (SRM_CLAIM_PRUNE_CRON): every decision claims its dedup key in
 * `intent_claims` before anything is sent; once its intent is stored, the intent's unique key keeps the key
 * taken, so claims older than SRM_CLAIM_RETENTION_HOURS are deleted instead of growing with the intents.
 * Deleting is idempotent: a retried or repeated run deletes what is left.
 */
export function claimsPruneJob(c: Container) {
  const cfg = c.config.value.srm;
  return defineJob({
    name: "claims-prune",
    schedule: { cron: cfg.claimPruneCron, timezone: "UTC" },
    attempts: 3,
    handler: async () => ({ pruned: await c.srm.pruneClaims(new Date(c.clock.now() - cfg.claimRetentionHours * 3_600_000)) }),
  });
}
