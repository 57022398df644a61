import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.ts";

describe("logger", () => {
  it("redacts secret fields at any of the first levels", () => {
    let out = "";
    const destination = new Writable({
      write(chunk, _enc, cb) {
        out += chunk.toString();
        cb();
      },
    });
    const log = createLogger({ destination });
    log.info({ password: "p1-plain", account: { credentials: "p2-plain", nested: { token: "p3-plain" } } }, "hello");
    log.info({ req: { headers: { authorization: "Bearer p4-plain" } } }, "req");
    for (const secret of ["p1-plain", "p2-plain", "p3-plain", "p4-plain"]) expect(out).not.toContain(secret);
    expect(out).toContain("[redacted]");
  });
});

describe("scrubUrl", () => {
  it("removes token values from query strings", async () => {
    const { scrubUrl } = await import("./logger.ts");
    expect(scrubUrl("/ws?access_token=abc.def.ghi&types=decision")).toBe("/ws?access_token=[redacted]&types=decision");
    expect(scrubUrl("/x?a=1&password=hunter2")).toBe("/x?a=1&password=[redacted]");
    expect(scrubUrl("/plain")).toBe("/plain");
  });
});
