import path from "node:path";
import {
  LocalEventBus,
  Vault,
  createLogger,
  systemClock,
  type Clock,
  type EventBus,
  type Logger,
} from "../core/index.ts";
import { AuditLog, openDatabase, type Database } from "../prisma/index.ts";
import { createJobRuntime, redisPing, type JobRuntime } from "../jobs/index.ts";
import { AccountService } from "../trading/accounts/index.ts";
import { storedMarketFacts } from "../trading/market-facts/stored-market-facts.ts";
import { ChampionCache, ModelRegistry, SrmService, staticPolicy, type MarketFacts } from "../srm/index.ts";
import { loadAppConfig, type AppConfig } from "./config.ts";
import { resolveSecrets, type ServiceSecrets } from "./local-secrets.ts";
import { UserService } from "./users.ts";

/** Everything a process of the service needs, built once from configuration. */
export interface Container {
  readonly config: AppConfig;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly db: Database;
  readonly vault: Vault;
  readonly secrets: ServiceSecrets;
  readonly bus: EventBus;
  readonly jobs: JobRuntime;
  readonly audit: AuditLog;
  readonly users: UserService;
  readonly accounts: AccountService;
  readonly registry: ModelRegistry;
  readonly champions: ChampionCache;
  readonly srm: SrmService;
  /** Symbol specification, quote and conversion rate for an account's next decision. */
  marketFacts(accountId: string, symbol: string): Promise<MarketFacts>;
  /** Readiness probes; `redis` exists only when Redis is configured. */
  readonly checks: { database(): Promise<void>; redis?: () => Promise<void> };
  close(): Promise<void>;
}

export interface ContainerOptions {
  config?: AppConfig;
  env?: Record<string, string | undefined>;
  /** An already open database (tests share one per suite). */
  db?: Database;
  logger?: Logger;
  clock?: Clock;
}

/** Composition root: opens the database (migrated), the vault, the job runtime and the services. */
export async function buildContainer(opts: ContainerOptions = {}): Promise<Container> {
  const config = opts.config ?? loadAppConfig(opts.env);
  const { core, db: dbCfg, jobs: jobsCfg, vault: vaultCfg, api } = config.value;
  const logger = opts.logger ?? createLogger({ level: core.logLevel });
  const clock = opts.clock ?? systemClock;
  const embedded = !dbCfg.url;
  const secrets = resolveSecrets({ home: core.home, embedded, vaultKeys: vaultCfg.keys, jwtSecret: api.jwtSecret });
  const vault = new Vault(Vault.parseKeyring(secrets.vaultKeys));

  const db =
    opts.db ??
    (await openDatabase({ url: dbCfg.url, pgliteDir: dbCfg.pgliteDir ?? path.join(core.home, "db"), migrate: true, logger }));
  const jobs = createJobRuntime({ ...jobsCfg, logger });
  const redis = jobsCfg.redisUrl ? redisPing(jobsCfg.redisUrl) : null;
  const bus = new LocalEventBus();
  const audit = new AuditLog(db.prisma);
  const users = new UserService(db.prisma, clock);
  const accounts = new AccountService(db.prisma, vault, audit);
  const srmCfg = config.value.srm;
  const registry = new ModelRegistry(db.prisma, audit, bus, clock, logger, srmCfg.modelDir ?? path.join(core.home, "models"), srmCfg.keepVersions);
  const champions = new ChampionCache(registry, bus, logger);
  await champions.start();
  const srm = new SrmService(db.prisma, champions, staticPolicy(config.value.srmPolicy), () => null, bus, clock, logger);
  const marketFacts = async (accountId: string, symbol: string) => {
    const account = await db.prisma.brokerAccount.findUniqueOrThrow({ where: { id: accountId }, select: { currency: true } });
    return storedMarketFacts(db.prisma, symbol, account.currency, clock.now());
  };

  return {
    config,
    logger,
    clock,
    db,
    vault,
    secrets,
    bus,
    jobs,
    audit,
    users,
    accounts,
    registry,
    champions,
    srm,
    marketFacts,
    checks: {
      database: async () => {
        await db.prisma.$queryRawUnsafe("SELECT 1");
      },
      ...(redis ? { redis: () => redis.ping() } : {}),
    },
    async close() {
      champions.stop();
      await jobs.close();
      await redis?.close();
      if (!opts.db) await db.close();
    },
  };
}
