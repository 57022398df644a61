import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { RiskloopError } from "../core/index.ts";
import { DensePredictor, validateDenseSpec, type DenseLayer, type DenseSpec } from "./dense-predictor.ts";
import type { ArtefactManifest, FittedModel, FitSummary, QuantilePredictor, SaveMeta } from "./model-family.ts";
import { ModelErrors } from "./models.errors.ts";

/** Version of the `manifest.json` + `weights.bin` layout; bumped when readers must change. */
export const ARTEFACT_FORMAT_VERSION = 1;
const MANIFEST = "manifest.json";
const WEIGHTS = "weights.bin";

type Tensor = { name: string; data: Float32Array | Float64Array };

function tensorsOf(spec: DenseSpec): Tensor[] {
  const out: Tensor[] = [
    { name: "standardiser.mean", data: spec.standardiser.mean },
    { name: "standardiser.scale", data: spec.standardiser.scale },
  ];
  spec.layers.forEach((l, i) => out.push({ name: `layer${i}.kernel`, data: l.kernel }, { name: `layer${i}.bias`, data: l.bias }));
  return out;
}

/** Writes `weights.bin` then `manifest.json` (last, so a readable manifest means a complete artefact). */
async function saveDenseArtefact(
  dir: string,
  spec: DenseSpec,
  summary: FitSummary,
  meta: SaveMeta = {},
  extraFiles: string[] = [],
): Promise<ArtefactManifest> {
  await mkdir(dir, { recursive: true });
  const tensors = tensorsOf(spec);
  const entries: ArtefactManifest["tensors"] = [];
  let byteOffset = 0;
  for (const t of tensors) {
    entries.push({ name: t.name, dtype: t.data instanceof Float64Array ? "float64" : "float32", length: t.data.length, byteOffset });
    byteOffset += t.data.byteLength;
  }
  const bytes = Buffer.alloc(byteOffset);
  tensors.forEach((t, i) => {
    const view = Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    view.copy(bytes, (entries[i] as ArtefactManifest["tensors"][number]).byteOffset);
  });
  const manifest: ArtefactManifest = {
    format: "riskloop-quantile-dense",
    formatVersion: ARTEFACT_FORMAT_VERSION,
    familyId: spec.familyId,
    quantiles: [...spec.quantiles],
    d: spec.featureNames.length,
    featureNames: [...spec.featureNames],
    head: spec.head,
    target: { ...spec.target },
    layers: spec.layers.map((l, i) => ({ kernel: `layer${i}.kernel`, bias: `layer${i}.bias`, inputs: l.inputs, units: l.units, activation: l.activation })),
    tensors: entries,
    weightsFile: WEIGHTS,
    weightsSha256: createHash("sha256").update(bytes).digest("hex"),
    extraFiles,
    summary,
    metrics: { ...meta.metrics },
    ...(meta.configHash === undefined ? {} : { configHash: meta.configHash }),
  };
  await writeFile(path.join(dir, WEIGHTS), bytes);
  await writeFile(path.join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

function corrupt(dir: string, why: string): RiskloopError {
  return new RiskloopError(ModelErrors.MODELS_ERR_ARTEFACT_CORRUPT, `model artefact ${dir}: ${why}`, { dir });
}

async function readOrMissing(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      throw new RiskloopError(ModelErrors.MODELS_ERR_ARTEFACT_MISSING, `model artefact file ${file} does not exist`, { file });
    }
    throw err;
  }
}

/** Reads and checks an artefact's `manifest.json` (format and version), without loading weights. */
export async function readManifest(dir: string): Promise<ArtefactManifest> {
  const raw = await readOrMissing(path.join(dir, MANIFEST));
  let manifest: ArtefactManifest;
  try {
    manifest = JSON.parse(raw.toString("utf8")) as ArtefactManifest;
  } catch (err) {
    throw corrupt(dir, `manifest is not JSON (${(err as Error).message})`);
  }
  if (manifest.format !== "riskloop-quantile-dense") throw corrupt(dir, `unknown format ${String(manifest.format)}`);
  if (manifest.formatVersion !== ARTEFACT_FORMAT_VERSION) throw corrupt(dir, `format version ${manifest.formatVersion} is not ${ARTEFACT_FORMAT_VERSION}`);
  return manifest;
}

/** Loads a saved model as a plain typed-array predictor; never touches tfjs, whatever family wrote it. */
export async function loadPredictor(dir: string): Promise<QuantilePredictor> {
  return new DensePredictor(await loadDenseSpec(dir));
}

/** Reads an artefact's serving spec (weights checked against the manifest's checksum). */
export async function loadDenseSpec(dir: string): Promise<DenseSpec> {
  const manifest = await readManifest(dir);
  const bytes = await readOrMissing(path.join(dir, manifest.weightsFile));
  if (createHash("sha256").update(bytes).digest("hex") !== manifest.weightsSha256) throw corrupt(dir, "weights fail the checksum");
  const tensors = new Map<string, Float32Array | Float64Array>();
  for (const t of manifest.tensors) {
    const size = t.dtype === "float64" ? 8 : 4;
    if (t.byteOffset + t.length * size > bytes.length) throw corrupt(dir, `tensor ${t.name} runs past the end of the weights`);
    // Copying into a fresh buffer gives the alignment typed arrays need.
    const copy = bytes.buffer.slice(bytes.byteOffset + t.byteOffset, bytes.byteOffset + t.byteOffset + t.length * size);
    tensors.set(t.name, t.dtype === "float64" ? new Float64Array(copy) : new Float32Array(copy));
  }
  const get = <T extends Float32Array | Float64Array>(name: string, kind: new (n: number) => T): T => {
    const t = tensors.get(name);
    if (!(t instanceof kind)) throw corrupt(dir, `tensor ${name} is missing or of the wrong type`);
    return t;
  };
  const layers: DenseLayer[] = manifest.layers.map((l) => ({
    kernel: get(l.kernel, Float32Array),
    bias: get(l.bias, Float32Array),
    inputs: l.inputs,
    units: l.units,
    activation: l.activation,
  }));
  const spec: DenseSpec = {
    familyId: manifest.familyId,
    quantiles: manifest.quantiles,
    featureNames: manifest.featureNames,
    standardiser: { mean: get("standardiser.mean", Float64Array), scale: get("standardiser.scale", Float64Array) },
    layers,
    head: manifest.head,
    target: manifest.target,
  };
  try {
    validateDenseSpec(spec);
  } catch (err) {
    throw corrupt(dir, (err as Error).message);
  }
  return spec;
}

/** A fitted model served by the dense forward pass; `saveExtra` lets a family add its own files (e.g. tfjs). */
export function fittedDenseModel(spec: DenseSpec, summary: FitSummary, saveExtra?: (dir: string) => Promise<string[]>): FittedModel {
  return {
    predictor: new DensePredictor(spec),
    summary,
    async save(dir, meta) {
      const extra = saveExtra ? await saveExtra(dir) : [];
      return saveDenseArtefact(dir, spec, summary, meta, extra);
    },
  };
}
