import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { invalid, notFound } from "../../core/index.ts";
import type { PrismaClient } from "../../prisma/index.ts";
import type { SlippageModel } from "../decision/decide.ts";
import type { SrmPolicy } from "../decision/srm-policy.ts";
import { experimentOf } from "../experiments/index.ts";
import { armOverrides, NONE_POLICY, type ArmOverrides, type ReplayPolicy } from "./replay-policy.ts";

/** Where policies and models come from: the database, the live champions and the configured policy. */
export interface PolicySources {
  prisma: PrismaClient;
  champions: { readonly slippage: SlippageModel | null; pinned(version: string): Promise<SlippageModel | null> };
  /** The policy from the environment (SRM_* settings). */
  configured: SrmPolicy;
}

const EXPERIMENT = /^(?:experiment:)?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?::(control|treatment))?$/i;

/** What kind of policy a command-line name is; unknown names are refused here, before any database is opened. */
export function policyKind(spec: string): "none" | "champion" | "experiment" | "file" {
  if (spec === "none" || spec === "champion") return spec;
  if (EXPERIMENT.test(spec)) return "experiment";
  if (existsSync(spec)) return "file";
  throw invalid("policy", `"${spec}" is none, champion, experiment:<id>[:control|:treatment] or a JSON file of overrides`);
}

/** The configured policy with every shipped experiment's treatment layered on in shipping order, as live decisions get it. */
async function currentPolicy(src: PolicySources): Promise<SrmPolicy> {
  const shipped = (await src.prisma.srmAbTest.findMany({ where: { status: "SHIPPED" }, orderBy: { shippedAt: "asc" } })).map(experimentOf);
  return shipped.reduce<SrmPolicy>((p, e) => ({ ...p, ...e.treatment.policy }), src.configured);
}

/** An arm on top of the current policy; its pinned slippage version replaces the champion, as in a live experiment. */
async function armPolicy(name: string, arm: ArmOverrides, src: PolicySources): Promise<ReplayPolicy> {
  const pin = arm.modelVersions.slippage;
  const slippage = pin ? await src.champions.pinned(pin) : src.champions.slippage;
  if (pin && !slippage) throw invalid("policy", `${name} pins slippage model ${pin}, which cannot be loaded`);
  return { name, kind: "srm", policy: { ...(await currentPolicy(src)), ...arm.policy }, models: { slippage } };
}

/**
 * A policy from its command-line name: `none`; `champion` (the current policy and the slippage champion, or the
 * formula when there is none); `experiment:<id>[:treatment|:control]` (or the bare id; treatment by default);
 * or a JSON file of arm overrides (see `armOverrides`). Arms are layered on the current policy as the live
 * resolver layers them.
 */
export async function resolveReplayPolicy(spec: string, src: PolicySources | null): Promise<ReplayPolicy> {
  const kind = policyKind(spec);
  if (kind === "none") return NONE_POLICY;
  if (!src) throw invalid("policy", `${spec} needs the database`);
  if (kind === "champion") return { name: "champion", kind: "srm", policy: await currentPolicy(src), models: { slippage: src.champions.slippage } };
  const m = EXPERIMENT.exec(spec);
  if (m) {
    const row = await src.prisma.srmAbTest.findUnique({ where: { id: m[1]!.toLowerCase() } });
    if (!row) throw notFound("experiment", m[1]);
    const e = experimentOf(row);
    const armName = (m[2]?.toLowerCase() ?? "treatment") as "control" | "treatment";
    return armPolicy(`experiment:${e.name}:${armName}`, e[armName], src);
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(spec, "utf8"));
  } catch (err) {
    throw invalid("policy", `${spec} is not valid JSON (${(err as Error).message})`);
  }
  return armPolicy(`file:${path.basename(spec)}`, armOverrides(json, "policy"), src);
}
