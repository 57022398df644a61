import type * as Tf from "@tensorflow/tfjs";
import type { DenseLayer } from "../dense-predictor.ts";
import type { SeededRandom } from "../seeded-random.ts";
import type { TfModule } from "../tf-runtime.ts";

/** Builds d → hidden… → q with relu; each kernel's Glorot initialiser gets its own seed from `rng`. */
export function buildMlp(tf: TfModule, d: number, hidden: readonly number[], q: number, rng: SeededRandom): Tf.Sequential {
  const model = tf.sequential();
  hidden.forEach((units, i) => {
    model.add(
      tf.layers.dense({
        ...(i === 0 ? { inputShape: [d] } : {}),
        units,
        activation: "relu",
        kernelInitializer: tf.initializers.glorotUniform({ seed: rng.int31() }),
        biasInitializer: "zeros",
      }),
    );
  });
  model.add(
    tf.layers.dense({
      ...(hidden.length === 0 ? { inputShape: [d] } : {}),
      units: q,
      activation: "linear",
      kernelInitializer: tf.initializers.glorotUniform({ seed: rng.int31() }),
      biasInitializer: "zeros",
    }),
  );
  return model;
}

/** Raw outputs [m, q] → ordered quantiles: the first is p_low, each next adds a softplus (≥ 0) gap. */
export function monotoneQuantiles(tf: TfModule, raw: Tf.Tensor2D): Tf.Tensor2D {
  const q = raw.shape[1];
  const cols: Tf.Tensor2D[] = [raw.slice([0, 0], [-1, 1])];
  for (let k = 1; k < q; k++) cols.push(tf.add(cols[k - 1] as Tf.Tensor2D, tf.softplus(raw.slice([0, k], [-1, 1]))));
  return cols.length === 1 ? (cols[0] as Tf.Tensor2D) : tf.concat(cols, 1);
}

/** Mean pinball loss over rows and quantiles; `taus` is [1, q], `y` is [m, 1]. */
export function pinballLossTensor(tf: TfModule, quantiles: Tf.Tensor2D, y: Tf.Tensor2D, taus: Tf.Tensor2D): Tf.Scalar {
  const e = tf.sub(y, quantiles);
  return tf.mean(tf.maximum(tf.mul(e, taus), tf.mul(e, tf.sub(taus, 1))));
}

/** The model's weights as typed-array layers (kernels [in, out] row-major, copied out of tfjs). */
export function exportLayers(model: Tf.LayersModel): DenseLayer[] {
  const weights = model.getWeights();
  return model.layers.map((layer, i) => {
    const kernel = weights[2 * i] as Tf.Tensor;
    const bias = weights[2 * i + 1] as Tf.Tensor;
    const config = layer.getConfig() as { activation?: string };
    return {
      kernel: Float32Array.from(kernel.dataSync() as Float32Array),
      bias: Float32Array.from(bias.dataSync() as Float32Array),
      inputs: kernel.shape[0] as number,
      units: kernel.shape[1] as number,
      activation: config.activation === "relu" ? "relu" : "linear",
    };
  });
}
