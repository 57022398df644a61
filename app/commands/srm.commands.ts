import type { Command } from "commander";
import { conventionalPipSize, createLogger } from "../../core/index.ts";
import { DbMarketDataReader } from "../../analysis/market-data/index.ts";
import { evaluateScore, evaluateSlippage, readFillsFile, type ScoreEvaluation, type SlippageEvaluation } from "../../srm/evaluation/index.ts";
import { importStatement, readStatementFile, storedFillContext, type ImportSummary } from "../../srm/statements/index.ts";
import { loadAppConfig } from "../config.ts";
import { buildContainer, type Container } from "../container.ts";

const DAY_MS = 86_400_000;
const UTC_NOTE = "no --tz given: broker times were read as UTC (MT4 servers usually run at UTC+2/+3; pass e.g. --tz nyclose or --tz +02:00)";

/**
 * The subcommand group `name` of `program`, created on first use. Areas that add subcommands to the same
 * group (`import trades` here, `import candles` in market data) call this instead of `program.command(name)`,
 * which commander refuses to do twice.
 */
export function commandGroup(program: Command, name: string, description: string): Command {
  return program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);
}

/** Runs `fn`, printing any failure as `riskloop: <message>` (exit code 2 for bad input, else 1). */
async function guarded(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    process.stderr.write(`riskloop: ${(err as Error).message}\n`);
    process.exitCode = (err as { kind?: string }).kind === "invalid" ? 2 : 1;
  }
}

/** Runs `fn` with a container and closes it afterwards; logs go to stderr so stdout carries only the report. */
async function usingContainer(fn: (c: Container) => Promise<void>): Promise<void> {
  const config = loadAppConfig();
  const container = await buildContainer({ config, logger: createLogger({ level: config.value.core.logLevel, destination: process.stderr }) });
  try {
    await fn(container);
  } finally {
    await container.close();
  }
}

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
const pct = (x: number | null) => (x === null ? "–" : `${(100 * x).toFixed(1)}%`);
const num = (x: number | null, digits = 3) => (x === null ? "–" : x.toFixed(digits));

interface ImportOptions {
  tz?: string;
  name?: string;
  demo?: boolean;
  owner?: string;
  json?: boolean;
}

async function importTrades(file: string, opts: ImportOptions): Promise<void> {
  // A bad file fails here, before the database is opened.
  const statement = readStatementFile(file, { tz: opts.tz });
  await usingContainer(async (c) => {
    const summary = await importStatement(c.db.prisma, c.audit, statement, {
      name: opts.name,
      demo: opts.demo,
      ownerEmail: opts.owner,
      context: storedFillContext(new DbMarketDataReader(c.db)),
    });
    const note = opts.tz ? undefined : UTC_NOTE;
    if (opts.json) print({ ...summary, ...(note ? { timeZoneNote: note } : {}) });
    else process.stdout.write(humanImport(summary, note));
  });
}

async function evaluateFills(opts: { fills: string; tz?: string; json?: boolean }): Promise<void> {
  const fills = readFillsFile(opts.fills, { tz: opts.tz });
  await usingContainer(async (c) => {
    const now = c.clock.now();
    const report = await evaluateSlippage(c.db.prisma, c.registry, fills, {
      window: { from: new Date(now - c.config.value.srm.trainWindowDays * DAY_MS), to: new Date(now + 1) },
      pipSizeOf: conventionalPipSize,
      context: storedFillContext(new DbMarketDataReader(c.db)),
    });
    if (opts.json) print(report);
    else process.stdout.write(humanSlippage(report));
  });
}

/** Statements only: no database is needed, so no container (and no lock on the embedded database). */
async function evaluateStatements(opts: { statement: string[]; horizon: number; tz?: string; json?: boolean }): Promise<void> {
  const report = evaluateScore(
    opts.statement.map((f) => readStatementFile(f, { tz: opts.tz })),
    { horizon: opts.horizon },
  );
  if (opts.json) print(report);
  else process.stdout.write(humanScore(report));
}

