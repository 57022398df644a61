import { rawSqlOf, type CopyLinkStatus, type PrismaClient, type RiskState } from "../../../prisma/index.ts";
import type { CopySettings } from "../rules/copy-settings.ts";
import { providerSettingsOf } from "../rules/provider-settings.ts";

/**
 * What a copy reads of its link and master, as plain JSON: read for all of a master's links at once and kept by
 * their version (`LinkBook`), so a fresh batch starts without reading its links again.
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

/** A batch older than this reads its links as they are now (they may have been paused or changed while it waited). */
export const SNAPSHOT_MAX_AGE_MS = 2_000;

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
