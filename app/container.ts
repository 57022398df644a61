import path from "node:path";
import {
  LocalEventBus,
  conventionalPipSize,
  Vault,
  createLogger,
  systemClock,
  type Clock,
  type EventBus,
  type Logger,
} from "../core/index.ts";
import { AuditLog, openDatabase, type Database } from "../prisma/index.ts";
import { bridgeEventBus, createJobRuntime, redisPing, type JobRuntime } from "../jobs/index.ts";
import { AccountService } from "../trading/accounts/index.ts";
import { DbMarketDataReader, type MarketDataReader } from "../analysis/market-data/index.ts";
import { MarketContextService } from "../analysis/context/index.ts";
import { AnalysisService } from "../analysis/chart/index.ts";
import { contextFieldsSource } from "./context-fields.ts";
import { BrokerRegistry } from "../trading/broker/index.ts";
import { StrategyService, TradingService } from "../trading/execution/index.ts";
import { createMetaapiProvisioning, registerMetaapiBroker } from "../trading/metaapi/index.ts";
import { registerPaperBroker } from "../trading/paper/index.ts";
import { instrumentSpecs } from "../trading/sessions/index.ts";
import { COPY_FANOUT_JOB, CopyTrading, type CopyConfig } from "../trading/copy/index.ts";
import { partitionOf } from "../jobs/index.ts";
import {
  ChampionCache,
  DriftMonitor,
  ExperimentPolicyResolver,
  ExperimentService,
  ModelRegistry,
  RiskMonitor,
  SrmService,
  type MarketFacts,
} from "../srm/index.ts";
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
  /** A/B experiments on the SRM policy (create, start, stop, evaluate, ship). */
  readonly experiments: ExperimentService;
  /** The policy per account: shipped experiments for everyone, running experiments' arms for their populations. */
  readonly policies: ExperimentPolicyResolver;
  /** Drift and accuracy checks of the slippage champion. */
  readonly drift: DriftMonitor;
  /** Stored candles and ticks. */
  readonly marketData: MarketDataReader;
  /** Point-in-time market context (ATR, session, volatility, spread), live and historical. */
  readonly context: MarketContextService;
  /** Chart analysis (trend, levels, patterns, regime), stored as ai_analysis rows. */
  readonly analysis: AnalysisService;
  /** Account risk states: drawdown limits, daily loss limit, emergency stop. */
  readonly risk: RiskMonitor;
  /** Broker adapters by platform (paper venue, MetaApi for MT4/MT5). */
  readonly brokers: BrokerRegistry;
  /** Broker sessions, execution (the only path to a broker) and the trading commands and reads. */
  readonly trading: TradingService;
  readonly strategies: StrategyService;
  /** Copy trading: links and their rules, the copy engine (detection, fan-out, replication, repair), copy logs. */
  readonly copy: CopyTrading;
  readonly copyConfig: CopyConfig;
  /** Symbol specification, quote and conversion rate for an account's next decision, from its broker session. */
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
  // With Redis, events cross processes: workers' events reach API WebSockets, promotions reach every process.
  const bridge = jobsCfg.redisUrl ? await bridgeEventBus(bus, jobsCfg.redisUrl, logger) : null;
  const audit = new AuditLog(db.prisma);
  const users = new UserService(db.prisma, clock);
  const accounts = new AccountService(db.prisma, vault, audit);
  const srmCfg = config.value.srm;
  const registry = new ModelRegistry(db.prisma, audit, bus, clock, logger, srmCfg.modelDir ?? path.join(core.home, "models"), srmCfg.keepVersions);
  const champions = new ChampionCache(registry, bus, logger);
  await champions.start();
  const risk = new RiskMonitor(db.prisma, audit, bus, clock, logger.child({ area: "risk" }), config.value.srmRisk);
  const marketData = new DbMarketDataReader(db);
  const context = new MarketContextService(marketData, { params: config.value.context, clock });
  const analysis = new AnalysisService(db.prisma, marketData, { params: config.value.chart, clock });
  const policies = new ExperimentPolicyResolver(db.prisma, bus, clock, logger.child({ area: "experiments" }), config.value.srmPolicy);
  await policies.start();
  const experiments = new ExperimentService(db.prisma, registry, audit, bus, clock, logger.child({ area: "experiments" }), policies);
  const drift = new DriftMonitor({
    prisma: db.prisma,
    registry,
    bus,
    clock,
    logger: logger.child({ area: "drift" }),
    settings: config.value.srmDrift,
    pipSizeOf: conventionalPipSize,
    requestRetrain: async ({ reportId }) => {
      await jobs.enqueue("retrain-slippage", undefined, { jobId: `drift-${reportId}` });
    },
  });
  // One source for SRM and execution, so both see the same context and a symbol is warmed once.
  const contextFields = contextFieldsSource(context, logger);
  const srm = new SrmService(db.prisma, champions, policies, contextFields, bus, clock, logger);
  const brokers = new BrokerRegistry();
  registerPaperBroker(brokers, { reader: marketData, instruments: () => instrumentSpecs(db.prisma), config: config.value.paper });
  registerMetaapiBroker(brokers, config.value.metaapi);
  const trading = new TradingService({
    prisma: db.prisma,
    srm,
    registry: brokers,
    credentials: (accountId) => accounts.credentials(accountId),
    bus,
    audit,
    clock,
    logger: logger.child({ area: "trading" }),
    settings: config.value.trading,
    paper: { reader: marketData, instruments: () => instrumentSpecs(db.prisma) },
    openProvisioning: (token) => createMetaapiProvisioning(config.value.metaapi, token ?? config.value.metaapi.token),
    riskMonitor: risk,
    context: contextFields,
  });
  const strategies = new StrategyService(db.prisma, audit);
  const marketFacts = (accountId: string, symbol: string) => trading.marketFacts(accountId, symbol);
  const copyConfig = config.value.copy;
  const copy = new CopyTrading({
    prisma: db.prisma,
    trading,
    srm,
    bus,
    clock,
    audit,
    logger: logger.child({ area: "copy" }),
    config: copyConfig,
    enqueue: async (slaveAccountId, data, jobId) => {
      await jobs.enqueuePartitioned(COPY_FANOUT_JOB, slaveAccountId, data, { jobId });
    },
    laneOf: (slaveAccountId) => partitionOf(slaveAccountId, copyConfig.partitions),
  });

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
    experiments,
    policies,
    drift,
    marketData,
    context,
    analysis,
    risk,
    brokers,
    trading,
    strategies,
    copy,
    copyConfig,
    marketFacts,
    checks: {
      database: async () => {
        await db.prisma.$queryRawUnsafe("SELECT 1");
      },
      ...(redis ? { redis: () => redis.ping() } : {}),
    },
    async close() {
      copy.engine.stop();
      await trading.close();
      await champions.stop();
      policies.stop();
      await policies.flush();
      await jobs.close();
      await redis?.close();
      await bridge?.close();
      if (!opts.db) await db.close();
    },
  };
}
