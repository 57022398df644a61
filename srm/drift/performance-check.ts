/** Accuracy of the champion's p50: the share of fills within half a pip of it (the product brief's measure). */
export interface AccuracyBand {
  chunks: number[];
  mean: number;
  std: number;
  lower: number;
  upper: number;
}

/** The performance block of a drift report. */
export interface PerformanceCheck {
  reference: { rows: number; band: AccuracyBand | null; note?: string };
  current: { rows: number; accuracy: number | null };
  alerts: PerformanceAlert[];
}

/** Why accuracy alerts: below the product's floor, or outside the band the reference chunks set. */
export interface PerformanceAlert {
  code: "SRM_DRIFT_ACCURACY_LOW" | "SRM_DRIFT_ACCURACY_OUT_OF_BAND";
  message: string;
}

/** Fewest rows a reference chunk may hold; fewer chunks are cut rather than noisier ones. */
export const MIN_CHUNK_ROWS = 20;
/** Fewest chunks a band needs (NannyML's minimum). */
export const MIN_CHUNKS = 6;

function share(hits: readonly boolean[]): number {
  let n = 0;
  for (const h of hits) if (h) n++;
  return n / hits.length;
}

/**
 * The band of "normal" accuracy: the time-ordered reference hits cut into `chunks` equal chunks (fewer when a
 * chunk would hold under 20 rows), mean ± `sigmas` sample standard deviations of their accuracies. Null below 6
 * chunks.
 */
export function accuracyBand(hits: readonly boolean[], chunks: number, sigmas: number): AccuracyBand | null {
  const k = Math.min(chunks, Math.floor(hits.length / MIN_CHUNK_ROWS));
  if (k < MIN_CHUNKS) return null;
  const size = Math.floor(hits.length / k);
  const accuracies = Array.from({ length: k }, (_, i) => share(hits.slice(i * size, i === k - 1 ? hits.length : (i + 1) * size)));
  const mean = accuracies.reduce((a, b) => a + b, 0) / k;
  const std = Math.sqrt(accuracies.reduce((a, b) => a + (b - mean) ** 2, 0) / (k - 1));
  return { chunks: accuracies, mean, std, lower: mean - sigmas * std, upper: mean + sigmas * std };
}

/**
 * Compares recent accuracy with the floor (`minAccuracy`, 50% in the product brief) and with the reference band.
 * Both directions of the band alert: a sudden jump in accuracy usually means the fills stopped being recorded
 * truthfully rather than that the model improved on its own. Nothing is judged below `minRows` recent rows.
 */
export function checkPerformance(
  referenceHits: readonly boolean[],
  currentHits: readonly boolean[],
  s: { minAccuracy: number; referenceChunks: number; sigmas: number; minRows: number },
): PerformanceCheck {
  const band = accuracyBand(referenceHits, s.referenceChunks, s.sigmas);
  const accuracy = currentHits.length === 0 ? null : share(currentHits);
  const alerts: PerformanceAlert[] = [];
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  if (accuracy !== null && currentHits.length >= s.minRows) {
    if (accuracy < s.minAccuracy) {
      alerts.push({ code: "SRM_DRIFT_ACCURACY_LOW", message: `only ${pct(accuracy)} of ${currentHits.length} recent fills were within 0.5 pip of the predicted p50 (floor ${pct(s.minAccuracy)})` });
    }
    if (band && (accuracy < band.lower || accuracy > band.upper)) {
      alerts.push({
        code: "SRM_DRIFT_ACCURACY_OUT_OF_BAND",
        message: `recent accuracy ${pct(accuracy)} left the reference band ${pct(band.lower)}–${pct(band.upper)} (mean ${pct(band.mean)} ± ${s.sigmas}σ over ${band.chunks.length} chunks)`,
      });
    }
  }
  const note = band ? undefined : `the hold-out has ${referenceHits.length} predicted rows: fewer than ${MIN_CHUNKS} chunks of ${MIN_CHUNK_ROWS}, so no band`;
  return { reference: { rows: referenceHits.length, band, ...(note ? { note } : {}) }, current: { rows: currentHits.length, accuracy }, alerts };
}
