import { defineErrorCodes } from "../core/index.ts";

/** Error codes of the database layer. */
export const DbErrors = defineErrorCodes({
  DB_ERR_MIGRATION_FAILED: {
    kind: "fatal",
    description: "A migration failed to apply; the database needs attention (see _prisma_migrations.logs) before the service can start.",
  },
  DB_ERR_PGLITE_LOCKED: {
    kind: "fatal",
    description: "The embedded PGlite database folder is open in another process; PGlite allows one process at a time.",
  },
  DB_ERR_SCHEMA_ENGINE: {
    kind: "internal",
    description: "Prisma's schema engine failed while creating, diffing or diagnosing migrations.",
  },
});
