import { invalid } from "../core/index.ts";
import { DEFAULT_QUANTILES, type Dataset } from "./model-family.ts";

/** Builds a dataset from row-major features and targets, inferring n and d, and validates it. */
export function createDataset(X: Float32Array, y: Float32Array, featureNames: string[]): Dataset {
  const ds: Dataset = { X, y, n: y.length, d: featureNames.length, featureNames };
  validateDataset(ds);
  return ds;
}

/** Throws `CORE_ERR_INVALID` naming the first problem: shape mismatch or a non-finite value (row and column). */
export function validateDataset(ds: Dataset, label = "dataset"): void {
  const { X, y, n, d, featureNames } = ds;
  if (!Number.isInteger(n) || n < 1) throw invalid(`${label}.n`, `must be a positive integer, got ${n}`);
  if (!Number.isInteger(d) || d < 1) throw invalid(`${label}.d`, `must be a positive integer, got ${d}`);
  if (X.length !== n * d) throw invalid(`${label}.X`, `has ${X.length} values, expected n×d = ${n}×${d} = ${n * d}`);
  if (y.length !== n) throw invalid(`${label}.y`, `has ${y.length} values, expected n = ${n}`);
  if (featureNames.length !== d) throw invalid(`${label}.featureNames`, `has ${featureNames.length} names, expected d = ${d}`);
  for (let i = 0; i < X.length; i++) {
    if (!Number.isFinite(X[i])) {
      const row = Math.floor(i / d);
      const col = i % d;
      throw invalid(`${label}.X`, `row ${row} column ${col} (${featureNames[col]}) is ${X[i]}`, { row, column: col });
    }
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(y[i])) throw invalid(`${label}.y`, `row ${i} is ${y[i]}`, { row: i });
  }
}

/** Checks that a second dataset (validation, hold-out) has the training set's columns. */
export function validateSameSchema(train: Dataset, other: Dataset, label: string): void {
  validateDataset(other, label);
  if (other.d !== train.d || other.featureNames.some((f, i) => f !== train.featureNames[i])) {
    throw invalid(`${label}.featureNames`, `differ from the training set's [${train.featureNames.join(", ")}]`);
  }
}

/** Rows [from, to) of a dataset, sharing its buffers (e.g. a chronological hold-out split). */
export function sliceDataset(ds: Dataset, from: number, to: number): Dataset {
  const a = Math.max(0, Math.min(from, ds.n));
  const b = Math.max(a, Math.min(to, ds.n));
  return { X: ds.X.subarray(a * ds.d, b * ds.d), y: ds.y.subarray(a, b), n: b - a, d: ds.d, featureNames: ds.featureNames };
}

/** The requested quantiles, defaulted and checked: strictly increasing, each in (0, 1). */
export function resolveQuantiles(quantiles: readonly number[] | undefined): number[] {
  const q = [...(quantiles ?? DEFAULT_QUANTILES)];
  if (q.length === 0) throw invalid("quantiles", "must not be empty");
  q.forEach((tau, i) => {
    if (!(tau > 0 && tau < 1)) throw invalid("quantiles", `each must lie in (0, 1), got ${tau}`);
    if (i > 0 && tau <= (q[i - 1] as number)) throw invalid("quantiles", `must be strictly increasing, got [${q.join(", ")}]`);
  });
  return q;
}

/** Throws `CORE_ERR_INVALID` when a row to predict has the wrong length or a non-finite value. */
export function validateRow(row: ArrayLike<number>, d: number): void {
  if (row.length !== d) throw invalid("row", `has ${row.length} values, expected d = ${d}`);
  for (let i = 0; i < d; i++) {
    if (!Number.isFinite(row[i])) throw invalid("row", `column ${i} is ${row[i]}`, { column: i });
  }
}

/** A copy of the given rows, in the given order (e.g. a per-account chronological split). */
export function selectRows(ds: Dataset, rows: ArrayLike<number>): Dataset {
  const X = new Float32Array(rows.length * ds.d);
  const y = new Float32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as number;
    if (!Number.isInteger(r) || r < 0 || r >= ds.n) throw invalid("rows", `index ${r} is outside 0..${ds.n - 1}`);
    X.set(ds.X.subarray(r * ds.d, (r + 1) * ds.d), i * ds.d);
    y[i] = ds.y[r] as number;
  }
  return { X, y, n: rows.length, d: ds.d, featureNames: ds.featureNames };
}
