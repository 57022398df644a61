import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { hasSharedData, sharedDataPath, describeIfData } from "../../test/kit/shared-data.ts";
import { BUILDER_EPOCH, buildTrade, randomOutcomes, tradeSeries } from "./closed-trade.builder.ts";
import { forwardRankCorrelation, type StatementTrades } from "./forward-rank-correlation.ts";
import { parseStatementTrades } from "./statement-trades.ts";

const DAY = 86_400_000;

/** Seeded outcomes whose win probability switches between 0.75 and 0.25 every `regime` trades. */
const regimes = (n: number, regime: number, seed: number) => randomOutcomes(n, (i) => (Math.floor(i / regime) % 2 === 0 ? 0.75 : 0.25), 1.2, seed);

describe("forwardRankCorrelation", () => {
  it("finds the persistence of a provider whose form comes in long regimes", () => {
    const statement = { name: "regimes", trades: tradeSeries(regimes(1200, 300, 17), BUILDER_EPOCH, DAY) };
    const report = forwardRankCorrelation([statement], { horizon: 20 });
    expect(report.perStatement[0]?.pairs).toBe(1181);
    // Measured 0.56; the trailing-20 baseline reaches 0.72 here because the score is deliberately slow.
    expect(report.perStatement[0]?.rho).toBeGreaterThan(0.4);
  });

  it("finds nothing in a provider whose trades are independent draws", () => {
    const statement = { name: "iid", trades: tradeSeries(randomOutcomes(1200, 0.5, 1.2, 7), BUILDER_EPOCH, DAY) };
    const rho = forwardRankCorrelation([statement], { horizon: 20 }).perStatement[0]?.rho ?? 1;
    expect(Math.abs(rho)).toBeLessThan(0.1);
  });

  it("scores only from trades closed before each decision (no look-ahead)", () => {
    // Every trade opens before the first one closes, so each decision sees no history: all scores tie at the prior.
    const trades = Array.from({ length: 30 }, (_, i) =>
      buildTrade({ r: i % 3 === 0 ? -1 : 2, at: BUILDER_EPOCH + i * 60_000, closeTime: BUILDER_EPOCH + DAY + i * 60_000 }),
    );
    const report = forwardRankCorrelation([{ name: "overlapping", trades }], { horizon: 5 });
    expect(report.perStatement[0]?.pairs).toBe(26);
    expect(report.perStatement[0]?.rho).toBeNull();
  });

  it("pools statements and ranks them against each other", () => {
    const good = { name: "good", trades: tradeSeries(randomOutcomes(300, 0.7, 1.2, 1), BUILDER_EPOCH, DAY) };
    const bad = { name: "bad", trades: tradeSeries(randomOutcomes(300, 0.3, 1.2, 2), BUILDER_EPOCH, DAY) };
    const report = forwardRankCorrelation([good, bad, { name: "short", trades: good.trades.slice(0, 10) }], { horizon: 20 });
    expect(report.perStatement.map((s) => s.pairs)).toEqual([281, 281, 0]);
    expect(report.perStatement[2]?.rho).toBeNull();
    expect(report.pooled.pairs).toBe(562);
    expect(report.pooled.rho).toBeGreaterThan(0.5);
    expect(report.acrossStatements).toEqual({ statements: 2, rho: 1 });
  });
});

const PARSED = "trades/parsed";
/** The non-demo statement of account 535110 is a subset of the demo one (INDEX.md §2): counting both doubles it. */
const DUPLICATE = "patrickingle_4xlots_DetailedStatement";

describeIfData(hasSharedData(PARSED), "forwardRankCorrelation on the real MT4 statements", () => {
  it("reports per-statement and pooled ρ between the score and the next 20 trades' net result", () => {
    const statements: StatementTrades[] = readdirSync(sharedDataPath(PARSED))
      .filter((f) => f.endsWith(".trades.csv") && !f.startsWith(`${DUPLICATE}.`))
      .map((f) => ({ name: f.replace(/\.trades\.csv$/, ""), trades: parseStatementTrades(readFileSync(sharedDataPath(PARSED, f), "utf8")) }));
    const report = forwardRankCorrelation(statements, { horizon: 20 });

    const f = (x: number | null) => (x === null ? "   n/a" : x.toFixed(3).padStart(6));
    const lines = report.perStatement.map((s) => `${s.name.padEnd(44)} ${String(s.trades).padStart(5)} ${String(s.pairs).padStart(5)} ${f(s.rho)} ${f(s.rhoUncapped)} ${f(s.rhoTrailing)}`);
    console.log(
      [
        "statement                                    trades pairs    rho uncapd trail20",
        ...lines,
        `pooled ${report.pooled.pairs} pairs: rho ${f(report.pooled.rho)}, uncapped ${f(report.pooled.rhoUncapped)}, trailing-20 baseline ${f(report.pooled.rhoTrailing)}`,
        `mean per-statement rho ${f(report.meanRho)}; across ${report.acrossStatements.statements} statements ${f(report.acrossStatements.rho)}`,
      ].join("\n"),
    );

    expect(report.pooled.pairs).toBe(13_916);
    expect(report.perStatement.find((s) => s.name.startsWith("mamolas"))?.pairs).toBe(4501);
    for (const s of report.perStatement) if (s.rho !== null) expect(Math.abs(s.rho)).toBeLessThanOrEqual(1);
    // Measured with the default parameters (not tuned to these files): within a statement the score barely
    // predicts the next 20 trades (pooled ρ ≈ 0.05), but it ranks the providers themselves well (ρ ≈ 0.8 over
    // 9 statements). Guard both against regressions with generous margins.
    expect(report.pooled.rho!).toBeGreaterThan(0);
    expect(report.acrossStatements.rho!).toBeGreaterThan(0.5);
  });
});
