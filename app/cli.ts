import { Command } from "commander";
import { RiskloopError, Vault } from "../core/index.ts";
import { applyMigrations, checkDrift, createMigration, migrationStatus, openDatabase } from "../prisma/index.ts";
import { startWorker } from "../jobs/index.ts";
import { startServer } from "../api/index.ts";
import { loadAppConfig } from "./config.ts";
import { buildContainer, type Container } from "./container.ts";
import { jobCatalog } from "./job-catalog.ts";
import { startJobs } from "./start-jobs.ts";
import { seedDemo } from "./demo.ts";
import { rotateVaultKeys } from "./key-rotation.ts";
import { writeReferenceDocs } from "./reference-docs.ts";
import { registerModelCommands } from "./commands/model.commands.ts";
import { registerSrmCommands } from "./commands/srm.commands.ts";
import { registerEvaluateReplayCommand } from "./commands/evaluate-replay.command.ts";
import { registerMarketDataCommands } from "./commands/market-data.commands.ts";
import path from "node:path";

/** Runs `fn`, printing a RiskloopError's message (e.g. a bad variable) instead of a stack trace. */
async function run(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof RiskloopError) {
      process.stderr.write(`riskloop: ${err.message}\n`);
      process.exit(err.kind === "invalid" ? 2 : 1);
    }
    throw err;
  }
}

async function openConfiguredDatabase(migrate: boolean) {
  const config = loadAppConfig();
  const { core, db } = config.value;
  return openDatabase({ url: db.url, pgliteDir: db.pgliteDir ?? path.join(core.home, "db"), migrate });
}

export function buildCli(): Command {
  const program = new Command("riskloop").description("Riskloop: the risk engine for copy trading and automated FX/CFD trading.");

  program
    .command("serve")
    .description("Start the API (and, without REDIS_URL, the in-process jobs)")
    .option("-p, --port <port>", "port (overrides API_PORT)", (v) => Number(v))
    .action((opts: { port?: number }) =>
      run(async () => {
        const container = await buildContainer();
        await startJobs(container);
        const { url } = await startServer(container, opts.port);
        container.logger.info({ url }, "Riskloop API listening");
      }),
    );

  program
    .command("demo")
    .description("Prepare the embedded database with demo data and start the API (the README's first command)")
    .option("-p, --port <port>", "port (overrides API_PORT)", (v) => Number(v))
    .action((opts: { port?: number }) =>
      run(async () => {
        const container = await buildContainer();
        await startJobs(container);
        const creds = await seedDemo(container);
        const { url } = await startServer(container, opts.port);
        const base = url.replace("0.0.0.0", "127.0.0.1");
        process.stdout.write(
          [
            "",
            "Riskloop is running.",
            `  API docs:  ${base}/docs`,
            `  Log in:    POST ${base}/auth/login  {"email":"${creds.email}","password":"${creds.password}"}`,
            `  Live feed: ws://${base.replace(/^https?:\/\//, "")}/ws?access_token=<token>`,
            "Press Ctrl+C to stop.",
            "",
          ].join("\n"),
        );
      }),
    );

  program
    .command("worker")
    .description("Run job workers (requires REDIS_URL); start as many as you like, on any machine")
    .option("--only <jobs>", "comma-separated job names this worker runs (default: every job); e.g. retrain-slippage in a process of its own, so its CPU does not hold up the copy lanes")
    .action((opts: { only?: string }) =>
      run(async () => {
        const container = await buildContainer();
        if (!container.config.value.jobs.redisUrl) throw new RiskloopError("CORE_ERR_CONFIG", "riskloop worker needs REDIS_URL; without it `riskloop serve` runs the jobs in-process");
        const only = opts.only?.split(",").map((name) => name.trim()).filter((name) => name.length > 0);
        const handle = await startWorker(container.jobs, jobCatalog(container), { logger: container.logger, ...(only ? { only } : {}) });
        await handle.stopped;
        await container.close();
        process.exit(0);
      }),
    );

  program
    .command("migrate")
    .description("Apply migrations (default), create one from schema changes, or report status/drift")
    .option("--create <name>", "create a migration from the difference between schema.prisma and the migrations")
    .option("--status", "show applied and pending migrations")
    .option("--check", "exit 2 when schema.prisma and the migrations disagree")
    .action((opts: { create?: string; status?: boolean; check?: boolean }) =>
      run(async () => {
        if (opts.create) {
          const created = await createMigration(opts.create);
          process.stdout.write(created ? `created ${created.name}\n` : "no schema changes\n");
        } else if (opts.check) {
          const diff = await checkDrift();
          process.stdout.write(diff ? `schema and migrations disagree:\n${diff}\n` : "schema and migrations agree\n");
          if (diff) process.exitCode = 2;
        } else {
          const db = await openConfiguredDatabase(false);
          try {
            if (opts.status) process.stdout.write(`${JSON.stringify(await migrationStatus(db), null, 2)}\n`);
            else process.stdout.write(`applied: ${JSON.stringify(await applyMigrations(db))}\n`);
          } finally {
            await db.close();
          }
        }
        process.exit(process.exitCode ?? 0);
      }),
    );

  const keys = program.command("keys").description("Credential vault keys");
  keys
    .command("generate")
    .description("Print a new random key entry for RISKLOOP_VAULT_KEYS")
    .argument("<id>", "key id, e.g. k2026")
    .action((id: string) => {
      process.stdout.write(`${Vault.generateKeySpec(id)}\n`);
    });
  keys
    .command("rotate")
    .description("Re-encrypt every stored secret under the first (active) key of RISKLOOP_VAULT_KEYS")
    .action(() =>
      run(async () => {
        const container = await buildContainer();
        const report = await rotateVaultKeys(container.db.prisma, container.vault);
        process.stdout.write(`${JSON.stringify(report)}\n`);
        await container.close();
      }),
    );

  program
    .command("users:create")
    .description("Create a user (e.g. the first admin)")
    .requiredOption("--email <email>")
    .requiredOption("--password <password>")
    .option("--role <role>", "USER, QUANT or ADMIN", "USER")
    .action((opts: { email: string; password: string; role: "USER" | "QUANT" | "ADMIN" }) =>
      run(async () => {
        const container = await buildContainer();
        const user = await container.users.register({ email: opts.email, password: opts.password, role: opts.role });
        process.stdout.write(`created ${user.email} (${user.role}) ${user.id}\n`);
        await container.close();
      }),
    );

  registerModelCommands(program);
  registerMarketDataCommands(program, { buildContainer });
  registerSrmCommands(program);
  registerEvaluateReplayCommand(program);

  program
    .command("docs")
    .description("Regenerate docs/errors.md and the README's configuration table from the code")
    .action(() => {
      writeReferenceDocs();
      process.stdout.write("wrote docs/errors.md and README.md configuration table\n");
    });

  return program;
}

/** Runs the CLI. A RiskloopError (bad input, missing data) is printed as `riskloop: <message>`, not as a stack trace; exit code 2 for bad input, else 1. */
export async function main(argv: string[]): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (err) {
    if (!(err instanceof RiskloopError)) throw err;
    process.stderr.write(`riskloop: ${err.message}\n`);
    process.exitCode = err.kind === "invalid" ? 2 : 1;
  }
}
