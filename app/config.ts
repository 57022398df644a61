import { coreConfig, loadConfig, readEnvironment, testingConfig, vaultConfig, type LoadedConfig } from "../core/index.ts";
import { dbConfig } from "../prisma/index.ts";
import { jobsConfig } from "../jobs/index.ts";
import { apiConfig } from "../api/index.ts";
import { driftConfig, providerMetricsConfig, riskConfig, srmConfig, srmPolicyConfig } from "../srm/index.ts";
import { contextConfig } from "../analysis/context/index.ts";
import { chartConfig } from "../analysis/chart/index.ts";
import { metaapiConfig } from "../trading/metaapi/index.ts";
import { paperConfig } from "../trading/paper/index.ts";
import { copyConfig } from "../trading/copy/index.ts";
import { tradingConfig } from "../trading/execution/index.ts";

/** Every configuration section of the service, composed once. */
export const configSections = {
  core: coreConfig,
  vault: vaultConfig,
  db: dbConfig,
  jobs: jobsConfig,
  api: apiConfig,
  srm: srmConfig,
  srmPolicy: srmPolicyConfig,
  srmRisk: riskConfig,
  srmDrift: driftConfig,
  srmMetrics: providerMetricsConfig,
  context: contextConfig,
  chart: chartConfig,
  metaapi: metaapiConfig,
  paper: paperConfig,
  trading: tradingConfig,
  copy: copyConfig,
  testing: testingConfig,
};

/** Prefixes the service owns: an unknown variable with one of these is reported as a likely typo. */
export const OWNED_PREFIXES = ["RISKLOOP_", "API_", "SRM_", "TRD_", "JOBS_", "ANALYSIS_", "METAAPI_"] as const;

export type AppConfig = LoadedConfig<typeof configSections>;

/** Validates the environment (plus an optional .env) against every section; throws naming each bad variable. */
export function loadAppConfig(env: Record<string, string | undefined> = readEnvironment()): AppConfig {
  return loadConfig(configSections, env, OWNED_PREFIXES);
}
