import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, postgresAvailable } from "../../test/kit/db.ts";
import type { Database } from "../database.ts";
import { DbErrors } from "../db.errors.ts";
import { applyMigrations, checkDrift, createMigration, migrationStatus } from "./migrate.ts";
import { MIGRATIONS_DIR, readMigrationsList, SCHEMA_PATH } from "./migrations-list.ts";

const PROBE_MODEL = `
model DriftProbe {
  id    String @id @db.Uuid
  label String

  @@map("drift_probes")
}
`;

let tmp: string;
let committed: string[];

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "riskloop-migrate-"));
  committed = (await readMigrationsList()).migrationDirectories.map((m) => m.path);
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** A copy of the committed migrations (and optionally a schema with one more model) to change freely. */
async function sandbox(name: string, opts: { probeModel?: boolean } = {}): Promise<{ migrationsDir: string; schemaPath: string }> {
  const dir = path.join(tmp, name);
  await cp(MIGRATIONS_DIR, path.join(dir, "migrations"), { recursive: true });
  const schemaPath = path.join(dir, "schema.prisma");
  await writeFile(schemaPath, (await readFile(SCHEMA_PATH, "utf8")) + (opts.probeModel ? PROBE_MODEL : ""));
  return { migrationsDir: path.join(dir, "migrations"), schemaPath };
}

describe("schema.prisma and prisma/migrations", () => {
  it("agree: the committed migrations build exactly the schema (run `riskloop migrate --create <name>` if not)", async () => {
    expect(committed.length).toBeGreaterThan(0);
    expect(await checkDrift()).toBe("");
  });

  it("drift check reports the SQL a schema change still needs", async () => {
    const box = await sandbox("drift", { probeModel: true });
    const diff = await checkDrift(box);
    expect(diff).toContain('CREATE TABLE "drift_probes"');
    expect(diff).not.toContain('"users"');
  });

  it("createMigration writes only the difference, and nothing when there is none", async () => {
    const box = await sandbox("create", { probeModel: true });
    const created = await createMigration("add_drift_probe", box);
    expect(created?.name).toMatch(/^\d{14}_add_drift_probe$/);
    expect(created?.sql).toContain('CREATE TABLE "drift_probes"');
    expect(created?.sql).not.toContain('CREATE TABLE "users"');
    expect(await readFile(path.join(box.migrationsDir, created!.name, "migration.sql"), "utf8")).toBe(created?.sql);
    // The new migration now covers the schema: nothing more to create.
    expect(await createMigration("again", box)).toBeNull();
  });

  it("createMigration refuses names that would make odd folder names", async () => {
    await expect(createMigration("Add Probe")).rejects.toMatchObject({ code: "CORE_ERR_INVALID" });
  });
});

for (const kind of ["pglite", "postgres"] as const) {
  describe.skipIf(kind === "postgres" && !postgresAvailable)(`migrations on an empty ${kind} database`, () => {
    let db: Database;
    beforeAll(async () => {
      db = await freshDatabase(kind, { migrated: false });
    });
    afterAll(async () => {
      await db?.close();
    });

    it("applies every migration once, then reports up to date; applying again is a no-op", async () => {
      const before = await migrationStatus(db);
      expect(before).toMatchObject({ upToDate: false, pending: committed, hasMigrationsTable: false });

      expect(await applyMigrations(db)).toEqual({ applied: committed });
      expect(await migrationStatus(db)).toEqual({
        upToDate: true,
        pending: [],
        unknown: [],
        failed: [],
        edited: [],
        hasMigrationsTable: true,
      });
      expect(await applyMigrations(db)).toEqual({ applied: [] });
      const tables = await db.prisma.$queryRaw<Array<{ n: number }>>`
        SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`;
      const models = (await readFile(SCHEMA_PATH, "utf8")).match(/^model /gm)?.length;
      expect(tables[0]?.n).toBe(models);
    });

    it("notices a committed migration that was edited after it was applied", async () => {
      const box = await sandbox(`edited-${kind}`);
      const file = path.join(box.migrationsDir, committed[0]!, "migration.sql");
      await writeFile(file, `${await readFile(file, "utf8")}\n-- edited\n`);
      const status = await migrationStatus(db, box);
      expect(status.edited).toEqual([committed[0]]);
      expect(status.upToDate).toBe(false);
    });

    it("a failing migration raises DB_ERR_MIGRATION_FAILED and is recorded as failed, not applied", async () => {
      const box = await sandbox(`failing-${kind}`);
      await mkdir(path.join(box.migrationsDir, "29990101000000_broken"));
      await writeFile(
        path.join(box.migrationsDir, "29990101000000_broken", "migration.sql"),
        'CREATE TABLE "probe_ok" (id int);\nCREATE TABLE "users" (id int);\n',
      );
      await expect(applyMigrations(db, box)).rejects.toMatchObject({ code: DbErrors.DB_ERR_MIGRATION_FAILED });
      const status = await migrationStatus(db, box);
      expect(status.failed).toEqual(["29990101000000_broken"]);
      // The script ran in one transaction: its first statement was rolled back with the second.
      const probe = await db.prisma.$queryRaw<Array<{ n: number }>>`
        SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'probe_ok'`;
      expect(probe[0]?.n).toBe(0);
    });
  });
}
