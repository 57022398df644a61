import { describe, expect, it } from "vitest";
import { RiskloopError } from "../errors.ts";
import { field } from "./field.ts";
import { loadConfig } from "./load.ts";

const sections = {
  srm: {
    psi: field.number("SRM_DRIFT_PSI_THRESHOLD", "PSI threshold.", { default: 0.1, min: 0, max: 1 }),
    mode: field.oneOf("SRM_MODE", "Mode.", ["shadow", "live"] as const, { default: "live" }),
  },
  api: {
    port: field.int("API_PORT", "Port.", { default: 8080, min: 1, max: 65535 }),
    secret: field.optionalString("API_JWT_SECRET", "JWT secret.", { secret: true }),
    required: field.string("API_NAME", "A required value."),
  },
};
const prefixes = ["SRM_", "API_"];

describe("loadConfig", () => {
  it("parses values, applies defaults and freezes the result", () => {
    const cfg = loadConfig(sections, { SRM_MODE: "shadow", API_NAME: "x", PATH: "/bin" }, prefixes);
    expect(cfg.value.srm.psi).toBe(0.1);
    expect(cfg.value.srm.mode).toBe("shadow");
    expect(cfg.value.api.port).toBe(8080);
    expect(Object.isFrozen(cfg.value.api)).toBe(true);
  });

  it("names the bad variable and what was expected", () => {
    const err = (() => {
      try {
        loadConfig(sections, { API_PORT: "99999", API_NAME: "x" }, prefixes);
      } catch (e) {
        return e as RiskloopError;
      }
    })();
    expect(err).toBeInstanceOf(RiskloopError);
    expect(err?.code).toBe("CORE_ERR_CONFIG");
    expect(err?.message).toContain("API_PORT");
    expect(err?.message).toContain("at most 65535");
  });

  it("reports missing required variables and unknown prefixed variables with a suggestion", () => {
    expect(() => loadConfig(sections, { SRM_DRIFT_PSI_THRESHLD: "0.2" }, prefixes)).toThrow(
      /API_NAME is required[\s\S]*SRM_DRIFT_PSI_THRESHLD is not a known variable \(did you mean SRM_DRIFT_PSI_THRESHOLD\?\)/,
    );
  });

  it("never echoes a secret's value in errors", () => {
    const secretSections = { a: { s: field.int("API_SECRET_NUM", "A secret number.", { secret: true }) } };
    expect(() => loadConfig(secretSections, { API_SECRET_NUM: "hunter2" }, prefixes)).toThrow(/secret value hidden/);
    expect(() => loadConfig(secretSections, { API_SECRET_NUM: "hunter2" }, prefixes)).not.toThrow(/hunter2/);
  });

  it("hashes non-secret values only, so the hash changes with settings but not with secrets", () => {
    const base = { API_NAME: "x" };
    const h1 = loadConfig(sections, base, prefixes).hash;
    const h2 = loadConfig(sections, { ...base, API_JWT_SECRET: "s3cret" }, prefixes).hash;
    const h3 = loadConfig(sections, { ...base, SRM_DRIFT_PSI_THRESHOLD: "0.2" }, prefixes).hash;
    expect(h1).toBe(h2);
    expect(h1).not.toBe(h3);
  });
});
