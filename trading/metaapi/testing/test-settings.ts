import { loadConfig } from "../../../core/index.ts";
import { metaapiConfig, type MetaapiSettings } from "../metaapi.config.ts";

/** MetaApi settings from the declared defaults with overrides, as a test would configure them (no environment read). */
export function testMetaapiSettings(overrides: Partial<MetaapiSettings> = {}): MetaapiSettings {
  return { ...loadConfig({ metaapi: metaapiConfig }, {}, []).value.metaapi, lookupDelayMs: 0, fillWaitMs: 0, reconnectJitter: 0, ...overrides };
}
