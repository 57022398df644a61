import { field } from "../core/index.ts";

/** Model registry and retraining settings. */
export const srmConfig = {
  modelDir: field.optionalString("SRM_MODEL_DIR", "Folder of trained model artefacts; defaults to <RISKLOOP_HOME>/models."),
  keepVersions: field.int("SRM_KEEP_VERSIONS", "Model versions kept per kind (older artefacts are deleted; rows stay).", { default: 5, min: 2 }),
  promoteMinAbsolute: field.number("SRM_PROMOTE_MIN_ABSOLUTE", "A candidate must lower the validation loss by at least this much to be promoted.", {
    default: 0.001,
    min: 0,
  }),
  promoteMinRelative: field.number("SRM_PROMOTE_MIN_RELATIVE", "…and by at least this fraction of the champion's loss.", { default: 0.01, min: 0, max: 1 }),
  trainWindowDays: field.int("SRM_TRAIN_WINDOW_DAYS", "Sliding window of executions a retrain learns from.", { default: 3650, min: 1 }),
  retrainCron: field.string("SRM_RETRAIN_CRON", "When the weekly retrain runs (cron, UTC).", { default: "0 22 * * 0" }),
  claimRetentionHours: field.int(
    "SRM_CLAIM_RETENTION_HOURS",
    "Decision claims (intent_claims) of stored intents older than this are pruned; the stored intent keeps its key taken.",
    { default: 24, min: 1 },
  ),
  claimPruneCron: field.string("SRM_CLAIM_PRUNE_CRON", "When the claims-prune job deletes old decision claims (cron, UTC).", { default: "23 * * * *" }),
  minTrainingRows: field.int("SRM_MIN_TRAINING_ROWS", "Fewest filled executions a slippage model is trained on.", { default: 200, min: 20 }),
};
