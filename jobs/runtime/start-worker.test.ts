import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../core/index.ts";
import { eventually } from "../../test/kit/eventually.ts";
import { createJobRuntime } from "./create-job-runtime.ts";
import { defineJob } from "./define-job.ts";
import { JobsErrors } from "./runtime.errors.ts";
import { startWorker } from "./start-worker.ts";

const logger = createLogger({ level: "silent" });

describe("startWorker", () => {
  it("registers and runs the jobs, then closes gracefully on SIGTERM and detaches its listeners", async () => {
    const signals = new EventEmitter();
    const runtime = createJobRuntime({ logger, closeGraceMs: 1000 });
    let started = false;
    const aborted: unknown[] = [];
    const job = defineJob({
      name: "drift-check",
      handler: async (ctx) => {
        started = true;
        await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve, { once: true }));
        aborted.push(ctx.signal.reason);
      },
    });
    const worker = await startWorker(runtime, [job], { signalSource: signals, logger });
    expect(signals.listenerCount("SIGTERM")).toBe(1);
    expect(signals.listenerCount("SIGINT")).toBe(1);
    await runtime.enqueue(job, undefined);
    await eventually(() => expect(started).toBe(true));

    signals.emit("SIGTERM");
    await expect(worker.stopped).resolves.toBe("SIGTERM");
    expect(aborted).toMatchObject([{ code: JobsErrors.JOBS_ERR_ABORTED }]);
    expect(signals.listenerCount("SIGTERM") + signals.listenerCount("SIGINT")).toBe(0);
    await expect(runtime.enqueue(job, undefined)).rejects.toMatchObject({ code: JobsErrors.JOBS_ERR_CLOSED });
    await worker.stop();
  });

  it("closes the runtime when registration fails", async () => {
    const runtime = createJobRuntime({ logger });
    const a = defineJob({ name: "same", handler: async () => 1 });
    const b = defineJob({ name: "same", handler: async () => 2 });
    await expect(startWorker(runtime, [a, b], { signalSource: new EventEmitter() })).rejects.toMatchObject({ code: JobsErrors.JOBS_ERR_DUPLICATE_JOB });
    await expect(runtime.enqueue("same", undefined)).rejects.toMatchObject({ code: JobsErrors.JOBS_ERR_CLOSED });
  });

  it("runs only the jobs named, and refuses a name that is no job, naming it", async () => {
    const runtime = createJobRuntime({ logger });
    let ran = "";
    const retrain = defineJob({ name: "retrain-slippage", handler: async () => void (ran += "retrain") });
    const drift = defineJob({ name: "drift-check", handler: async () => void (ran += "drift") });
    const worker = await startWorker(runtime, [retrain, drift], { only: ["drift-check"], signalSource: new EventEmitter(), logger });
    await runtime.enqueue(drift, undefined);
    await runtime.enqueue(retrain, undefined);
    await eventually(() => expect(ran).toBe("drift"));
    await new Promise((r) => setTimeout(r, 100));
    expect(ran).toBe("drift");
    await worker.stop();

    const other = createJobRuntime({ logger });
    await expect(startWorker(other, [retrain, drift], { only: ["drift-check", "retrain"], signalSource: new EventEmitter() })).rejects.toMatchObject({
      code: "CORE_ERR_INVALID",
      details: { field: "only" },
      message: expect.stringContaining("retrain"),
    });
    await expect(other.enqueue("drift-check", undefined)).rejects.toMatchObject({ code: JobsErrors.JOBS_ERR_CLOSED });
  });
});
