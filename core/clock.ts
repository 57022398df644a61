/** Time source; injected everywhere so tests and replays can control it. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** High-resolution monotonic milliseconds, for latency measurement only. */
  monotonic(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
};
