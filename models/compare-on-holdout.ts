import { validateDataset } from "./dataset.ts";
import { scoreQuantiles, type QuantileScores } from "./metrics.ts";
import type { Dataset, QuantilePredictor } from "./model-family.ts";

/** One model's scores on the hold-out, with its quantile labels ("p50", "p90"). */
export interface HoldoutRow extends QuantileScores {
  name: string;
  labels: string[];
}

/** Models and baselines scored on the same hold-out rows; `best` has the lowest mean pinball loss. */
export interface HoldoutComparison {
  n: number;
  rows: HoldoutRow[];
  best: string;
}

/** The label of a quantile level: 0.9 → "p90", 0.975 → "p97.5". */
export function quantileLabel(tau: number): string {
  return `p${Number((tau * 100).toFixed(2))}`;
}

/** Scores each named predictor (model or baseline) on the hold-out. */
export function compareOnHoldout(models: Record<string, QuantilePredictor>, holdout: Dataset): HoldoutComparison {
  validateDataset(holdout, "holdout");
  const rows = Object.entries(models).map(([name, p]): HoldoutRow => {
    const pred = p.predictBatch(holdout.X, holdout.n);
    return { name, labels: p.quantiles.map(quantileLabel), ...scoreQuantiles(holdout.y, pred, p.quantiles) };
  });
  const best = rows.reduce((a, b) => (b.pinballMean < a.pinballMean ? b : a));
  return { n: holdout.n, rows, best: best.name };
}

const fmt = (v: number | null, digits = 4): string => (v === null ? "–" : v.toFixed(digits));

/** The comparison as a Markdown table for reports. */
export function formatHoldoutTable(c: HoldoutComparison): string {
  const labels = [...new Set(c.rows.flatMap((r) => r.labels))];
  const head = ["model", ...labels.map((l) => `pinball ${l}`), "pinball mean", "MAE p50", "coverage p90", "within ½ pip"];
  const lines = [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`];
  for (const r of c.rows) {
    const pin = labels.map((l) => {
      const k = r.labels.indexOf(l);
      return k < 0 ? "–" : fmt(r.pinball[k] as number);
    });
    lines.push(`| ${[r.name, ...pin, fmt(r.pinballMean), fmt(r.maeP50), fmt(r.coverageP90, 3), fmt(r.withinHalfPip, 3)].join(" | ")} |`);
  }
  return `${lines.join("\n")}\n\n${c.n} hold-out rows; best by mean pinball: ${c.best}`;
}
