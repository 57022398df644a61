import { invalid } from "../../../core/index.ts";
import type { ColumnValues } from "../drift-detector.ts";

/** Empty bins get this share so that logarithms stay finite (Evidently's convention). */
export const EMPTY_BIN_SHARE = 1e-4;

/** The sample as sorted finite numbers; throws naming `which` for labels, non-finite values or an empty sample. */
export function sortedNumbers(values: ColumnValues, which: "reference" | "current"): Float64Array {
  if (values.length === 0) throw invalid(which, "is empty");
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number" || !Number.isFinite(v)) throw invalid(which, `value ${i} (${String(v)}) is not a finite number`);
    out[i] = v;
  }
  return out.sort();
}

/** Counts per bin for right-closed bins (−∞, e₀], (e₀, e₁], …, (e_last, ∞) over sorted values. */
export function countIntoBins(sorted: Float64Array, edges: readonly number[]): Float64Array {
  const counts = new Float64Array(edges.length + 1);
  let bin = 0;
  for (let i = 0; i < sorted.length; i++) {
    while (bin < edges.length && sorted[i]! > edges[bin]!) bin++;
    counts[bin]! += 1;
  }
  return counts;
}

/** Label counts of both samples over the union of labels, in first-seen order. */
export function labelCounts(reference: ColumnValues, current: ColumnValues): { labels: string[]; reference: Float64Array; current: Float64Array } {
  if (reference.length === 0) throw invalid("reference", "is empty");
  if (current.length === 0) throw invalid("current", "is empty");
  const index = new Map<string, number>();
  for (const v of [...reference, ...current]) {
    const k = String(v);
    if (!index.has(k)) index.set(k, index.size);
  }
  const count = (values: ColumnValues) => {
    const c = new Float64Array(index.size);
    for (const v of values) c[index.get(String(v))!]! += 1;
    return c;
  };
  return { labels: [...index.keys()], reference: count(reference), current: count(current) };
}

/** Counts as shares, empty bins lifted to EMPTY_BIN_SHARE and the result renormalised to sum to 1. */
export function sharesWithFloor(counts: Float64Array): Float64Array {
  const total = counts.reduce((a, b) => a + b, 0);
  const out = counts.map((c) => (c === 0 ? EMPTY_BIN_SHARE : c / total));
  const sum = out.reduce((a, b) => a + b, 0);
  return out.map((s) => s / sum);
}

/** True when the values are labels (strings) rather than numbers. */
export function isCategorical(values: ColumnValues): boolean {
  return values.length > 0 && typeof values[0] === "string";
}
