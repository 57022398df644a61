import { invalid } from "../core/index.ts";
import { resolveQuantiles, validateDataset, validateRow } from "./dataset.ts";
import type { Dataset, QuantilePredictor } from "./model-family.ts";

/** Empirical quantiles (linear interpolation between order statistics, as numpy's default) of `values`. */
export function empiricalQuantiles(values: ArrayLike<number>, quantiles: readonly number[]): Float64Array {
  if (values.length === 0) throw invalid("values", "must not be empty");
  const sorted = Float64Array.from(values).sort();
  const last = sorted.length - 1;
  return Float64Array.from(quantiles, (tau) => {
    const h = tau * last;
    const lo = Math.floor(h);
    const a = sorted[lo] as number;
    return lo >= last ? a : a + (h - lo) * ((sorted[lo + 1] as number) - a);
  });
}

/** A baseline answering per row from a table of quantiles chosen by `pick`; scored like any model. */
class TablePredictor implements QuantilePredictor {
  readonly quantiles: readonly number[];
  private readonly scratch: Float64Array;

  constructor(
    quantiles: number[],
    readonly d: number,
    private readonly pick: (row: ArrayLike<number>) => Float64Array,
  ) {
    this.quantiles = Object.freeze(quantiles);
    this.scratch = new Float64Array(d);
  }

  predictInto(row: ArrayLike<number>, out: Float64Array): void {
    validateRow(row, this.d);
    out.set(this.pick(row));
  }

  predictBatch(X: ArrayLike<number>, n: number): Float64Array {
    if (X.length !== n * this.d) throw invalid("X", `has ${X.length} values, expected n×d = ${n}×${this.d}`);
    const q = this.quantiles.length;
    const out = new Float64Array(n * q);
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < this.d; c++) this.scratch[c] = X[r * this.d + c] as number;
      validateRow(this.scratch, this.d);
      out.set(this.pick(this.scratch), r * q);
    }
    return out;
  }
}

/** The constant baseline: the training targets' global quantiles, whatever the row. */
export function globalQuantileBaseline(train: Dataset, quantiles?: readonly number[]): QuantilePredictor {
  validateDataset(train, "train");
  const q = resolveQuantiles(quantiles);
  const values = empiricalQuantiles(train.y, q);
  return new TablePredictor(q, train.d, () => values);
}

/** Options of the per-group baseline. */
export interface GroupBaselineOptions {
  quantiles?: readonly number[];
  /** Groups with fewer training rows than this answer with the global quantiles. @defaultValue 1 */
  minGroupSize?: number;
}

/**
 * Per-group quantiles (e.g. symbol + session), with the global quantiles for groups unseen or too small in
 * training. `keyOf` derives the group from a row, so the baseline is scored with the same code as models.
 */
export function groupQuantileBaseline(
  train: Dataset,
  keyOf: (row: ArrayLike<number>) => string,
  opts: GroupBaselineOptions = {},
): QuantilePredictor {
  validateDataset(train, "train");
  const q = resolveQuantiles(opts.quantiles);
  const minGroupSize = opts.minGroupSize ?? 1;
  const members = new Map<string, number[]>();
  for (let r = 0; r < train.n; r++) {
    const key = keyOf(train.X.subarray(r * train.d, (r + 1) * train.d));
    const list = members.get(key);
    if (list) list.push(train.y[r] as number);
    else members.set(key, [train.y[r] as number]);
  }
  const global = empiricalQuantiles(train.y, q);
  const table = new Map<string, Float64Array>();
  for (const [key, ys] of members) if (ys.length >= minGroupSize) table.set(key, empiricalQuantiles(ys, q));
  return new TablePredictor(q, train.d, (row) => table.get(keyOf(row)) ?? global);
}

/** A group key from the values of some columns (e.g. one-hot symbol columns and a session column). */
export function columnsKey(columns: readonly number[]): (row: ArrayLike<number>) => string {
  return (row) => columns.map((c) => row[c]).join("|");
}
