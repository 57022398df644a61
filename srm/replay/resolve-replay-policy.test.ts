import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, expect, it } from "vitest";
import { newId } from "../../core/index.ts";
import { describeEachDatabase } from "../../test/kit/db.ts";
import type { SlippageModel } from "../decision/decide.ts";
import { DEFAULT_SRM_POLICY } from "../decision/srm-policy.ts";
import { policyKind, resolveReplayPolicy, type PolicySources } from "./resolve-replay-policy.ts";

const champion = { version: "v-champion" } as SlippageModel;
const pinnedModel = { version: "v-pinned" } as SlippageModel;

describeEachDatabase("resolveReplayPolicy", (getDb) => {
  let src: PolicySources;
  let running: string;
  const pinned: string[] = [];

  beforeAll(async () => {
    const prisma = getDb().prisma;
    const test = (name: string, treatment: object, over: object) =>
      prisma.srmAbTest.create({ data: { name: `${name}-${newId()}`, controlPolicy: { policy: {} }, treatmentPolicy: treatment, pilotShare: "0.2", minSamplePerArm: 20, ...over } });
    await test("shipped wider buffer", { policy: { slBufferMinPips: 2 } }, { status: "SHIPPED", shippedAt: new Date(Date.UTC(2024, 0, 1)) });
    await test("shipped later", { policy: { slBufferMinPips: 2.5, maxSlippageP90Pips: 4 } }, { status: "SHIPPED", shippedAt: new Date(Date.UTC(2024, 1, 1)) });
    running = (await test("tight filter", { policy: { rejectScoreBelow: 50 }, modelVersions: { slippage: "v-pinned" } }, { status: "RUNNING" })).id;
    src = {
      prisma,
      champions: {
        slippage: champion,
        pinned: async (v) => {
          pinned.push(v);
          return v === "v-pinned" ? pinnedModel : null;
        },
      },
      configured: DEFAULT_SRM_POLICY,
    };
  });

  it("resolves the champion to the configured policy with shipped experiments layered in order, and the live model", async () => {
    const p = await resolveReplayPolicy("champion", src);
    expect(p).toMatchObject({ name: "champion", kind: "srm", models: { slippage: champion } });
    expect(p.kind === "srm" && p.policy).toEqual({ ...DEFAULT_SRM_POLICY, slBufferMinPips: 2.5, maxSlippageP90Pips: 4 });
  });

  it("resolves an experiment's arm on top of the current policy, with its pinned model", async () => {
    const treatment = await resolveReplayPolicy(`experiment:${running}`, src);
    expect(treatment).toMatchObject({ kind: "srm", models: { slippage: pinnedModel }, policy: { rejectScoreBelow: 50, slBufferMinPips: 2.5 } });
    expect(treatment.name).toMatch(/^experiment:tight filter-.*:treatment$/);
    expect(pinned).toEqual(["v-pinned"]);
    const control = await resolveReplayPolicy(`${running}:control`, src);
    expect(control).toMatchObject({ models: { slippage: champion }, policy: { rejectScoreBelow: DEFAULT_SRM_POLICY.rejectScoreBelow } });
    await expect(resolveReplayPolicy(`experiment:${newId()}`, src)).rejects.toMatchObject({ code: "CORE_ERR_NOT_FOUND" });
  });

  it("reads a file of overrides, and refuses what it cannot read", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "replay-policy-"));
    const file = path.join(dir, "arm.json");
    writeFileSync(file, JSON.stringify({ slBufferMaxPips: 5 }));
    expect(await resolveReplayPolicy(file, src)).toMatchObject({ name: "file:arm.json", policy: { slBufferMaxPips: 5, slBufferMinPips: 2.5 }, models: { slippage: champion } });
    writeFileSync(file, "{ not json");
    await expect(resolveReplayPolicy(file, src)).rejects.toThrow(/not valid JSON/);
    writeFileSync(file, JSON.stringify({ modelVersions: { slippage: "v-gone" } }));
    await expect(resolveReplayPolicy(file, src)).rejects.toThrow(/cannot be loaded/);
    expect(() => policyKind("chmpion")).toThrow(/"chmpion" is none, champion/);
    expect(await resolveReplayPolicy("none", null)).toEqual({ name: "none", kind: "none" });
  });
});
