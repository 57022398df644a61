import { invalid } from "../../core/index.ts";
import type { DecisionModels } from "../decision/decide.ts";
import { policyOverrideProblem, type SrmPolicy } from "../decision/srm-policy.ts";
import type { LotParams } from "../lot/index.ts";

/**
 * A policy to replay: `none` copies every trade at the provider's lot (only the account's own protection and the
 * broker's margin apply); `srm` sends each trade through the pure `decide` with the given policy and models.
 */
export type ReplayPolicy =
  | { name: string; kind: "none" }
  | { name: string; kind: "srm"; policy: SrmPolicy; models: DecisionModels; lotParams?: LotParams };

export const NONE_POLICY: ReplayPolicy = { name: "none", kind: "none" };

/** An experiment arm's changes to the policy, as stored with an experiment or written in a file. */
export interface ArmOverrides {
  policy: Partial<SrmPolicy>;
  modelVersions: Record<string, string>;
}

/**
 * Reads arm overrides from JSON: `{ "policy": { … }, "modelVersions": { "slippage": "…" } }` (an experiment arm's
 * shape) or the policy settings alone (`{ "slBufferMinPips": 2.5 }`). Unknown settings and non-numbers are
 * refused with the field named.
 */
export function armOverrides(json: unknown, field = "overrides"): ArmOverrides {
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw invalid(field, "must be a JSON object of policy settings");
  const o = json as Record<string, unknown>;
  const armShape = "policy" in o || "modelVersions" in o;
  const policy = (armShape ? (o.policy ?? {}) : o) as Record<string, unknown>;
  const modelVersions = (armShape ? (o.modelVersions ?? {}) : {}) as Record<string, unknown>;
  if (armShape) for (const k of Object.keys(o)) if (k !== "policy" && k !== "modelVersions") throw invalid(`${field}.${k}`, "is neither policy nor modelVersions");
  if (typeof policy !== "object" || policy === null || Array.isArray(policy)) throw invalid(`${field}.policy`, "must be an object");
  const problem = policyOverrideProblem(policy);
  if (problem) throw invalid(`${field}.policy`, problem);
  for (const [k, v] of Object.entries(modelVersions)) if (typeof v !== "string" || v === "") throw invalid(`${field}.modelVersions.${k}`, "must be a version string");
  return { policy: policy as Partial<SrmPolicy>, modelVersions: modelVersions as Record<string, string> };
}
