import type { CopyLinkStatus, Prisma, PrismaClient } from "../../../prisma/index.ts";
import type { CopySettings } from "../rules/copy-settings.ts";
import { providerSettingsOf } from "../rules/provider-settings.ts";

/**
 * What a copy reads of its link and master, as plain JSON: the fan-out reads it once for all of a signal's
 * links and sends it with each job, so a fresh job starts without reading its link again.
 */
export interface LinkSnapshot {
  id: string;
  masterAccountId: string;
  slaveAccountId: string;
  providerId: string | null;
  status: CopyLinkStatus;
  rules: unknown;
  providerSettings: CopySettings;
  /** The master's money as last stored (ratio lot scaling falls back to it). */
  master: { balance: string; equity: string };
}

/** A job older than this re-reads its link (it may have been paused or changed while the job waited). */
export const SNAPSHOT_MAX_AGE_MS = 2_000;

/** Snapshots of the links matching `where`, with their master's provider settings and money (one query). */
export async function linkSnapshots(prisma: PrismaClient, where: Prisma.CopyLinkWhereInput): Promise<LinkSnapshot[]> {
  const rows = await prisma.copyLink.findMany({ where, include: { masterAccount: { select: { balance: true, equity: true, syncSettings: true } } } });
  return rows.map((r) => ({
    id: r.id,
    masterAccountId: r.masterAccountId,
    slaveAccountId: r.slaveAccountId,
    providerId: r.providerId,
    status: r.status,
    rules: r.rules,
    providerSettings: providerSettingsOf(r.masterAccount.syncSettings),
    master: { balance: r.masterAccount.balance.toString(), equity: r.masterAccount.equity.toString() },
  }));
}
