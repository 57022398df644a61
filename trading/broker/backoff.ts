/** Exponential reconnect backoff: base × 2^(attempt−1), capped at max, shortened by up to `jitter` of itself. */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** Fraction (0–1) of the delay removed at random, so many accounts do not reconnect in lockstep. */
  jitter: number;
}

/** Delay before reconnect attempt `attempt` (1-based); `random` returns [0, 1). */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const raw = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  return Math.round(raw * (1 - policy.jitter * random()));
}
