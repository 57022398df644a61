import { describe, expect, it } from "vitest";
import { evaluateExperiment, type Experiment } from "../srm/index.ts";
import { experimentReport } from "./experiment-report.ts";

const experiment: Experiment = {
  id: "00000000-0000-7000-8000-000000000001",
  name: "wider-buffer",
  description: null,
  status: "RUNNING",
  control: { policy: {} },
  treatment: { policy: { slBufferMaxPips: 4 } },
  pilotShare: 0.2,
  metrics: ["pnl_per_trade", "max_drawdown"],
  minSamplePerArm: 5,
  accountIds: null,
  createdById: null,
  createdAt: new Date(Date.UTC(2024, 0, 1)),
  startedAt: new Date(Date.UTC(2024, 0, 1)),
  stoppedAt: null,
  shippedAt: null,
} as unknown as Experiment;

describe("experiment report", () => {
  it("renders the recommendation, the SRM check, the metrics table and the interval chart", async () => {
    const arm = (shift: number, accounts: number) => {
      const pnl = Array.from({ length: accounts * 10 }, (_, i) => ((i * 37) % 11) - 5 + shift);
      return {
        units: accounts,
        pnl: { values: pnl, accounts: pnl.map((_, i) => `a${shift}-${i % accounts}`) },
        slippage: { values: [], accounts: [] },
        maxDrawdown: Array.from({ length: accounts }, (_, i) => 0.05 + (i % 3) * 0.01),
        stopOuts: Array.from({ length: accounts }, () => 0),
      };
    };
    const evaluation = evaluateExperiment({ CONTROL: arm(0, 40), TREATMENT: arm(2, 10) }, { from: new Date(Date.UTC(2024, 0, 1)), to: new Date(Date.UTC(2024, 1, 1)) }, {
      pilotShare: 0.2,
      metrics: ["pnl_per_trade", "max_drawdown"],
      minSamplePerArm: 5,
      seed: 1,
    });
    const html = await experimentReport(experiment, evaluation);
    expect(html).toContain("Recommendation:");
    expect(html).toContain("Sample-ratio check");
    expect(html).toContain("pnl_per_trade");
    expect((html.match(/<svg/g) ?? []).length).toBe(1);
    expect(html).toContain("Treatment − control (95% bootstrap interval)");
  });

  it("says there is nothing to evaluate before the experiment starts", async () => {
    const html = await experimentReport({ ...experiment, status: "DRAFT", startedAt: null } as Experiment, null);
    expect(html).toContain("has not started");
  });
});
