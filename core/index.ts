export * from "./errors.ts";
export * from "./clock.ts";
export * from "./decimal.ts";
export * from "./ids.ts";
export * from "./logger.ts";
export * from "./domain.ts";
export * from "./config/index.ts";
export { Vault, type VaultKeyring, type SealedSecret } from "./vault.ts";
export { coreConfig, vaultConfig } from "./core.config.ts";
