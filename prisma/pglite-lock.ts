import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import path from "node:path";
import { RiskloopError } from "../core/index.ts";
import { DbErrors } from "./db.errors.ts";

/**
 * Takes `<dataDir>.lock` for as long as this process has the embedded database open; returns the release.
 * PGlite has no locking of its own, and two processes (a server and a `riskloop migrate`, say) writing one
 * folder corrupt it. A lock left by a process that died is taken over.
 */
export function lockPgliteDir(dataDir: string): () => void {
  const lockPath = `${path.resolve(dataDir)}.lock`;
  for (;;) {
    try {
      const fd = openSync(lockPath, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const holder = Number(readFileSync(lockPath, "utf8"));
    if (isAlive(holder)) {
      throw new RiskloopError(
        DbErrors.DB_ERR_PGLITE_LOCKED,
        `the embedded database ${dataDir} is open in process ${holder}; stop it first (or delete ${lockPath} if that process is not Riskloop)`,
        { pid: holder },
      );
    }
    rmSync(lockPath, { force: true });
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
