/** The numbers behind a promotion decision, kept with the candidate either way. */
export interface GateDecision {
  promote: boolean;
  metric: string;
  candidate: number;
  champion: number | null;
  absoluteGain: number | null;
  relativeGain: number | null;
  reason: string;
}

/**
 * Registry-style promotion gate on a loss (lower is better): with no champion the candidate must beat the
 * baseline; with one it must improve on it by both a minimum absolute and a minimum relative margin, on the
 * same validation window.
 */
export function promotionGate(opts: {
  metric: string;
  candidate: number;
  champion: number | null;
  baseline: number;
  minAbsolute: number;
  minRelative: number;
}): GateDecision {
  const { metric, candidate, champion, baseline } = opts;
  if (!Number.isFinite(candidate)) {
    return { promote: false, metric, candidate, champion, absoluteGain: null, relativeGain: null, reason: `candidate ${metric} is not finite` };
  }
  const reference = champion ?? baseline;
  const absoluteGain = reference - candidate;
  const relativeGain = reference > 0 ? absoluteGain / reference : 0;
  const against = champion === null ? "baseline" : "champion";
  const ok = absoluteGain >= opts.minAbsolute && relativeGain >= opts.minRelative;
  const reason = ok
    ? `candidate ${metric} ${candidate.toFixed(4)} beats the ${against}'s ${reference.toFixed(4)} by ${absoluteGain.toFixed(4)} (${(relativeGain * 100).toFixed(1)}%)`
    : `candidate ${metric} ${candidate.toFixed(4)} vs ${against} ${reference.toFixed(4)}: gain ${absoluteGain.toFixed(4)} (${(relativeGain * 100).toFixed(1)}%) is below the required ${opts.minAbsolute} and ${(opts.minRelative * 100).toFixed(1)}%`;
  return { promote: ok, metric, candidate, champion, absoluteGain, relativeGain, reason };
}
