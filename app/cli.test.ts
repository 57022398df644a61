import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "./cli.ts";

describe("riskloop CLI", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    process.exitCode = undefined;
  });

  it("prints a command's RiskloopError as `riskloop: <message>` with exit code 2, not a stack trace", async () => {
    vi.stubEnv("RISKLOOP_HOME", mkdtempSync(path.join(os.tmpdir(), "riskloop-cli-")));
    vi.stubEnv("DATABASE_URL", "");
    vi.stubEnv("RISKLOOP_LOG_LEVEL", "silent");
    const err: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk) => err.push(String(chunk)) > 0);
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    await main(["node", "riskloop", "train", "slippage"]);
    expect(err.filter((line) => line.startsWith("riskloop: "))).toEqual(["riskloop: executions: a slippage model needs at least 200 filled executions in the window; found 0\n"]);
    expect(process.exitCode).toBe(2);
  }, 60_000);
});
