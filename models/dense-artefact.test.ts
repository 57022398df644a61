import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fittedDenseModel, loadPredictor, readManifest } from "./dense-artefact.ts";
import type { DenseSpec } from "./dense-predictor.ts";

const spec: DenseSpec = {
  familyId: "test",
  quantiles: [0.5, 0.9],
  featureNames: ["x", "z"],
  standardiser: { mean: new Float64Array([0.1, 1 / 3]), scale: new Float64Array([2, Math.PI]) },
  layers: [
    { kernel: new Float32Array([0.5, -1, 0.25, 2, 1, 1]), bias: new Float32Array([0.1, 0.2, 0.3]), inputs: 2, units: 3, activation: "relu" },
    { kernel: new Float32Array([1, -0.5, 0.3, 0.7, -2, 0.1]), bias: new Float32Array([0, -1]), inputs: 3, units: 2, activation: "linear" },
  ],
  head: "softplus-gaps",
  target: { shift: 0.7, scale: 1 / 7 },
};
const summary = { familyId: "test", trainedRows: 10, epochsRun: 1, trainLoss: 0.5, fitMs: 1, details: {} };

describe("dense artefacts", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "riskloop-artefact-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("round-trips weights, standardisation and target scale bit for bit", async () => {
    const model = fittedDenseModel(spec, summary);
    const manifest = await model.save(dir);
    expect(manifest.tensors.map((t) => [t.name, t.dtype])).toEqual([
      ["standardiser.mean", "float64"],
      ["standardiser.scale", "float64"],
      ["layer0.kernel", "float32"],
      ["layer0.bias", "float32"],
      ["layer1.kernel", "float32"],
      ["layer1.bias", "float32"],
    ]);
    expect((await readManifest(dir)).target).toEqual({ shift: 0.7, scale: 1 / 7 });
    const loaded = await loadPredictor(dir);
    const X = Float32Array.from({ length: 40 }, (_, i) => Math.sin(i) * 3);
    expect(loaded.predictBatch(X, 20)).toEqual(model.predictor.predictBatch(X, 20));
  });

  it("says when an artefact is missing", async () => {
    await expect(loadPredictor(path.join(dir, "nope"))).rejects.toMatchObject({ code: "MODELS_ERR_ARTEFACT_MISSING" });
  });

  it("refuses tampered weights and unknown format versions", async () => {
    await fittedDenseModel(spec, summary).save(dir);
    const weights = await readFile(path.join(dir, "weights.bin"));
    weights[weights.length - 1] = (weights[weights.length - 1] as number) ^ 1;
    await writeFile(path.join(dir, "weights.bin"), weights);
    await expect(loadPredictor(dir)).rejects.toMatchObject({ code: "MODELS_ERR_ARTEFACT_CORRUPT", message: /checksum/ });
    const manifest = JSON.parse(await readFile(path.join(dir, "manifest.json"), "utf8")) as { formatVersion: number };
    await writeFile(path.join(dir, "manifest.json"), JSON.stringify({ ...manifest, formatVersion: 99 }));
    await expect(readManifest(dir)).rejects.toMatchObject({ code: "MODELS_ERR_ARTEFACT_CORRUPT", message: /version 99/ });
  });
});
