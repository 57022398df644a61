import { createLogger, loadConfig, readEnvironment } from "../core/index.ts";
import { BullmqRuntime, createJobRuntime, defineJob, definePartitionedJob, jobsConfig, redisDriverAvailable, type JobRuntime } from "../jobs/index.ts";
import { reachable } from "../test/kit/services.ts";

const logger = createLogger({ level: "silent" });
const env = loadConfig({ jobs: jobsConfig }, readEnvironment(), []).value.jobs;
const REDIS = env.redisUrl ?? "redis://127.0.0.1:6379";

/** Enqueues `n` tiny jobs (in batches, as a fan-out would) into a running runtime and times until all ran. */
async function throughput(rt: JobRuntime, n: number, partitioned: boolean): Promise<number> {
  let done = 0;
  let finished!: () => void;
  const all = new Promise<void>((resolve) => (finished = resolve));
  const count = async () => {
    if (++done === n) finished();
  };
  const plain = defineJob<number>({ name: "tiny", handler: count });
  const lanes = definePartitionedJob<number>({ name: "tiny-lanes", partitions: 16, handler: count });
  await rt.register([plain, lanes]);
  await rt.startWorkers();
  const started = performance.now();
  for (let i = 0; i < n; i += 500) {
    const batch = Array.from({ length: Math.min(500, n - i) }, (_, j) =>
      partitioned ? rt.enqueuePartitioned(lanes, `acct-${(i + j) % 1000}`, i + j) : rt.enqueue(plain, i + j),
    );
    await Promise.all(batch);
  }
  await all;
  return Math.round(n / ((performance.now() - started) / 1000));
}

async function withRuntime<T>(make: () => JobRuntime, fn: (rt: JobRuntime) => Promise<T>): Promise<T> {
  const rt = make();
  try {
    return await fn(rt);
  } finally {
    await rt.close();
    if (rt instanceof BullmqRuntime) await rt.purge();
  }
}

/** Tiny-job throughput (enqueue and process, one process) of both runtimes, plus a BullMQ runNow round trip. */
export default async function run(): Promise<Record<string, unknown>> {
  const inProcess = () => createJobRuntime({ logger, concurrency: 50 });
  const figures: Record<string, unknown> = {
    inprocess_jobs_per_s: await withRuntime(inProcess, (rt) => throughput(rt, 100_000, false)),
    inprocess_partitioned16_jobs_per_s: await withRuntime(inProcess, (rt) => throughput(rt, 100_000, true)),
  };
  if (!redisDriverAvailable() || !(await reachable(REDIS))) {
    figures["bullmq"] = `skipped: ${redisDriverAvailable() ? `Redis not reachable at ${REDIS}` : "ioredis not installed"}`;
    return figures;
  }
  const bullmq = () => createJobRuntime({ redisUrl: REDIS, logger, concurrency: 50, prefix: `rlbench-${process.pid}` });
  figures["bullmq_jobs_per_s"] = await withRuntime(bullmq, (rt) => throughput(rt, 10_000, false));
  figures["bullmq_partitioned16_jobs_per_s"] = await withRuntime(bullmq, (rt) => throughput(rt, 10_000, true));
  figures["bullmq_runnow_median_ms"] = await withRuntime(bullmq, async (rt) => {
    const echo = defineJob<number, number>({ name: "echo", handler: async (_ctx, x) => x });
    await rt.register([echo]);
    await rt.startWorkers();
    const times: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      await rt.runNow(echo, i);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return Number(times[100]!.toFixed(2));
  });
  return figures;
}
