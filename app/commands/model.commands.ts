import { SingleBar } from "cli-progress";
import type { Command } from "commander";
import { conventionalPipSize, createLogger } from "../../core/index.ts";
import { loadAppConfig } from "../config.ts";
import { writeFileSync } from "node:fs";
import { experimentReport, scoreModelReport, slippageModelReport } from "../../notebooks/index.ts";
import { trainScore, trainSlippage } from "../../srm/index.ts";
import { buildContainer, type Container } from "../container.ts";

/** A terminal progress bar when stdout is a TTY, plain lines otherwise. */
export function progressReporter(label: string): { update(fraction: number, note: string): void; stop(): void } {
  if (!process.stdout.isTTY) {
    return { update: (f, note) => process.stderr.write(`${label}: ${Math.round(f * 100)}% ${note}\n`), stop: () => {} };
  }
  const bar = new SingleBar({ format: `${label} [{bar}] {percentage}% {note}`, hideCursor: true });
  bar.start(100, 0, { note: "" });
  return { update: (f, note) => bar.update(Math.round(f * 100), { note }), stop: () => bar.stop() };
}

async function withContainer(fn: (c: Container) => Promise<void>): Promise<void> {
  const config = loadAppConfig();
  const container = await buildContainer({ config, logger: createLogger({ level: config.value.core.logLevel, stderr: true }) });
  try {
    await fn(container);
  } finally {
    await container.close();
  }
}

/** `riskloop train` and `riskloop models`: train candidates, list versions, promote or roll back. */
export function registerModelCommands(program: Command): void {
  const train = program.command("train").description("Train a model candidate from the database");
  train
    .command("slippage")
    .description("Train the slippage quantile models on the execution logs; the best family on the hold-out becomes a candidate")
    .option("--promote", "promote the candidate if it passes the gate against the champion (or the baselines)")
    .option("--seed <n>", "random seed", (v) => Number(v), 42)
    .action((opts: { promote?: boolean; seed: number }) =>
      withContainer(async (c) => {
        const cfg = c.config.value.srm;
        const now = c.clock.now();
        const progress = progressReporter("train slippage");
        try {
          const report = await trainSlippage(c.db.prisma, c.registry, c.logger, {
            window: { from: new Date(now - cfg.trainWindowDays * 86_400_000), to: new Date(now + 1) },
            seed: opts.seed,
            minRows: cfg.minTrainingRows,
            gate: { minAbsolute: cfg.promoteMinAbsolute, minRelative: cfg.promoteMinRelative },
            autoPromote: opts.promote ?? false,
            configHash: c.config.hash,
            pipSizeOf: conventionalPipSize,
            onProgress: (f, note) => progress.update(f, note),
          });
          progress.stop();
          process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        } finally {
          progress.stop();
        }
      }),
    );

  train
    .command("score")
    .description("Fit the provider score's priors to the providers on record and validate them walk-forward")
    .option("--promote", "promote the candidate if its forward rank correlation beats the champion's by the gate's margin")
    .action((opts: { promote?: boolean }) =>
      withContainer(async (c) => {
        const cfg = c.config.value.srm;
        const report = await trainScore(c.db.prisma, c.registry, {
          gate: { minAbsolute: cfg.promoteMinAbsolute, minRelative: cfg.promoteMinRelative },
          autoPromote: opts.promote ?? false,
          configHash: c.config.hash,
        });
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      }),
    );

  const report = program.command("report").description("Self-contained HTML reports with charts, for quants");
  report
    .command("model")
    .argument("<kind>", "slippage or score")
    .option("--version <version>", "a kept version (default: the champion)")
    .option("--out <file>", "where to write the HTML", "")
    .action((kind: string, opts: { version?: string; out: string }) =>
      withContainer(async (c) => {
        const html = kind === "score" ? await scoreModelReport(c.db.prisma) : await slippageModelReport(c.db.prisma, c.registry, opts.version);
        const out = opts.out || `riskloop-${kind}-report.html`;
        writeFileSync(out, html);
        process.stdout.write(`wrote ${out}\n`);
      }),
    );

  report
    .command("experiment")
    .argument("<id>", "experiment id")
    .option("--out <file>", "where to write the HTML", "")
    .action((id: string, opts: { out: string }) =>
      withContainer(async (c) => {
        const experiment = await c.experiments.get(id);
        const out = opts.out || `riskloop-experiment-${experiment.name}.html`;
        writeFileSync(out, await experimentReport(experiment, await c.experiments.evaluate(experiment)));
        process.stdout.write(`wrote ${out}\n`);
      }),
    );

  const models = program.command("models").description("Model registry");
  models
    .command("list")
    .argument("<kind>", "slippage or score")
    .action((kind: string) =>
      withContainer(async (c) => {
        const champion = await c.registry.champion(kind);
        for (const v of await c.registry.list(kind)) {
          process.stdout.write(`${v.version === champion?.version ? "*" : " "} ${v.version}  ${v.status.padEnd(9)} rows=${v.rowCount}  ${v.createdAt.toISOString()}\n`);
        }
      }),
    );
  models
    .command("promote")
    .description("Make a kept version the champion (also how to roll back)")
    .argument("<kind>")
    .argument("<version>")
    .requiredOption("--reason <text>", "why, for the audit log")
    .action((kind: string, version: string, opts: { reason: string }) =>
      withContainer(async (c) => {
        const row = await c.registry.promote(kind, version, { reason: opts.reason, userId: null });
        process.stdout.write(`champion of ${kind} is now ${row.version}\n`);
      }),
    );
}
