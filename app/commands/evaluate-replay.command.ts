import { InvalidArgumentError, type Command } from "commander";
import { createLogger, invalid } from "../../core/index.ts";
import { readStatementFile } from "../../srm/statements/index.ts";
import {
  COMPARED,
  policyKind,
  relativeChanges,
  replayHistoryOf,
  replayTrades,
  resolveReplayPolicy,
  statementCashflows,
  type ReplayHistory,
  type ReplayPolicy,
  type ReplayResult,
} from "../../srm/replay/index.ts";
import { riskRulesFor } from "../../srm/index.ts";
import { loadAppConfig, type AppConfig } from "../config.ts";
import { buildContainer } from "../container.ts";
import { commandGroup } from "./srm.commands.ts";

interface ReplayCliOptions {
  statement: string;
  policy: string;
  compare?: string;
  balance?: number;
  leverage?: number;
  tz?: string;
  cashflows: "ignore" | "replay";
  stopOutLevel: number;
  resetNextDay?: boolean;
  json?: boolean;
}

const positive = (v: string) => {
  const n = Number(v);
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError("must be a positive number");
  return n;
};

/** The policies by name; the database (champions, experiments, shipped policy) is opened only when one needs it. */
async function resolvePolicies(specs: string[], config: AppConfig): Promise<ReplayPolicy[]> {
  if (specs.every((s) => policyKind(s) === "none")) return Promise.all(specs.map((s) => resolveReplayPolicy(s, null)));
  const c = await buildContainer({ config, logger: createLogger({ level: config.value.core.logLevel, destination: process.stderr }) });
  try {
    const sources = { prisma: c.db.prisma, champions: c.champions, configured: config.value.srmPolicy };
    const policies: ReplayPolicy[] = [];
    for (const s of specs) policies.push(await resolveReplayPolicy(s, sources));
    return policies;
  } finally {
    await c.close();
  }
}

function describePolicy(p: ReplayPolicy) {
  return p.kind === "none" ? { model: null, settings: null } : { model: p.models.slippage?.version ?? "formula (no slippage champion)", settings: p.policy };
}

/** What every report starts with: the statement, the follower's account and how the replay was run. */
function context(h: ReplayHistory, o: ReplayCliOptions) {
  return {
    statement: h.file,
    format: h.format,
    trades_in_statement: h.trades.length,
    currency: h.currency,
    starting_balance: h.startingBalance,
    starting_balance_source: h.startingBalanceSource,
    leverage: h.leverage,
    leverage_source: h.leverageSource,
    cashflows: o.cashflows,
    stop_out_level: o.stopOutLevel,
    halts: o.resetNextDay ? "reset at the next trading day" : "emergency stop and broker stop-out last the rest of the replay",
    exit_mode: "statement (no prices between open and close; stop-loss exits re-priced at buffered stops)",
  };
}

async function evaluateReplay(o: ReplayCliOptions): Promise<void> {
  if (o.cashflows !== "ignore" && o.cashflows !== "replay") throw invalid("cashflows", `must be ignore or replay, got "${o.cashflows}"`);
  const st = readStatementFile(o.statement, { tz: o.tz });
  const history = replayHistoryOf(st, { startingBalance: o.balance, leverage: o.leverage, cashflows: statementCashflows(st, o.tz) });
  const config = loadAppConfig();
  const policies = await resolvePolicies(o.compare ? [o.policy, o.compare] : [o.policy], config);
  const opts = { rules: riskRulesFor([], config.value.srmRisk), stopOutLevel: o.stopOutLevel, cashflows: o.cashflows, resetNextDay: o.resetNextDay ?? false };
  const [main, baseline] = policies.map((p) => ({ ...replayTrades(history, p, opts), ...describePolicy(p) }));
  const report = baseline ? { ...context(history, o), policy: main, compare: baseline, change: relativeChanges(main!, baseline) } : { ...context(history, o), ...main };
  process.stdout.write(o.json ? `${JSON.stringify(report, null, 2)}\n` : human(history, main!, baseline));
}

function human(h: ReplayHistory, a: ReplayResult, b: ReplayResult | undefined): string {
  const change = b ? relativeChanges(a, b) : null;
  const cell = (v: number | null | undefined) => (v === null || v === undefined ? "–" : String(v)).padStart(14);
  const pct = (v: number | null) => (v === null ? "–" : `${v >= 0 ? "+" : ""}${(100 * v).toFixed(1)}%`).padStart(10);
  return [
    `${h.file}: ${h.trades.length} trades, starting balance ${h.startingBalance.toFixed(2)} ${h.currency} (${h.startingBalanceSource}), leverage 1:${h.leverage} (${h.leverageSource})`,
    `${"".padEnd(18)}${a.policy.padStart(14)}${b ? b.policy.padStart(14) + "change".padStart(10) : ""}`,
    ...COMPARED.map((k) => `${k.padEnd(18)}${cell(a[k])}${b ? cell(b[k]) + pct(change![k]) : ""}`),
    "",
  ].join("\n");
}

/** `riskloop evaluate replay`: a provider's statement replayed through one SRM policy, or two side by side. */
export function registerEvaluateReplayCommand(program: Command): void {
  commandGroup(program, "evaluate", "Evaluate models on real data")
    .command("replay")
    .description("Replay a provider's statement through SRM policies: net profit, max drawdown %, stop-outs, trades copied and filtered, lots reduced")
    .requiredOption("--statement <file>", "statement file: MT4 HTML or the parsed .trades.csv, gzip'd or not")
    .requiredOption("--policy <policy>", "none | champion | experiment:<id>[:control|:treatment] | a JSON file of policy overrides")
    .option("--compare <policy>", "a second policy to compare with; changes are relative to it")
    .option("--balance <amount>", "the follower's starting balance (default: the statement's balance when its first trade opened)", positive)
    .option("--leverage <n>", "account leverage (default: the statement header's, else the lowest tier the provider's own positions needed)", positive)
    .option("--tz <zone>", "the broker server's time zone (default UTC)")
    .option("--cashflows <mode>", "ignore: the follower keeps its own money; replay: it also makes the provider's deposits and withdrawals", "ignore")
    .option("--stop-out-level <fraction>", "margin level at which the broker stops the account out", positive, 0.5)
    .option("--reset-next-day", "a halted account is reset at the next trading day instead of staying halted")
    .option("--json", "print JSON")
    .action(async (o: ReplayCliOptions) => {
      try {
        await evaluateReplay(o);
      } catch (err) {
        process.stderr.write(`riskloop: ${(err as Error).message}\n`);
        process.exitCode = (err as { kind?: string }).kind === "invalid" ? 2 : 1;
      }
    });
}