/** `riskloop import trades`, `riskloop evaluate slippage`, `riskloop evaluate score`. */
export function registerSrmCommands(program: Command): void {
  commandGroup(program, "import", "Bring data in")
    .command("trades")
    .description("Import an MT4 statement (HTML, or the parsed .trades.csv; gzip'd or not) as a signal provider with its trades, SL/TP fills and score")
    .argument("<file>", "statement file")
    .option("--tz <zone>", "the broker server's time zone: IANA name, ±HH:MM or nyclose (default UTC)")
    .option("--name <name>", "provider name (default: broker and account number); re-importing under one name adds to one provider")
    .option("--demo", "mark the provider as a demo account")
    .option("--owner <email>", "user who owns the imported account (default: the first admin)")
    .option("--json", "print the summary as JSON")
    .action((file: string, opts: ImportOptions) => guarded(() => importTrades(file, opts)));

  const evaluate = commandGroup(program, "evaluate", "Evaluate models on real data");
  evaluate
    .command("slippage")
    .description("Score the slippage champion and the baselines (fitted on the champion's training rows) on a file of real SL/TP fills")
    .requiredOption("--fills <file>", "fills with the columns of sl_tp_fill_slippage.csv")
    .option("--tz <zone>", "the broker server's time zone of the fills' times (default UTC, as on import)")
    .option("--json", "print JSON")
    .action((opts: { fills: string; tz?: string; json?: boolean }) => guarded(() => evaluateFills(opts)));
  evaluate
    .command("score")
    .description("Walk-forward check of the provider score: Spearman ρ between the score before each trade and the next trades' net result")
    .requiredOption("--statement <files...>", "statement files (HTML or .trades.csv)")
    .option("--horizon <n>", "trades in the forward result", (v) => Number(v), 20)
    .option("--tz <zone>", "the broker server's time zone (default UTC)")
    .option("--json", "print JSON")
    .action((opts: { statement: string[]; horizon: number; tz?: string; json?: boolean }) => guarded(() => evaluateStatements(opts)));
}

function humanImport(s: ImportSummary, note: string | undefined): string {
  const k = s.skipped;
  return [
    `${s.file} (${s.format}), times ${s.timeZone}${note ? ` — ${note}` : ""}`,
    `provider  ${s.provider.name} ${s.provider.id} (${s.provider.created ? "new" : "existing"})${s.provider.isDemo ? `, flagged demo: ${s.provider.demoReasons.join("; ")}` : ""}`,
    `trades    ${s.trades.imported} imported, ${s.trades.alreadyPresent} already present (of ${s.trades.read} closed trades)`,
    `skipped   ${k.aggregate} aggregate rows, ${k.open} open positions, ${k.cancelled} cancelled orders, ${k.working} working orders, ${k.cashflow} balance rows`,
    `fills     ${s.fills.sl} SL + ${s.fills.tp} TP exits (${s.fills.imported} new), ${pct(s.fills.nonZeroShare)} with non-zero slippage, ${s.fills.withMarketContext} with market context${s.fills.withoutLevel ? `, ${s.fills.withoutLevel} labelled exits without a level skipped` : ""}`,
    `net       statement ${s.reconciliation.statementNet ?? "–"} = trades ${s.reconciliation.tradesNet} + aggregate rows ${s.reconciliation.aggregatesNet}: ${s.reconciliation.matches === null ? "no figure to check" : s.reconciliation.matches ? "reconciles" : "DOES NOT reconcile"}`,
    `score     ${num(s.score.score, 1)} ± ${num(s.score.uncertainty, 1)} over ${s.score.tradeCount} trades as of ${s.score.asOf ?? "–"} (${s.score.update})`,
    "",
  ].join("\n");
}

function humanSlippage(r: SlippageEvaluation): string {
  const line = (name: string, m: { pinball_p50: number | null; pinball_p90: number | null; coverage_p90: number | null; within_half_pip: number | null }) =>
    `${name.padEnd(26)} ${num(m.pinball_p50).padStart(9)} ${num(m.pinball_p90).padStart(9)} ${pct(m.coverage_p90).padStart(8)} ${pct(m.within_half_pip).padStart(8)}`;
  return [
    `${r.n} fills from ${r.fills.file} (${r.fills.duplicates_removed} duplicates removed, ${r.fills.in_training_rows} also in the training rows)`,
    `${"".padEnd(26)} ${"pin p50".padStart(9)} ${"pin p90".padStart(9)} ${"cov p90".padStart(8)} ${"±½ pip".padStart(8)}`,
    r.champion && !r.champion.error ? line(`champion ${r.champion.version}`, r) : `champion: ${r.champion_note}`,
    line("baseline global", r.baselines.global),
    line("baseline symbol+session", r.baselines.symbol_session),
    "",
  ].join("\n");
}

function humanScore(r: ScoreEvaluation): string {
  return [
    `Spearman ρ of the score before each trade vs the net result of the next ${r.horizon} trades`,
    ...r.statements.map((s) => `  ${s.name.padEnd(48)} ${String(s.pairs).padStart(6)} pairs  ρ ${num(s.spearman)}  (trailing baseline ${num(s.spearman_trailing)})`),
    `  ${"pooled".padEnd(48)} ${String(r.pooled.pairs).padStart(6)} pairs  ρ ${num(r.pooled.spearman)}  (trailing baseline ${num(r.pooled.spearman_trailing)})`,
    ...r.warnings.map((w) => `warning: ${w}`),
    "",
  ].join("\n");
}
