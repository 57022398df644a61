import { describe, expect, it } from "vitest";
import { linkCycle } from "./link-cycle.ts";

describe("linkCycle", () => {
  it("refuses a slave following itself", () => {
    expect(linkCycle([], { master: "A", slave: "A" })).toEqual(["A", "A"]);
  });

  it("finds A→B→A and A→B→C→A, naming the accounts along the loop", () => {
    expect(linkCycle([{ master: "B", slave: "A" }], { master: "A", slave: "B" })).toEqual(["A", "B", "A"]);
    expect(linkCycle([{ master: "B", slave: "C" }, { master: "C", slave: "A" }], { master: "A", slave: "B" })).toEqual(["A", "B", "C", "A"]);
  });

  it("accepts chains, fans and diamonds", () => {
    const links = [
      { master: "A", slave: "B" },
      { master: "A", slave: "C" },
      { master: "B", slave: "D" },
      { master: "C", slave: "D" },
    ];
    expect(linkCycle(links, { master: "D", slave: "E" })).toBeNull();
    expect(linkCycle(links, { master: "B", slave: "C" })).toBeNull();
    expect(linkCycle(links, { master: "D", slave: "A" })).toEqual(["D", "A", "B", "D"]);
  });
});
