import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";

/**
 * Test kit only (not exported from the area): writes a hand-made sample file into a fresh temporary folder
 * and returns its path; `.gz` names are gzipped.
 */
export function writeSample(name: string, lines: readonly string[] | string): string {
  const file = tempPath(name);
  const text = typeof lines === "string" ? lines : `${lines.join("\n")}\n`;
  writeFileSync(file, name.endsWith(".gz") ? gzipSync(text) : text);
  return file;
}

/** A path named `name` in a fresh temporary folder, for a file a test is about to write. */
export function tempPath(name: string): string {
  return path.join(mkdtempSync(path.join(os.tmpdir(), "riskloop-md-")), name);
}
