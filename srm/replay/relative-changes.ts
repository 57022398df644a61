import type { ReplayResult } from "./replay-trades.ts";

/** The figures the side-by-side report compares. */
export const COMPARED = ["net_profit", "max_drawdown_pct", "stop_outs", "trades", "trades_filtered", "lots_reduced"] as const;
export type ComparedFigure = (typeof COMPARED)[number];

/** Relative change of each figure from the baseline: (policy − baseline) / |baseline|; 0 when both are 0, null when only the baseline is. */
export function relativeChanges(policy: ReplayResult, baseline: ReplayResult): Record<ComparedFigure, number | null> {
  const out = {} as Record<ComparedFigure, number | null>;
  for (const k of COMPARED) {
    const [a, b] = [policy[k], baseline[k]];
    out[k] = b === 0 ? (a === 0 ? 0 : null) : Math.round(((a - b) / Math.abs(b)) * 10_000) / 10_000;
  }
  return out;
}
