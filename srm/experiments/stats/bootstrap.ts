import { invalid } from "../../../core/index.ts";
import { seededRandom } from "../../../models/index.ts";
import { quantileOfSorted } from "./sample-moments.ts";

/** One resampling unit: the sum and number of its observations (an account's trades, or a single value). */
export interface Cluster {
  sum: number;
  count: number;
}

/** Groups observations by unit; with every id distinct this is the ordinary bootstrap. */
export function clustersOf(values: ArrayLike<number>, ids: ArrayLike<string>): Cluster[] {
  if (values.length !== ids.length) throw invalid("ids", `has ${ids.length} entries for ${values.length} values`);
  const byId = new Map<string, Cluster>();
  for (let i = 0; i < values.length; i++) {
    const c = byId.get(ids[i]!);
    if (c) {
      c.sum += values[i]!;
      c.count += 1;
    } else byId.set(ids[i]!, { sum: values[i]!, count: 1 });
  }
  return [...byId.values()];
}

export interface BootstrapOptions {
  /** @defaultValue 2000 */
  resamples?: number;
  /** @defaultValue 0.95 */
  confidence?: number;
  /** @defaultValue 1 */
  seed?: number;
}

/** A bootstrap percentile interval around the observed difference of means. */
export interface BootstrapInterval {
  estimate: number;
  lower: number;
  upper: number;
  resamples: number;
}

function ratioMean(clusters: readonly Cluster[]): number {
  let sum = 0;
  let count = 0;
  for (const c of clusters) {
    sum += c.sum;
    count += c.count;
  }
  return sum / count;
}

/**
 * Percentile bootstrap of mean(treatment) − mean(control), resampling whole clusters within each arm. Accounts
 * are what the experiment randomises, so resampling accounts (not their trades) keeps the interval honest when
 * one account's trades move together. Seeded: the same input always gives the same interval. Null when either
 * arm has no observations.
 */
export function bootstrapMeanDifference(control: readonly Cluster[], treatment: readonly Cluster[], opts: BootstrapOptions = {}): BootstrapInterval | null {
  const resamples = opts.resamples ?? 2000;
  const confidence = opts.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) throw invalid("confidence", `must be in (0, 1), got ${confidence}`);
  if (!Number.isInteger(resamples) || resamples < 100) throw invalid("resamples", `must be an integer ≥ 100, got ${resamples}`);
  if (control.length === 0 || treatment.length === 0) return null;
  const rng = seededRandom(opts.seed ?? 1);
  const diffs = new Float64Array(resamples);
  const draw = (arm: readonly Cluster[]) => {
    let sum = 0;
    let count = 0;
    for (let i = 0; i < arm.length; i++) {
      const c = arm[Math.floor(rng.next() * arm.length)]!;
      sum += c.sum;
      count += c.count;
    }
    return sum / count;
  };
  for (let b = 0; b < resamples; b++) diffs[b] = draw(treatment) - draw(control);
  diffs.sort();
  const alpha = 1 - confidence;
  return { estimate: ratioMean(treatment) - ratioMean(control), lower: quantileOfSorted(diffs, alpha / 2), upper: quantileOfSorted(diffs, 1 - alpha / 2), resamples };
}
