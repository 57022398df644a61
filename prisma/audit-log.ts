import { GroupCommit, newTimeOrderedId } from "../core/index.ts";
import { insertRows } from "./bulk-insert.ts";
import type { Prisma, PrismaClient } from "./generated/client.ts";

export interface AuditEntry {
  actorUserId?: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
  ip?: string;
}

type Tx = Pick<PrismaClient, "auditLog">;

/**
 * Append-only audit trail. Pass the transaction client so the entry commits with the change it records;
 * without one, entries written in the same moment (a copy fan-out's fills) share one insert.
 */
export class AuditLog {
  readonly #group: GroupCommit<Prisma.AuditLogCreateManyInput, void>;

  constructor(private readonly prisma: PrismaClient) {
    this.#group = new GroupCommit(async (rows) => {
      await insertRows(prisma, "audit_logs", rows);
      return rows.map(() => undefined);
    });
  }

  async record(entry: AuditEntry, tx?: Tx): Promise<void> {
    const row = {
      id: newTimeOrderedId(),
      actorUserId: entry.actorUserId ?? null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      before: json(entry.before),
      after: json(entry.after),
      ip: entry.ip ?? null,
      createdAt: new Date(),
    };
    if (tx) await tx.auditLog.create({ data: row });
    else await this.#group.submit(row);
  }
}

function json(v: unknown): Prisma.InputJsonValue | undefined {
  return v === undefined ? undefined : (JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue);
}
