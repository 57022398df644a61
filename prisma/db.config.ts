import { field } from "../core/index.ts";

/** Where the database lives: PostgreSQL when `DATABASE_URL` is set, the embedded PGlite database otherwise. */
export const dbConfig = {
  url: field.url(
    "DATABASE_URL",
    "PostgreSQL connection string (postgres:// or postgresql://); when unset the embedded PGlite database is used.",
    ["postgres", "postgresql"],
    // The URL may carry a password: keep it out of logs, errors and the config hash.
    { secret: true },
  ),
  pgliteDir: field.optionalString(
    "RISKLOOP_PGLITE_DIR",
    "Folder of the embedded PGlite database ('memory://' for a throw-away one); defaults to <RISKLOOP_HOME>/db.",
  ),
};
