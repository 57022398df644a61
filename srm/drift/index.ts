export { DRIFT_DEFAULTS, type ColumnKind, type ColumnValues, type DriftDetector, type DriftResult } from "./drift-detector.ts";
export * from "./detectors/index.ts";
export { detectorSelection, type DetectorSelection } from "./select-detector.ts";
export { DEFAULT_DRIFT_SETTINGS, driftConfig, type DriftSettings } from "./drift.config.ts";
export { detectDatasetDrift, type ColumnDrift, type ColumnPair, type DatasetDrift } from "./dataset-drift.ts";
export { DRIFT_FEATURE_COLUMNS, featureColumnPairs } from "./feature-columns.ts";
export { MIN_CHUNKS, MIN_CHUNK_ROWS, accuracyBand, checkPerformance, type AccuracyBand, type PerformanceAlert, type PerformanceCheck } from "./performance-check.ts";
export { DRIFT_ALERT_EVENT, DriftAlerter, type AlertOrigin, type DriftAlert } from "./drift-alerter.ts";
export { DriftMonitor, type DriftMonitorOptions, type DriftRunResult } from "./drift-monitor.ts";
