/** Timer functions, injected so tests drive reconnects and timeouts with a manual clock instead of waiting. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Node's own timers. */
export const systemTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Resolves after `ms` on the given timers. */
export function delay(timers: Timers, ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => timers.setTimeout(resolve, ms));
}

/**
 * Races `work` against a timer. On timeout it rejects with `onTimeout()` and leaves `work` running: the SDK
 * call cannot be cancelled, which is exactly why a timed-out trade must be looked up before any retry.
 */
export function withTimeout<T>(work: Promise<T>, ms: number, timers: Timers, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const handle = timers.setTimeout(() => reject(onTimeout()), ms);
    work.then(
      (value) => {
        timers.clearTimeout(handle);
        resolve(value);
      },
      (err: unknown) => {
        timers.clearTimeout(handle);
        reject(err);
      },
    );
  });
}
