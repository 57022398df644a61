import { field, loadConfig, type SectionValue } from "../../core/index.ts";
import { DRIFT_DEFAULTS } from "./drift-detector.ts";

/** Drift monitoring of the slippage champion: feature drift, prediction accuracy, alerts and retraining. */
export const driftConfig = {
  cron: field.string("SRM_DRIFT_CRON", "When the daily drift check runs (cron, UTC).", { default: "30 3 * * *" }),
  windowDays: field.int("SRM_DRIFT_WINDOW_DAYS", "Recent decisions and executions compared with the champion's training data, in days.", { default: 7, min: 1, max: 365 }),
  minRows: field.int("SRM_DRIFT_MIN_ROWS", "Fewest recent rows (decisions for features, predicted executions for accuracy) a check needs before it judges.", {
    default: 30,
    min: 5,
  }),
  maxRows: field.int("SRM_DRIFT_MAX_ROWS", "Most rows read per side; the reference is thinned evenly over time and the newest decisions are kept.", {
    default: 20_000,
    min: 100,
  }),
  alpha: field.number("SRM_DRIFT_P_VALUE", "Significance level of the KS and chi-square tests.", { default: DRIFT_DEFAULTS.alpha, min: 1e-6, max: 0.5 }),
  largeSample: field.int("SRM_DRIFT_LARGE_SAMPLE", "Reference rows above which distances (Wasserstein, Jensen–Shannon) replace the tests.", {
    default: DRIFT_DEFAULTS.largeSample,
    min: 10,
  }),
  distanceThreshold: field.number("SRM_DRIFT_DISTANCE_THRESHOLD", "Normalised Wasserstein and Jensen–Shannon distance at which a column drifts.", {
    default: DRIFT_DEFAULTS.distanceThreshold,
    min: 0,
  }),
  psiThreshold: field.number("SRM_DRIFT_PSI_THRESHOLD", "PSI at which a column drifts (when PSI is the chosen method).", { default: DRIFT_DEFAULTS.psiThreshold, min: 0 }),
  datasetShare: field.number("SRM_DRIFT_SHARE", "Share of drifted columns at which the whole dataset counts as drifted.", { default: DRIFT_DEFAULTS.datasetShare, min: 0.01, max: 1 }),
  numericMethod: field.oneOf("SRM_DRIFT_NUMERIC_METHOD", "Test for numeric columns; auto = KS up to the large-sample size, Wasserstein above.", ["auto", "ks", "wasserstein", "psi", "jensen_shannon"], {
    default: "auto",
  }),
  categoricalMethod: field.oneOf("SRM_DRIFT_CATEGORICAL_METHOD", "Test for categorical columns; auto = chi-square up to the large-sample size, Jensen–Shannon above.", ["auto", "chi_square", "jensen_shannon", "psi"], {
    default: "auto",
  }),
  minAccuracy: field.number("SRM_DRIFT_MIN_ACCURACY", "Alert when fewer than this share of recent fills land within 0.5 pip of the predicted p50.", { default: 0.5, min: 0, max: 1 }),
  referenceChunks: field.int("SRM_DRIFT_REFERENCE_CHUNKS", "Time chunks the champion's hold-out is cut into for the accuracy band (at least 6 are needed).", { default: 10, min: 6, max: 100 }),
  sigmas: field.number("SRM_DRIFT_SIGMAS", "Width of the accuracy band around the reference chunks' mean, in standard deviations.", { default: 3, min: 0.5 }),
  webhookUrl: field.url("SRM_DRIFT_WEBHOOK_URL", "Drift alerts are also POSTed here as JSON (http or https); unset: no webhook.", ["http", "https"], { secret: true }),
  webhookTimeoutMs: field.int("SRM_DRIFT_WEBHOOK_TIMEOUT_MS", "How long a webhook POST may take before it is abandoned (the alert row stays).", { default: 5000, min: 100, max: 60_000 }),
  retrain: field.bool("SRM_DRIFT_RETRAIN", "Enqueue the slippage retrain when the dataset drifts or accuracy alerts.", { default: false }),
};

export type DriftSettings = SectionValue<typeof driftConfig>;

/** The declared defaults, for callers and tests that do not load the environment. */
export const DEFAULT_DRIFT_SETTINGS: DriftSettings = loadConfig({ drift: driftConfig }, {}, []).value.drift;
