import { rawSqlOf, type PrismaClient } from "../../prisma/index.ts";

/** The raw queries sent through `rawSqlOf(prisma)` while recorded. */
export interface RawQueries {
  readonly statements: string[];
  /** How many statements so far contain `part`. */
  count(part: string): number;
  /** Stops recording. */
  restore(): void;
}

/** Records every `$queryRawUnsafe` of the driver beneath Prisma, where the hot paths send their statements. */
export function recordRawQueries(prisma: PrismaClient): RawQueries {
  const sql = rawSqlOf(prisma);
  const query = sql.$queryRawUnsafe;
  const statements: string[] = [];
  sql.$queryRawUnsafe = ((q: string, ...values: unknown[]) => {
    statements.push(q);
    return query.call(sql, q, ...values);
  }) as typeof sql.$queryRawUnsafe;
  return {
    statements,
    count: (part) => statements.filter((q) => q.includes(part)).length,
    restore: () => {
      sql.$queryRawUnsafe = query;
    },
  };
}
