import { describe, expect, it } from "vitest";
import { createLogger } from "../../core/index.ts";
import { eventually } from "../../test/kit/eventually.ts";
import { defineJob } from "./define-job.ts";
import { InProcessRuntime } from "./in-process-runtime.ts";
import { RUNTIME_DEFAULTS } from "./job-runtime.ts";
import { JobsErrors } from "./runtime.errors.ts";

const make = () => new InProcessRuntime({ ...RUNTIME_DEFAULTS, logger: createLogger({ level: "silent" }), closeGraceMs: 50 });

describe("in-process runtime specifics", () => {
  it("refuses runNow before startWorkers, since no other process could run the job", async () => {
    const rt = make();
    const job = defineJob({ name: "nightly", handler: async () => 1 });
    await rt.register([job]);
    await expect(rt.runNow(job, undefined)).rejects.toMatchObject({ code: "CORE_ERR_INVALID" });
    await rt.close();
  });

  it("rejects a pending runNow with JOBS_ERR_CLOSED when closed, even if the handler ignores its signal", async () => {
    const rt = make();
    let started = false;
    const deaf = defineJob({
      name: "deaf",
      handler: async () => {
        started = true;
        await new Promise(() => {});
      },
    });
    await rt.register([deaf]);
    await rt.startWorkers();
    const outcome = rt.runNow(deaf, undefined);
    await eventually(() => expect(started).toBe(true));
    await rt.close();
    await expect(outcome).rejects.toMatchObject({ code: JobsErrors.JOBS_ERR_CLOSED });
    expect((await rt.status("deaf")).lastRuns[0]).toMatchObject({ state: "interrupted", error: { code: JobsErrors.JOBS_ERR_ABORTED } });
  });
});
