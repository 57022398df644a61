import path from "node:path";
import type * as Tf from "@tensorflow/tfjs";
import { invalid } from "../../core/index.ts";
import { loadDenseSpec } from "../dense-artefact.ts";
import type { DenseSpec } from "../dense-predictor.ts";
import { tfFolderHandler } from "../tf-folder-handler.ts";
import { loadTf, type TfModule } from "../tf-runtime.ts";
import { monotoneQuantiles } from "./mlp-network.ts";
import { MLP_TF_FOLDER, type MlpFittedModel } from "./mlp-quantile-family.ts";

/** The same prediction computed entirely in tfjs; for checking the forward pass and timing the difference. */
export interface TfQuantileRunner {
  readonly quantiles: readonly number[];
  readonly d: number;
  /** Standardise → `model.predict` → monotone head → target units, all as tfjs ops; n×q row-major. */
  predictBatch(X: ArrayLike<number>, n: number): Float64Array;
  dispose(): void;
}

function runner(tf: TfModule, model: Tf.LayersModel, spec: DenseSpec): TfQuantileRunner {
  const d = spec.featureNames.length;
  const mean = tf.tensor2d(Float32Array.from(spec.standardiser.mean), [1, d]);
  const scale = tf.tensor2d(Float32Array.from(spec.standardiser.scale), [1, d]);
  return {
    quantiles: spec.quantiles,
    d,
    predictBatch(X, n) {
      if (X.length !== n * d) throw invalid("X", `has ${X.length} values, expected n×d = ${n}×${d}`);
      const out = tf.tidy(() => {
        const z = tf.div(tf.sub(tf.tensor2d(Float32Array.from(X), [n, d]), mean), scale);
        const q = monotoneQuantiles(tf, model.predict(z) as Tf.Tensor2D);
        return tf.add(tf.mul(q, spec.target.scale), spec.target.shift);
      });
      const values = Float64Array.from(out.dataSync());
      out.dispose();
      return values;
    },
    dispose() {
      tf.dispose([mean, scale]);
      model.dispose();
    },
  };
}

/** A tfjs runner over a fresh fit (from its in-memory tfjs artefacts). */
export async function tfRunnerFor(fitted: MlpFittedModel): Promise<TfQuantileRunner> {
  const tf = await loadTf();
  return runner(tf, await tf.loadLayersModel(tf.io.fromMemory(fitted.tfArtifacts)), fitted.spec);
}

/** A tfjs runner over a saved MLP artefact (its `tfjs/` folder and manifest). */
export async function loadTfRunner(dir: string): Promise<TfQuantileRunner> {
  const tf = await loadTf();
  const spec = await loadDenseSpec(dir);
  return runner(tf, await tf.loadLayersModel(tfFolderHandler(tf, path.join(dir, MLP_TF_FOLDER))), spec);
}
