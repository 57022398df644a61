import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ERRORS_DOC, README, readmeWithConfigTable, renderErrorsDoc } from "../../app/reference-docs.ts";
import "../../app/container.ts";

// Importing the composition root registers every area's error codes and configuration.
describe("reference documentation", () => {
  it("docs/errors.md lists every registered error code with its kind (run `npx riskloop docs` after adding one)", () => {
    expect(readFileSync(ERRORS_DOC, "utf8")).toBe(renderErrorsDoc());
  });

  it("the README's configuration table lists every variable (run `npx riskloop docs` after adding one)", () => {
    const readme = readFileSync(README, "utf8");
    expect(readme).toBe(readmeWithConfigTable(readme));
  });
});
