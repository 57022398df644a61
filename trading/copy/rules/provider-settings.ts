import type { Prisma } from "../../../prisma/index.ts";
import { parseCopySettings, type CopySettings } from "./copy-settings.ts";

/**
 * Provider-level settings live in the master account's `syncSettings` JSON under this key (the schema has no
 * column for them yet; see the copy README).
 */
export const PROVIDER_SETTINGS_KEY = "copyProvider";

/** The provider-level settings stored on a master account; `{}` when none were set. */
export function providerSettingsOf(syncSettings: unknown): CopySettings {
  const stored = typeof syncSettings === "object" && syncSettings !== null ? (syncSettings as Record<string, unknown>)[PROVIDER_SETTINGS_KEY] : undefined;
  return parseCopySettings(stored, "settings");
}

/** The master account's `syncSettings` with the provider-level settings replaced. */
export function withProviderSettings(syncSettings: unknown, settings: CopySettings): Prisma.InputJsonValue {
  const base = typeof syncSettings === "object" && syncSettings !== null ? (syncSettings as Record<string, unknown>) : {};
  return { ...base, [PROVIDER_SETTINGS_KEY]: settings } as unknown as Prisma.InputJsonValue;
}
