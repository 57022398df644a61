import { Command } from "commander";
import { afterEach, describe, expect, it, vi } from "vitest";
import { hasSharedData, sharedDataPath } from "../../test/kit/shared-data.ts";
import { commandGroup, registerSrmCommands } from "./srm.commands.ts";

const names = (c: Command | undefined) => c?.commands.map((s) => s.name()) ?? [];

describe("registerSrmCommands", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  it("adds to an `import` group another area created first, and creates the groups it needs otherwise", () => {
    const program = new Command("riskloop");
    commandGroup(program, "import", "Bring data in").command("candles");
    registerSrmCommands(program);
    commandGroup(program, "import", "ignored: the group exists").command("ticks");
    expect(program.commands.filter((c) => c.name() === "import")).toHaveLength(1);
    expect(names(program.commands.find((c) => c.name() === "import"))).toEqual(["candles", "trades", "ticks"]);
    expect(names(program.commands.find((c) => c.name() === "evaluate"))).toEqual(["slippage", "score"]);
  });

  it("prints a failure as `riskloop: <message>` with exit code 2 for bad input", async () => {
    const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const program = new Command("riskloop").exitOverride();
    registerSrmCommands(program);
    await program.parseAsync(["node", "riskloop", "evaluate", "score", "--statement", "/nonexistent/statement.htm", "--json"]);
    expect(err).toHaveBeenCalledWith("riskloop: /nonexistent/statement.htm: no such file\n");
    expect(process.exitCode).toBe(2);
  });

  it.skipIf(!hasSharedData("trades", "parsed"))("prints `evaluate score` as JSON with per-statement and pooled Spearman ρ", async () => {
    const out: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => out.push(String(chunk)) > 0);
    const program = new Command("riskloop").exitOverride();
    registerSrmCommands(program);
    const file = sharedDataPath("trades", "parsed", "dyk42_projectgb_DetailedStatement.trades.csv");
    await program.parseAsync(["node", "riskloop", "evaluate", "score", "--statement", file, "--horizon", "10", "--json"]);
    const report = JSON.parse(out.join("")) as { horizon: number; statements: { name: string; pairs: number; spearman: number }[]; pooled: { pairs: number; spearman: number } };
    expect(report.horizon).toBe(10);
    expect(report.statements).toEqual([expect.objectContaining({ name: "dyk42_projectgb_DetailedStatement", pairs: 2064 - 9, spearman: expect.any(Number) })]);
    expect(report.pooled).toMatchObject({ pairs: 2064 - 9, spearman: expect.any(Number) });
  });
});
