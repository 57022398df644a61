import { invalid, type Logger } from "../../core/index.ts";
import type { AnyJobDefinition } from "./define-job.ts";
import type { JobRuntime, StartWorkersOptions } from "./job-runtime.ts";

/** Where shutdown signals come from: `process` in production, an EventEmitter in tests. */
export interface SignalSource {
  once(signal: NodeJS.Signals, listener: () => void): unknown;
  off(signal: NodeJS.Signals, listener: () => void): unknown;
}

/** Options of `startWorker`. */
export interface StartWorkerOptions extends StartWorkersOptions {
  /** @defaultValue ["SIGTERM", "SIGINT"] */
  signals?: readonly NodeJS.Signals[];
  /** @defaultValue process */
  signalSource?: SignalSource;
  logger?: Logger;
}

/** A running worker process's handle. */
export interface WorkerHandle {
  /** Resolves with the signal name (or "stop") once the runtime has closed. */
  readonly stopped: Promise<string>;
  stop(reason?: string): Promise<void>;
}

/**
 * Entry of `riskloop worker`: registers the jobs, starts consuming, and closes the runtime gracefully on the
 * first SIGTERM or SIGINT. Listeners are one-shot, so a second signal gets Node's default (exit at once).
 */
export async function startWorker(runtime: JobRuntime, jobs: readonly AnyJobDefinition[], opts: StartWorkerOptions = {}): Promise<WorkerHandle> {
  const source = opts.signalSource ?? process;
  const unknown = opts.only?.filter((name) => !jobs.some((j) => j.name === name)) ?? [];
  if (unknown.length > 0) {
    await runtime.close();
    throw invalid("only", `no such job: ${unknown.join(", ")}`, { known: jobs.map((j) => j.name) });
  }
  try {
    await runtime.register(jobs);
    await runtime.startWorkers(opts.only ? { only: opts.only } : {});
  } catch (err) {
    await runtime.close();
    throw err;
  }
  let markStopped!: (reason: string) => void;
  const stopped = new Promise<string>((resolve) => (markStopped = resolve));
  let stopping: Promise<void> | undefined;
  const listeners = (opts.signals ?? ["SIGTERM", "SIGINT"]).map((signal) => {
    const listener = () => {
      opts.logger?.info({ signal }, "worker shutting down");
      void stop(signal);
    };
    source.once(signal, listener);
    return { signal, listener };
  });
  const stop = (reason = "stop"): Promise<void> => {
    stopping ??= (async () => {
      for (const { signal, listener } of listeners) source.off(signal, listener);
      await runtime.close();
      markStopped(reason);
    })();
    return stopping;
  };
  opts.logger?.info({ mode: runtime.mode, jobs: opts.only ?? jobs.map((j) => j.name) }, "worker started");
  return { stopped, stop };
}
