import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { heteroscedasticDataset, runModelFamilyConformance } from "../../test/conformance/model-family.ts";
import { sliceDataset } from "../dataset.ts";
import type { FitProgress } from "../model-family.ts";
import { createMlpQuantileFamily, mlpQuantileFamily, type MlpFittedModel } from "./mlp-quantile-family.ts";
import { loadTfRunner, tfRunnerFor } from "./mlp-tf-runner.ts";

runModelFamilyConformance(mlpQuantileFamily);

describe("mlp-quantile", () => {
  const all = heteroscedasticDataset(2400, 21);
  const train = sliceDataset(all, 0, 1600);
  const validation = sliceDataset(all, 1600, 2000);
  const holdout = sliceDataset(all, 2000, 2400);
  const progress: FitProgress[] = [];
  let fitted: MlpFittedModel;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "riskloop-mlp-"));
    fitted = await createMlpQuantileFamily({ hiddenUnits: [16, 8] }).fit(
      train,
      { seed: 3, quantiles: [0.1, 0.5, 0.9], validation, epochs: 60, patience: 4 },
      (p) => progress.push(p),
    );
    await fitted.save(dir);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("serves the same quantiles as tfjs model.predict to 1e-5", async () => {
    const runner = await tfRunnerFor(fitted);
    try {
      const viaTf = runner.predictBatch(holdout.X, holdout.n);
      const viaArrays = fitted.predictor.predictBatch(holdout.X, holdout.n);
      expect(viaArrays.length).toBe(holdout.n * 3);
      let worst = 0;
      for (let i = 0; i < viaTf.length; i++) worst = Math.max(worst, Math.abs((viaTf[i] as number) - (viaArrays[i] as number)));
      expect(worst).toBeLessThan(1e-5);
      // Guard against a vacuous comparison: the predictions must actually vary across rows.
      expect(Math.max(...viaArrays) - Math.min(...viaArrays)).toBeGreaterThan(1);
    } finally {
      runner.dispose();
    }
  });

  it("writes a tfjs model.json + weights.bin that reloads to the same tfjs predictions", async () => {
    const manifest = JSON.parse(await readFile(path.join(dir, "manifest.json"), "utf8")) as { extraFiles: string[]; layers: unknown[] };
    expect(manifest.extraFiles).toEqual(["tfjs/model.json", "tfjs/weights.bin"]);
    expect(manifest.layers).toHaveLength(3);
    const [fresh, reloaded] = await Promise.all([tfRunnerFor(fitted), loadTfRunner(dir)]);
    try {
      expect(reloaded.predictBatch(holdout.X, holdout.n)).toEqual(fresh.predictBatch(holdout.X, holdout.n));
    } finally {
      fresh.dispose();
      reloaded.dispose();
    }
  });

  it("reports every epoch and keeps the best validation epoch when it stops early", () => {
    expect(progress.map((p) => p.epoch)).toEqual(Array.from({ length: fitted.summary.epochsRun }, (_, i) => i + 1));
    const losses = progress.map((p) => p.validationLoss as number);
    const best = Math.min(...losses);
    expect(fitted.summary.validationLoss).toBe(best);
    expect(fitted.summary.details.bestEpoch).toBe(losses.indexOf(best) + 1);
    // Stopped by patience (4 epochs without improvement) rather than by the epoch limit, or ran to it.
    expect(fitted.summary.epochsRun === 60 || fitted.summary.epochsRun === (fitted.summary.details.bestEpoch as number) + 4).toBe(true);
  });

  it("keeps three quantiles ordered", () => {
    const pred = fitted.predictor.predictBatch(holdout.X, holdout.n);
    for (let i = 0; i < holdout.n; i++) {
      expect(pred[3 * i + 1]).toBeGreaterThanOrEqual(pred[3 * i] as number);
      expect(pred[3 * i + 2]).toBeGreaterThanOrEqual(pred[3 * i + 1] as number);
    }
  });

  it("loads and serves a saved model without loading tfjs", async () => {
    const script = [
      `const m = await import(${JSON.stringify(path.resolve(import.meta.dirname, "../index.ts"))});`,
      `const p = await m.loadPredictor(${JSON.stringify(dir)});`,
      "const out = new Float64Array(3); p.predictInto([0.1, 0.2, 0.3, 0.4], out);",
      "console.log(JSON.stringify({ tfLoaded: globalThis._tfengine !== undefined, out: [...out] }));",
    ].join("\n");
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: path.resolve(import.meta.dirname, "../.."),
    });
    const result = JSON.parse(stdout.trim().split("\n").pop() as string) as { tfLoaded: boolean; out: number[] };
    const expected = new Float64Array(3);
    fitted.predictor.predictInto([0.1, 0.2, 0.3, 0.4], expected);
    expect(result).toEqual({ tfLoaded: false, out: [...expected] });
  });
});
