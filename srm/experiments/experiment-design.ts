import { invalid } from "../../core/index.ts";
import { policyOverrideProblem, srmPolicyConfig, type SrmPolicy } from "../decision/srm-policy.ts";

/** What an experiment can measure; the first one listed is the primary metric, the rest are guardrails. */
export const EXPERIMENT_METRICS = ["pnl_per_trade", "max_drawdown", "stop_out_count", "slippage"] as const;
export type ExperimentMetric = (typeof EXPERIMENT_METRICS)[number];

/** Model kinds an arm may pin (the decision serves pinned slippage versions). */
export const PINNABLE_MODEL_KINDS = ["slippage"] as const;

/** One arm: the SRM policy settings it overrides and the model versions it pins. */
export interface ArmSpec {
  policy: Partial<SrmPolicy>;
  modelVersions: Record<string, string>;
}

/** What an admin submits to create an experiment. */
export interface ExperimentInput {
  name: string;
  description?: string;
  control?: Partial<ArmSpec>;
  treatment: Partial<ArmSpec>;
  /** Share of the population in the treatment arm, in (0, 0.5]. */
  pilotShare: number;
  metrics?: ExperimentMetric[];
  minSamplePerArm?: number;
  /** The population: these accounts only; absent or null means every account. */
  accountIds?: string[] | null;
}

/** A validated design, ready to store. */
export interface ExperimentDesign {
  name: string;
  description: string | null;
  control: ArmSpec;
  treatment: ArmSpec;
  pilotShare: number;
  metrics: ExperimentMetric[];
  minSamplePerArm: number;
  accountIds: string[] | null;
}

export const DEFAULT_MIN_SAMPLE_PER_ARM = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function arm(spec: Partial<ArmSpec> | undefined, name: "control" | "treatment"): ArmSpec {
  const policy = (spec?.policy ?? {}) as Record<string, unknown>;
  const problem = policyOverrideProblem(policy);
  if (problem) throw invalid(`${name}.policy`, problem);
  for (const [key, value] of Object.entries(policy)) {
    try {
      srmPolicyConfig[key as keyof SrmPolicy].parse(String(value));
    } catch (err) {
      throw invalid(`${name}.policy.${key}`, (err as Error).message);
    }
  }
  const overrides = { ...policy } as Partial<SrmPolicy>;
  if (overrides.slBufferMinPips !== undefined && overrides.slBufferMaxPips !== undefined && overrides.slBufferMinPips > overrides.slBufferMaxPips) {
    throw invalid(`${name}.policy.slBufferMinPips`, "must not exceed slBufferMaxPips");
  }
  const modelVersions = spec?.modelVersions ?? {};
  for (const [kind, version] of Object.entries(modelVersions)) {
    if (!(PINNABLE_MODEL_KINDS as readonly string[]).includes(kind)) throw invalid(`${name}.modelVersions.${kind}`, `only ${PINNABLE_MODEL_KINDS.join(", ")} versions can be pinned`);
    if (typeof version !== "string" || version.length === 0) throw invalid(`${name}.modelVersions.${kind}`, "must be a version string");
  }
  return { policy: overrides, modelVersions: { ...modelVersions } };
}

/**
 * Checks everything that needs no database and applies the defaults; throws CORE_ERR_INVALID naming the field.
 * Unknown policy keys, values outside a setting's declared range, a pilot share outside (0, 50%] (or finer than
 * the 4 decimals stored), unknown or repeated metrics, and malformed account ids are refused here; whether the
 * pinned model versions and the accounts exist is checked by the service.
 */
export function validateExperimentInput(input: ExperimentInput): ExperimentDesign {
  const name = input.name?.trim() ?? "";
  if (name.length === 0 || name.length > 100) throw invalid("name", "must be 1 to 100 characters");
  const p = input.pilotShare;
  if (typeof p !== "number" || !Number.isFinite(p) || p <= 0 || p > 0.5) throw invalid("pilotShare", `must be in (0, 0.5] (10–20% is typical), got ${String(p)}`);
  if (Math.abs(Math.round(p * 10_000) - p * 10_000) > 1e-6) throw invalid("pilotShare", "must have at most 4 decimals");
  const metrics = input.metrics ?? [...EXPERIMENT_METRICS];
  if (metrics.length === 0) throw invalid("metrics", "needs at least one metric (the first is primary)");
  for (const m of metrics) if (!(EXPERIMENT_METRICS as readonly string[]).includes(m)) throw invalid("metrics", `unknown metric ${m}; known: ${EXPERIMENT_METRICS.join(", ")}`);
  if (new Set(metrics).size !== metrics.length) throw invalid("metrics", "lists a metric twice");
  const minSamplePerArm = input.minSamplePerArm ?? DEFAULT_MIN_SAMPLE_PER_ARM;
  if (!Number.isInteger(minSamplePerArm) || minSamplePerArm < 2 || minSamplePerArm > 1_000_000) throw invalid("minSamplePerArm", "must be an integer in [2, 1000000]");
  let accountIds: string[] | null = null;
  if (input.accountIds) {
    if (input.accountIds.length === 0) throw invalid("accountIds", "must list at least one account, or be omitted for all accounts");
    for (const id of input.accountIds) if (!UUID.test(id)) throw invalid("accountIds", `${id} is not an account id`);
    accountIds = [...new Set(input.accountIds.map((id) => id.toLowerCase()))];
  }
  return {
    name,
    description: input.description?.trim() || null,
    control: arm(input.control, "control"),
    treatment: arm(input.treatment, "treatment"),
    pilotShare: p,
    metrics,
    minSamplePerArm,
    accountIds,
  };
}

/** Whether two populations share an account ("all accounts" overlaps everything). */
export function populationsOverlap(a: readonly string[] | null, b: readonly string[] | null): string[] | "all" | null {
  if (a === null || b === null) return "all";
  const other = new Set(b);
  const shared = a.filter((id) => other.has(id));
  return shared.length > 0 ? shared : null;
}
