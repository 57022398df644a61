import { rawSqlOf, type CopyLinkStatus, type Prisma, type PrismaClient, type RiskState } from "../../../prisma/index.ts";
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
  /** Whether the account hedges, as last stored (an MT5 account's mode is known once its broker reported it). */
  hedging: boolean | null;
}

/** A job older than this re-reads its link (it may have been paused or changed while the job waited). */
export const SNAPSHOT_MAX_AGE_MS = 2_000;

const SLAVE_FIELDS = { id: true, userId: true, balance: true, equity: true, freeMargin: true, riskState: true, dayStartBalance: true, equityHighWaterMark: true, hedging: true } as const;

const money = (column: string) => `trim_scale(${column})::text`;

/**
 * One statement for every link of a master (or one link) with its master's and slave's accounts: the fan-out
 * reads it on the way from a master's trade to the slaves' orders, where Prisma's include would cost a
 * statement per relation. The slave comes as the `SlaveSnapshot` object itself.
 */
const SNAPSHOT_SQL = `SELECT l.id::text AS id, l.master_account_id::text AS "masterAccountId", l.slave_account_id::text AS "slaveAccountId",
    l.provider_id::text AS "providerId", l.status::text AS status, l.rules, m.sync_settings AS "syncSettings",
    json_build_object('balance', ${money("m.balance")}, 'equity', ${money("m.equity")}) AS master,
    json_build_object('id', s.id::text, 'userId', s.user_id::text, 'balance', ${money("s.balance")}, 'equity', ${money("s.equity")},
      'freeMargin', ${money("s.free_margin")}, 'riskState', s.risk_state::text, 'dayStartBalance', ${money("s.day_start_balance")},
      'equityHighWaterMark', ${money("s.equity_high_water_mark")}, 'hedging', s.hedging) AS slave
  FROM copy_links l JOIN broker_accounts m ON m.id = l.master_account_id JOIN broker_accounts s ON s.id = l.slave_account_id`;

type SnapshotRow = Omit<LinkSnapshot, "providerSettings"> & { syncSettings: unknown };

/**
 * Snapshots of one link (`id`) or of a master's links not paused (`masterAccountId`), with their master's
 * provider settings and money and their slave's account.
 */
export async function linkSnapshots(prisma: PrismaClient, of: { id: string } | { masterAccountId: string }): Promise<LinkSnapshot[]> {
  const where = "id" in of ? "l.id = $1::uuid" : "l.master_account_id = $1::uuid AND l.status <> 'PAUSED'";
  // One JSON text for all rows: Prisma maps a raw result cell by cell, which costs several times the query.
  const [{ rows }] = await rawSqlOf(prisma).$queryRawUnsafe<[{ rows: string }]>(`SELECT coalesce(json_agg(x), '[]')::text AS rows FROM (${SNAPSHOT_SQL} WHERE ${where}) x`, "id" in of ? of.id : of.masterAccountId);
  // A master's links share its settings: parsed once per master, not per link.
  const settings = new Map<string, CopySettings>();
  return (JSON.parse(rows) as SnapshotRow[]).map(({ syncSettings, ...r }) => {
    let providerSettings = settings.get(r.masterAccountId);
    if (!providerSettings) settings.set(r.masterAccountId, (providerSettings = providerSettingsOf(syncSettings)));
    return { ...r, providerSettings };
  });
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
    hedging: a.hedging,
  };
}

/** The slave accounts `ids` as snapshots, read now (one query). */
export async function slaveSnapshots(prisma: PrismaClient, ids: readonly string[]): Promise<Map<string, SlaveSnapshot>> {
  const rows = await prisma.brokerAccount.findMany({ where: { id: { in: [...ids] } }, select: SLAVE_FIELDS });
  return new Map(rows.map((a) => [a.id, slaveSnapshot(a)]));
}
