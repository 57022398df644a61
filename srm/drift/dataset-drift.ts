import type { ColumnKind } from "./drift-detector.ts";
import type { DetectorSelection } from "./select-detector.ts";

/** One column of both samples; `null` is a missing value. */
export interface ColumnPair {
  name: string;
  kind: ColumnKind;
  reference: readonly (number | string | null)[];
  current: readonly (number | string | null)[];
}

/** One column's verdict as stored in a drift report. */
export interface ColumnDrift {
  name: string;
  kind: ColumnKind;
  detector: string;
  /** `values` compares the present values; `missingness` compares present/missing when values are too few. */
  tested: "values" | "missingness";
  statistic: number;
  pValue: number | null;
  threshold: number;
  drifted: boolean;
  nReference: number;
  nCurrent: number;
  missingReference: number;
  missingCurrent: number;
}

/** Every column's verdict and the dataset's. */
export interface DatasetDrift {
  columns: ColumnDrift[];
  driftedShare: number;
  drifted: boolean;
}

function present<T>(values: readonly (T | null)[]): T[] {
  return values.filter((v): v is T => v !== null && !(typeof v === "number" && !Number.isFinite(v)));
}

const share = (missing: number, n: number) => (n === 0 ? 0 : missing / n);

/**
 * Tests every column with the detector the selection picks and calls the dataset drifted when at least
 * `datasetShare` of its columns drift. A column with fewer than `minValues` present values on either side is
 * judged on its missingness instead (present vs missing, as a categorical column): a feed that stops
 * delivering a feature is drift too, and a handful of values cannot be tested.
 */
export function detectDatasetDrift(columns: readonly ColumnPair[], selection: DetectorSelection, opts: { datasetShare: number; minValues: number }): DatasetDrift {
  const out = columns.map((c): ColumnDrift => {
    const ref = present(c.reference);
    const cur = present(c.current);
    const missing = { missingReference: share(c.reference.length - ref.length, c.reference.length), missingCurrent: share(c.current.length - cur.length, c.current.length) };
    const byValues = ref.length >= opts.minValues && cur.length >= opts.minValues;
    const refSample = byValues ? ref : c.reference.map((v) => (v === null ? "missing" : "present"));
    const curSample = byValues ? cur : c.current.map((v) => (v === null ? "missing" : "present"));
    const kind: ColumnKind = byValues ? c.kind : "categorical";
    const detector = selection.select(kind, refSample.length);
    const r = detector.test(refSample as number[] | string[], curSample as number[] | string[]);
    return {
      name: c.name,
      kind: c.kind,
      detector: detector.id,
      tested: byValues ? "values" : "missingness",
      statistic: r.statistic,
      pValue: r.pValue ?? null,
      threshold: r.threshold,
      drifted: r.drifted,
      nReference: refSample.length,
      nCurrent: curSample.length,
      ...missing,
    };
  });
  const driftedShare = out.length === 0 ? 0 : out.filter((c) => c.drifted).length / out.length;
  return { columns: out, driftedShare, drifted: out.length > 0 && driftedShare >= opts.datasetShare };
}
