import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type * as Tf from "@tensorflow/tfjs";
import type { TfModule } from "./tf-runtime.ts";

const MODEL_JSON = "model.json";
const WEIGHTS_BIN = "weights.bin";

/** Files a folder handler writes, relative to its folder. */
export const TF_FOLDER_FILES = [MODEL_JSON, WEIGHTS_BIN] as const;

/**
 * A `tf.io.IOHandler` storing `model.json` + `weights.bin` in a folder: tfjs has no `file://` handler
 * without tfjs-node. Reloading gives bit-identical weights.
 */
export function tfFolderHandler(tf: TfModule, dir: string): Required<Pick<Tf.io.IOHandler, "save" | "load">> {
  return {
    async save(artifacts: Tf.io.ModelArtifacts): Promise<Tf.io.SaveResult> {
      await mkdir(dir, { recursive: true });
      const weights = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const modelJson: Tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as Tf.io.ModelJSON["modelTopology"],
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
      };
      await writeFile(path.join(dir, WEIGHTS_BIN), new Uint8Array(weights));
      await writeFile(path.join(dir, MODEL_JSON), JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<Tf.io.ModelArtifacts> {
      const modelJson = JSON.parse(await readFile(path.join(dir, MODEL_JSON), "utf8")) as Tf.io.ModelJSON;
      const bytes = await readFile(path.join(dir, WEIGHTS_BIN));
      const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      const specs = modelJson.weightsManifest.flatMap((g) => g.weights);
      return tf.io.getModelArtifactsForJSONSync(modelJson, specs, weightData);
    },
  };
}
