import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { registeredErrorCodes } from "../../core/index.ts";
import "../../app/container.ts";

// Importing the composition root registers every area's error codes.
const doc = readFileSync(path.join(import.meta.dirname, "../../docs/errors.md"), "utf8");

describe("error codes", () => {
  it("documents every registered code with its kind", () => {
    const missing = [...registeredErrorCodes()].filter(([code, spec]) => !new RegExp(`\\|\\s*\`${code}\`\\s*\\|\\s*${spec.kind}\\s*\\|`).test(doc));
    expect(missing.map(([c]) => c)).toEqual([]);
  });

  it("documents no code that no longer exists (codes are never reused)", () => {
    const documented = [...doc.matchAll(/\|\s*`([A-Z]+_ERR_[A-Z0-9_]+)`\s*\|/g)].map((m) => m[1]!);
    const retired = new Set([...doc.matchAll(/retired: `([A-Z]+_ERR_[A-Z0-9_]+)`/g)].map((m) => m[1]!));
    expect(documented.filter((c) => !registeredErrorCodes().has(c) && !retired.has(c))).toEqual([]);
  });
});
