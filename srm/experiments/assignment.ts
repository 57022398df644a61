import { createHash } from "node:crypto";

/** The two arms, as the database's `AbVariant` names them. */
export type Variant = "CONTROL" | "TREATMENT";

/** A uniform number in [0, 1) from the pair (48 bits of SHA-256), the same in every process and after restarts. */
export function assignmentHash(experimentId: string, accountId: string): number {
  const digest = createHash("sha256").update(`${experimentId}:${accountId}`).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

/**
 * The account's arm: TREATMENT when its hash falls below the pilot share. Hashing the experiment id with the
 * account keeps arms independent across experiments (an account is not always in treatment).
 */
export function assignVariant(experimentId: string, accountId: string, pilotShare: number): Variant {
  return assignmentHash(experimentId, accountId) < pilotShare ? "TREATMENT" : "CONTROL";
}
