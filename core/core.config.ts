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
