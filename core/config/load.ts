import { createHash } from "node:crypto";
import { CoreErrors, RiskloopError } from "../errors.ts";
import type { Section, SectionValue } from "./field.ts";

export type Sections = Record<string, Section>;
export type ConfigValue<S extends Sections> = { readonly [K in keyof S]: SectionValue<S[K]> };

export interface LoadedConfig<S extends Sections> {
  readonly value: ConfigValue<S>;
  /** sha256 over every non-secret value; stored with each trained model. */
  readonly hash: string;
}

/**
 * Validates the environment against the declared sections once, at start. The schema is closed: a variable
 * that carries one of the project's prefixes but is not declared is an error (it is almost always a typo).
 */
export function loadConfig<S extends Sections>(
  sections: S,
  env: Readonly<Record<string, string | undefined>>,
  ownedPrefixes: readonly string[],
): LoadedConfig<S> {
  const declared = new Map<string, string>();
  const problems: string[] = [];
  const value: Record<string, Record<string, unknown>> = {};
  const hashed: Record<string, unknown> = {};

  for (const [sectionName, section] of Object.entries(sections)) {
    const out: Record<string, unknown> = {};
    for (const [key, f] of Object.entries(section)) {
      if (declared.has(f.env)) throw new Error(`config variable ${f.env} declared twice`);
      declared.set(f.env, `${sectionName}.${key}`);
      const raw = env[f.env];
      if (raw === undefined) {
        if (f.default === undefined && !isOptional(f)) problems.push(`${f.env} is required: ${f.description}`);
        out[key] = f.default;
      } else {
        try {
          out[key] = f.parse(raw);
        } catch (err) {
          const message = (err as Error).message;
          problems.push(
            f.secret
              ? `${f.env}=(secret value hidden) ${message.split(raw).join("***")}`
              : `${f.env}=${JSON.stringify(raw)} ${message}`,
          );
        }
      }
      if (!f.secret) hashed[f.env] = out[key];
    }
    value[sectionName] = Object.freeze(out);
  }

  for (const name of Object.keys(env)) {
    if (declared.has(name) || !ownedPrefixes.some((p) => name.startsWith(p))) continue;
    const hint = closest(name, [...declared.keys()]);
    problems.push(`${name} is not a known variable${hint ? ` (did you mean ${hint}?)` : ""}`);
  }

  if (problems.length > 0) {
    throw new RiskloopError(CoreErrors.CORE_ERR_CONFIG, `invalid configuration:\n  - ${problems.join("\n  - ")}`, {
      variables: problems.map((p) => p.split(/[ =]/)[0]),
    });
  }
  const canonical = JSON.stringify(Object.keys(hashed).sort().map((k) => [k, hashed[k] ?? null]));
  return {
    value: Object.freeze(value) as ConfigValue<S>,
    hash: createHash("sha256").update(canonical).digest("hex"),
  };
}

function isOptional(f: { parse(raw: string): unknown }): boolean {
  try {
    return f.parse("") === undefined;
  } catch {
    return false;
  }
}

function closest(name: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestD = 4;
  for (const c of candidates) {
    const d = distance(name, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}
