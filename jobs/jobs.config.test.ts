import { describe, expect, it } from "vitest";
import { loadConfig } from "../core/index.ts";
import { jobsConfig } from "./jobs.config.ts";

const load = (env: Record<string, string>) => loadConfig({ jobs: jobsConfig }, env, ["JOBS_"]).value.jobs;

describe("jobs config", () => {
  it("defaults to in-process with documented defaults", () => {
    expect(load({})).toEqual({ redisUrl: undefined, concurrency: 4, prefix: "riskloop", defaultAttempts: 3 });
  });

  it("accepts redis and rediss URLs and rejects others, naming the variable", () => {
    expect(load({ REDIS_URL: "rediss://:pw@cache.internal:6380/2" }).redisUrl).toBe("rediss://:pw@cache.internal:6380/2");
    expect(() => load({ REDIS_URL: "http://cache:6379" })).toThrow(/REDIS_URL=\(secret value hidden\) protocol must be one of redis, rediss/);
  });

  it("validates numbers and the prefix, and rejects unknown JOBS_ variables", () => {
    expect(() => load({ JOBS_CONCURRENCY: "0" })).toThrow(/JOBS_CONCURRENCY/);
    expect(() => load({ JOBS_PREFIX: "a:b" })).toThrow(/JOBS_PREFIX/);
    expect(() => load({ JOBS_CONCURENCY: "3" })).toThrow(/JOBS_CONCURENCY is not a known variable \(did you mean JOBS_CONCURRENCY\?\)/);
  });
});
