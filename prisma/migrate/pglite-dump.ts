import { existsSync, readFileSync } from "node:fs";
import { readFile, rename, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";

/** The installed PGlite version; a data directory only opens in the version that wrote it. */
export function pgliteVersion(): string {
  const require = createRequire(import.meta.url);
  const pkg = path.join(path.dirname(require.resolve("@electric-sql/pglite")), "..", "package.json");
  return (JSON.parse(readFileSync(pkg, "utf8")) as { version: string }).version;
}

let emptyDump: Promise<Blob> | undefined;

/**
 * A freshly initialised, empty PGlite data directory (`dumpDataDir` format). `initdb` costs ~2 s of CPU, and
 * loading this dump ~0.3 s, so it is made once per machine and PGlite version: kept in memory and in
 * os.tmpdir(). Schema-engine scratch and shadow databases, and test databases, start from it.
 */
export function emptyPgliteDump(): Promise<Blob> {
  emptyDump ??= loadOrCreateEmptyDump().catch((err: unknown) => {
    emptyDump = undefined;
    throw err;
  });
  return emptyDump;
}

async function loadOrCreateEmptyDump(): Promise<Blob> {
  const file = path.join(os.tmpdir(), `riskloop-pglite-empty-${pgliteVersion()}.tar`);
  if (existsSync(file)) return new Blob([await readFile(file)]);
  const db = new PGlite("memory://");
  let dump: Blob;
  try {
    await db.waitReady;
    dump = await db.dumpDataDir("none");
  } finally {
    await db.close();
  }
  // Written aside and renamed, so a concurrent reader never sees half a file.
  const partial = `${file}.${process.pid}.partial`;
  await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
  await rename(partial, file);
  return dump;
}

/** A new, empty in-memory PGlite database (from the cached empty dump). */
export async function scratchPglite(): Promise<PGlite> {
  const db = new PGlite({ dataDir: "memory://", loadDataDir: await emptyPgliteDump() });
  await db.waitReady;
  return db;
}
