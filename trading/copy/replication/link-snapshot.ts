import type { CopyLinkStatus, Prisma, PrismaClient, RiskState } from "../../../prisma/index.ts";
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
  /** The slave's account as SRM reads it (money as text), so a fresh job decides without reading it again. */
  slave: SlaveSnapshot;
}

export interface SlaveSnapshot {
  id: string;
  userId: string;
  balance: string;
  equity: string;
  freeMargin: string;
  riskState: RiskState;
  dayStartBalance: string | null;
  equityHighWaterMark: string | null;
}

/** A job older than this re-reads its link (it may have been paused or changed while the job waited). */
export const SNAPSHOT_MAX_AGE_MS = 2_000;

const SLAVE_FIELDS = { id: true, userId: true, balance: true, equity: true, freeMargin: true, riskState: true, dayStartBalance: true, equityHighWaterMark: true } as const;

/** Snapshots of the links matching `where`, with their master's provider settings and money and their slave's account. */
export async function linkSnapshots(prisma: PrismaClient, where: Prisma.CopyLinkWhereInput): Promise<LinkSnapshot[]> {
  const rows = await prisma.copyLink.findMany({
    where,
    include: { masterAccount: { select: { balance: true, equity: true, syncSettings: true } }, slaveAccount: { select: SLAVE_FIELDS } },
  });
  return rows.map((r) => ({
    id: r.id,
    masterAccountId: r.masterAccountId,
    slaveAccountId: r.slaveAccountId,
    providerId: r.providerId,
    status: r.status,
    rules: r.rules,
    providerSettings: providerSettingsOf(r.masterAccount.syncSettings),
    master: { balance: r.masterAccount.balance.toString(), equity: r.masterAccount.equity.toString() },
    slave: slaveSnapshot(r.slaveAccount),
  }));
}

type SlaveRow = Prisma.BrokerAccountGetPayload<{ select: typeof SLAVE_FIELDS }>;

/** The slave's account row as a snapshot (JSON-safe: it travels with jobs). */
export function slaveSnapshot(a: SlaveRow): SlaveSnapshot {
  return {
    id: a.id,
    userId: a.userId,
    balance: a.balance.toString(),
    equity: a.equity.toString(),
    freeMargin: a.freeMargin.toString(),
    riskState: a.riskState,
    dayStartBalance: a.dayStartBalance?.toString() ?? null,
    equityHighWaterMark: a.equityHighWaterMark?.toString() ?? null,
  };
}

/** The slave accounts `ids` as snapshots, read now (one query). */
export async function slaveSnapshots(prisma: PrismaClient, ids: readonly string[]): Promise<Map<string, SlaveSnapshot>> {
  const rows = await prisma.brokerAccount.findMany({ where: { id: { in: [...ids] } }, select: SLAVE_FIELDS });
  return new Map(rows.map((a) => [a.id, slaveSnapshot(a)]));
}
