import type { Vault } from "../core/index.ts";
import type { PrismaClient } from "../prisma/index.ts";
import { credentialsContext } from "../trading/accounts/index.ts";

export interface RotationReport {
  activeKeyId: string;
  rotated: number;
  alreadyCurrent: number;
  /** Rows changed by someone else mid-rotation; a second run picks them up. */
  skipped: number;
}

/**
 * Re-seals every stored secret under the vault's active key. Each row is rewritten only if its sealed value
 * is still the one that was read (compare-and-set), so a concurrent credential update is never overwritten.
 * Until a row is rotated it keeps decrypting with its old key, which must stay in RISKLOOP_VAULT_KEYS.
 */
export async function rotateVaultKeys(prisma: PrismaClient, vault: Vault, batchSize = 200): Promise<RotationReport> {
  const report: RotationReport = { activeKeyId: vault.activeKeyId, rotated: 0, alreadyCurrent: 0, skipped: 0 };
  report.alreadyCurrent = await prisma.brokerAccount.count({ where: { credentialsKeyId: vault.activeKeyId } });
  // Keyset pagination on id: rotated rows leave the filter as we go, so an offset or cursor would skip rows.
  let after: string | undefined;
  for (;;) {
    const rows = await prisma.brokerAccount.findMany({
      where: { credentials: { not: null }, NOT: { credentialsKeyId: vault.activeKeyId }, ...(after ? { id: { gt: after } } : {}) },
      select: { id: true, credentials: true },
      orderBy: { id: "asc" },
      take: batchSize,
    });
    if (rows.length === 0) break;
    for (const row of rows) {
      const ctx = credentialsContext(row.id);
      const resealed = vault.seal(vault.open(row.credentials!, ctx), ctx);
      const { count } = await prisma.brokerAccount.updateMany({
        where: { id: row.id, credentials: row.credentials },
        data: { credentials: resealed, credentialsKeyId: vault.activeKeyId },
      });
      if (count === 1) report.rotated++;
      else report.skipped++;
    }
    after = rows[rows.length - 1]!.id;
  }
  return report;
}
