import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Command } from "commander";
import { afterEach, describe, expect, it, vi } from "vitest";
import { hasSharedData, sharedDataPath, describeIfData } from "../../test/kit/shared-data.ts";
import { NONE_POLICY, statementCashflows, replayHistoryOf, replayTrades } from "../../srm/replay/index.ts";
import { readStatementFile } from "../../srm/statements/index.ts";
import { registerEvaluateReplayCommand } from "./evaluate-replay.command.ts";

const STATEMENT = sharedDataPath("trades", "parsed", "sujayjamdade01_DetailedStatement.trades.csv");

/** Runs `riskloop evaluate replay …` in-process and returns what it printed. */
async function run(args: string[]): Promise<{ out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => out.push(String(chunk)) > 0);
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => err.push(String(chunk)) > 0);
  const program = new Command("riskloop").exitOverride();
  registerEvaluateReplayCommand(program);
  await program.parseAsync(["node", "riskloop", "evaluate", "replay", ...args]);
  vi.restoreAllMocks();
  return { out: out.join(""), err: err.join("") };
}

describe("riskloop evaluate replay", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  it("prints a failure as `riskloop: <message>` with exit code 2 for bad input", async () => {
    const { err } = await run(["--statement", "/nonexistent.htm", "--policy", "none"]);
    expect(err).toBe("riskloop: /nonexistent.htm: no such file\n");
    expect(process.exitCode).toBe(2);
  });

  describeIfData(hasSharedData("trades", "parsed", "sujayjamdade01_DetailedStatement.trades.csv"), "on a real statement", () => {
    it("prints one policy's figures as JSON, without opening the database for `none`", async () => {
      const { out } = await run(["--statement", STATEMENT, "--policy", "none", "--json"]);
      const report = JSON.parse(out) as Record<string, unknown>;
      const st = readStatementFile(STATEMENT);
      const expected = replayTrades(replayHistoryOf(st, { cashflows: statementCashflows(st) }), NONE_POLICY);
      expect(report).toMatchObject({ starting_balance: 10_000, starting_balance_source: "statement", net_profit: expected.net_profit, max_drawdown_pct: expected.max_drawdown_pct, stop_outs: expected.stop_outs, trades: expected.trades, trades_filtered: expected.trades_filtered, lots_reduced: 0 });
      // An unknown policy is refused before any database is opened.
      const refused = await run(["--statement", STATEMENT, "--policy", "experimental"]);
      expect(refused.err).toMatch(/^riskloop: policy: "experimental" is none, champion/);
      expect(process.exitCode).toBe(2);
    });

    it("compares the champion with `none`, side by side with relative changes", async () => {
      const home = process.env.RISKLOOP_HOME;
      process.env.RISKLOOP_HOME = mkdtempSync(path.join(os.tmpdir(), "riskloop-replay-"));
      try {
        const { out } = await run(["--statement", STATEMENT, "--policy", "champion", "--compare", "none", "--json", "--reset-next-day"]);
        type Figures = { policy: string; max_drawdown_pct: number; stop_outs: number; lots_reduced: number };
        const report = JSON.parse(out) as { policy: Figures & { model: string }; compare: Figures; change: Record<string, number> };
        expect(report.policy.model).toBe("formula (no slippage champion)");
        expect(report.compare).toMatchObject({ policy: "none", lots_reduced: 0 });
        expect(report.change.max_drawdown_pct).toBeCloseTo((report.policy.max_drawdown_pct - report.compare.max_drawdown_pct) / report.compare.max_drawdown_pct, 4);
        expect(report.change.stop_outs).toBeCloseTo((report.policy.stop_outs - report.compare.stop_outs) / report.compare.stop_outs, 4);
      } finally {
        if (home === undefined) delete process.env.RISKLOOP_HOME;
        else process.env.RISKLOOP_HOME = home;
      }
    });
  });
});
