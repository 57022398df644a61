import { field } from "./config/field.ts";

/** Process-wide settings owned by `core`. */
export const coreConfig = {
  home: field.string("RISKLOOP_HOME", "Folder for the embedded database, model artefacts and local keys.", { default: ".riskloop" }),
  logLevel: field.oneOf("RISKLOOP_LOG_LEVEL", "Log level.", ["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
    default: "info",
  }),
  dataDir: field.optionalString("RISKLOOP_DATA_DIR", "Folder of real market data (e.g. ../shared/data) used by the demo and benchmarks."),
};

/** The credential vault's keys. */
export const vaultConfig = {
  keys: field.optionalString(
    "RISKLOOP_VAULT_KEYS",
    "Comma-separated keyId:base64(32 bytes) AES-256 keys. The first is used to encrypt; all decrypt. Required with DATABASE_URL; the embedded default keeps a generated key under RISKLOOP_HOME.",
    { secret: true },
  ),
};

/** Variables read by the test suites and CI; declared so the closed schema accepts them. */
export const testingConfig = {
  requireServices: field.bool("RISKLOOP_REQUIRE_SERVICES", "Tests: fail instead of skipping when PostgreSQL, Redis or ../shared/data is absent (CI sets it).", {
    default: false,
  }),
  sharedData: field.optionalString("RISKLOOP_SHARED_DATA", "Tests and benchmarks: folder of the real market data (default ../shared/data)."),
  testPostgresUrl: field.optionalString("RISKLOOP_TEST_POSTGRES_URL", "Tests: PostgreSQL server used to create throw-away databases."),
  testRedisUrl: field.optionalString("RISKLOOP_TEST_REDIS_URL", "Tests: Redis server used by the queue suites."),
};
