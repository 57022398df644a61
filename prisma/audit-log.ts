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

/** Append-only audit trail; pass the transaction client so the entry commits with the change it records. */
export class AuditLog {
  constructor(private readonly prisma: PrismaClient) {}

  async record(entry: AuditEntry, tx: Tx = this.prisma): Promise<void> {
    await tx.auditLog.create({
      data: {
        actorUserId: entry.actorUserId ?? null,
        action: entry.action,
        entityType: entry.entityType,
        entityId: entry.entityId,
        before: json(entry.before),
        after: json(entry.after),
        ip: entry.ip ?? null,
      },
    });
  }
}

function json(v: unknown): Prisma.InputJsonValue | undefined {
  return v === undefined ? undefined : (JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue);
}
