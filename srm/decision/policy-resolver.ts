import type { SrmPolicy } from "./srm-policy.ts";

/** The policy an account's decisions use, and which experiment arm it came from (if any). */
export interface ResolvedPolicy {
  policy: SrmPolicy;
  variant: string | null;
  experimentId: string | null;
  /** Model version pins from the experiment arm, e.g. `{ slippage: "20261101…" }`. */
  modelVersions?: Record<string, string>;
}

/** Picks the policy per account; the experiments module supplies one that assigns A/B arms. */
export interface PolicyResolver {
  resolve(accountId: string): ResolvedPolicy;
}

/** Everyone gets the configured policy. */
export function staticPolicy(policy: SrmPolicy): PolicyResolver {
  const resolved: ResolvedPolicy = { policy, variant: null, experimentId: null };
  return { resolve: () => resolved };
}
