import { describe, expect, it } from "vitest";
import { defineJob, definePartitionedJob } from "./define-job.ts";

const handler = async () => undefined;

describe("defineJob", () => {
  it("fills in defaults: UTC cron, skip-overlap for schedules, exponential 1 s backoff, runtime attempts", () => {
    const weekly = defineJob({ name: "retrain", schedule: { cron: "0 22 * * 0" }, handler });
    expect(weekly).toMatchObject({ kind: "job", schedule: { cron: "0 22 * * 0", timezone: "UTC" }, overlap: "skip", attempts: undefined });
    expect(weekly.backoff).toEqual({ type: "exponential", delayMs: 1000 });
    expect(defineJob({ name: "on-demand", handler }).overlap).toBe("allow");
    expect(defineJob({ name: "tick", schedule: { everyMs: 1000 }, overlap: "allow", handler }).overlap).toBe("allow");
    expect(Object.isFrozen(weekly)).toBe(true);
  });

  it("rejects names that cannot become queue names, and bad numbers", () => {
    for (const name of ["Retrain", "re:train", "re.train", "", "9lives", "x".repeat(64)]) {
      expect(() => defineJob({ name, handler }), name).toThrow(expect.objectContaining({ code: "CORE_ERR_INVALID" }));
    }
    expect(() => defineJob({ name: "a", attempts: 0, handler })).toThrow(/a.attempts/);
    expect(() => defineJob({ name: "a", timeoutMs: 1.5, handler })).toThrow(/a.timeoutMs/);
    expect(() => defineJob({ name: "a", backoff: { type: "fixed", delayMs: -1 }, handler })).toThrow(/a.backoff.delayMs/);
    expect(() => defineJob({ name: "a", schedule: { everyMs: 0 }, handler })).toThrow(/a.schedule.everyMs/);
  });

  it("validates cron expressions (5 or 6 fields) and IANA time zones", () => {
    expect(defineJob({ name: "a", schedule: { cron: "*/5 * * * * *", timezone: "Europe/London" }, handler }).schedule).toEqual({
      cron: "*/5 * * * * *",
      timezone: "Europe/London",
    });
    expect(() => defineJob({ name: "a", schedule: { cron: "0 25 * * *" }, handler })).toThrow(/a.schedule.cron/);
    expect(() => defineJob({ name: "a", schedule: { cron: "0 22 * * 0", timezone: "Mars/Olympus" }, handler })).toThrow(/a.schedule.timezone/);
  });
});

describe("definePartitionedJob", () => {
  it("requires 1–1024 partitions", () => {
    expect(definePartitionedJob({ name: "copy-fanout", partitions: 32, handler })).toMatchObject({ kind: "partitioned", partitions: 32 });
    for (const partitions of [0, 2.5, 1025]) expect(() => definePartitionedJob({ name: "p", partitions, handler })).toThrow(/p.partitions/);
  });
});
