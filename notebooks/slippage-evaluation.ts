import { conventionalPipSize } from "../core/index.ts";
import { loadPredictor, seededRandom, type Dataset, type QuantilePredictor } from "../models/index.ts";
import type { PrismaClient } from "../prisma/index.ts";
import { loadSlippageRows, splitByAccountTime, toDataset, type FeatureSchema, type ModelVersionRow, type SlippageRow } from "../srm/index.ts";

/** One model version's hold-out, re-created exactly as training split it, with its predictions. */
export interface SlippageHoldout {
  rows: SlippageRow[];
  data: Dataset;
  predictor: QuantilePredictor;
  /** n × q predictions, row-major. */
  predictions: Float64Array;
  quantiles: number[];
}

export async function slippageHoldout(prisma: PrismaClient, version: ModelVersionRow): Promise<SlippageHoldout> {
  const window = { from: version.trainedFrom ?? new Date(0), to: new Date((version.trainedTo ?? new Date()).getTime() + 1) };
  const rows = await loadSlippageRows(prisma, window, conventionalPipSize);
  const { validation } = splitByAccountTime(rows);
  const data = toDataset(validation, version.featureSchema as FeatureSchema);
  const predictor = await loadPredictor(version.artifactPath);
  return { rows: validation, data, predictor, predictions: predictor.predictBatch(data.X, data.n), quantiles: [...predictor.quantiles] };
}

/** Mean pinball loss over all quantiles for a prediction matrix. */
export function meanPinball(y: ArrayLike<number>, pred: Float64Array, quantiles: readonly number[]): number {
  const q = quantiles.length;
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    for (let k = 0; k < q; k++) {
      const diff = y[i]! - pred[i * q + k]!;
      sum += diff >= 0 ? quantiles[k]! * diff : (quantiles[k]! - 1) * diff;
    }
  }
  return y.length === 0 ? NaN : sum / (y.length * q);
}

/**
 * Permutation importance by feature group: how much the hold-out loss rises when a group's columns are
 * shuffled across rows (seeded), breaking their link to the target. One-hot blocks move together.
 */
export function permutationImportance(h: SlippageHoldout, seed = 7): Array<{ feature: string; increase: number }> {
  const { data, predictor, quantiles } = h;
  const base = meanPinball(data.y, h.predictions, quantiles);
  const groups = new Map<string, number[]>();
  data.featureNames.forEach((name, i) => {
    const key = name.startsWith("symbol_") ? "symbol" : name.startsWith("session_") ? "session" : name.replace(/_(missing|sin|cos)$/, "");
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  const out: Array<{ feature: string; increase: number }> = [];
  for (const [feature, cols] of groups) {
    const rnd = seededRandom(seed);
    const order = Array.from({ length: data.n }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rnd.next() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const X = data.X.slice();
    for (let r = 0; r < data.n; r++) for (const c of cols) X[r * data.d + c] = data.X[order[r]! * data.d + c]!;
    out.push({ feature, increase: meanPinball(data.y, predictor.predictBatch(X, data.n), quantiles) - base });
  }
  return out.sort((a, b) => b.increase - a.increase);
}

/** Observed share of actuals at or below each quantile, by decile of the predicted p90. */
export function calibrationByDecile(h: SlippageHoldout): Array<{ decile: number; quantile: string; nominal: number; observed: number; n: number }> {
  const q = h.quantiles.length;
  const n = h.data.n;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => h.predictions[a * q + q - 1]! - h.predictions[b * q + q - 1]!);
  const out: Array<{ decile: number; quantile: string; nominal: number; observed: number; n: number }> = [];
  for (let d = 0; d < 10; d++) {
    const slice = idx.slice(Math.floor((d * n) / 10), Math.floor(((d + 1) * n) / 10));
    if (slice.length === 0) continue;
    h.quantiles.forEach((tau, k) => {
      const covered = slice.filter((i) => h.data.y[i]! <= h.predictions[i * q + k]!).length;
      out.push({ decile: d + 1, quantile: `p${Math.round(tau * 100)}`, nominal: tau, observed: covered / slice.length, n: slice.length });
    });
  }
  return out;
}

/** Mean pinball loss and count per value of a feature (e.g. session or symbol). */
export function errorBy(h: SlippageHoldout, key: (r: SlippageRow) => string): Array<{ group: string; loss: number; n: number }> {
  const q = h.quantiles.length;
  const groups = new Map<string, number[]>();
  h.rows.forEach((r, i) => groups.set(key(r), [...(groups.get(key(r)) ?? []), i]));
  return [...groups].map(([group, rows]) => {
    const y = rows.map((i) => h.data.y[i]!);
    const pred = new Float64Array(rows.length * q);
    rows.forEach((i, j) => pred.set(h.predictions.subarray(i * q, (i + 1) * q), j * q));
    return { group, loss: meanPinball(y, pred, h.quantiles), n: rows.length };
  }).sort((a, b) => b.n - a.n);
}
