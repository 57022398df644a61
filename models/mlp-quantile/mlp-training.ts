import type * as Tf from "@tensorflow/tfjs";
import { RiskloopError } from "../../core/index.ts";
import type { FitProgress } from "../model-family.ts";
import { ModelErrors } from "../models.errors.ts";
import type { SeededRandom } from "../seeded-random.ts";
import type { ScaledRows } from "../standardiser.ts";
import type { TfModule } from "../tf-runtime.ts";
import { monotoneQuantiles, pinballLossTensor } from "./mlp-network.ts";

/** How to run the loop; all fields resolved by the caller. */
export interface TrainingPlan {
  epochs: number;
  batchSize: number;
  learningRate: number;
  patience: number;
  quantiles: number[];
  /** Multiplies losses back into target units for reports. */
  lossScale: number;
  signal?: AbortSignal;
  onProgress?: (p: FitProgress) => void;
}

/** What the loop did; the model holds the kept (best or last) weights when it returns. */
export interface TrainingOutcome {
  epochsRun: number;
  bestEpoch: number;
  trainLoss: number;
  validationLoss?: number;
}

const EVAL_CHUNK = 65_536;

function evaluate(tf: TfModule, model: Tf.LayersModel, rows: ScaledRows, taus: Tf.Tensor2D): number {
  let sum = 0;
  for (let s = 0; s < rows.n; s += EVAL_CHUNK) {
    const m = Math.min(EVAL_CHUNK, rows.n - s);
    sum +=
      tf.tidy(() => {
        const x = tf.tensor2d(rows.X.subarray(s * rows.d, (s + m) * rows.d), [m, rows.d]);
        const y = tf.tensor2d(rows.y.subarray(s, s + m), [m, 1]);
        return pinballLossTensor(tf, monotoneQuantiles(tf, model.predict(x) as Tf.Tensor2D), y, taus);
      }).dataSync()[0]! * m;
  }
  return sum / rows.n;
}

function diverged(epoch: number): RiskloopError {
  return new RiskloopError(ModelErrors.MODELS_ERR_FIT_DIVERGED, `mlp-quantile: loss became non-finite at epoch ${epoch}`, { epoch });
}

/**
 * Minibatch Adam on the joint pinball loss with a seeded shuffle per epoch (tfjs's own shuffle is unseeded),
 * keeping the weights of the best validation epoch when validation rows are given.
 */
export function trainMlp(
  tf: TfModule,
  model: Tf.LayersModel,
  train: ScaledRows,
  validation: ScaledRows | undefined,
  plan: TrainingPlan,
  rng: SeededRandom,
): TrainingOutcome {
  const { n, d } = train;
  const started = performance.now();
  const taus = tf.tensor2d(plan.quantiles, [1, plan.quantiles.length]);
  const optimizer = tf.train.adam(plan.learningRate);
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  const xs = new Float32Array(n * d);
  const ys = new Float32Array(n);
  let best = { epoch: 0, validation: Number.POSITIVE_INFINITY, train: Number.NaN, weights: [] as Float32Array[] };
  let epoch = 0;
  try {
    while (epoch < plan.epochs) {
      plan.signal?.throwIfAborted();
      epoch++;
      rng.shuffle(order);
      for (let i = 0; i < n; i++) {
        const r = order[i] as number;
        xs.set(train.X.subarray(r * d, (r + 1) * d), i * d);
        ys[i] = train.y[r] as number;
      }
      let lossSum = 0;
      for (let s = 0; s < n; s += plan.batchSize) {
        const m = Math.min(plan.batchSize, n - s);
        const x = tf.tensor2d(xs.subarray(s * d, (s + m) * d), [m, d]);
        const y = tf.tensor2d(ys.subarray(s, s + m), [m, 1]);
        const loss = optimizer.minimize(() => pinballLossTensor(tf, monotoneQuantiles(tf, model.apply(x) as Tf.Tensor2D), y, taus), true);
        lossSum += (loss?.dataSync()[0] ?? Number.NaN) * m;
        tf.dispose([x, y, loss as Tf.Scalar]);
      }
      const trainLoss = (lossSum / n) * plan.lossScale;
      if (!Number.isFinite(trainLoss)) throw diverged(epoch);
      const validationLoss = validation ? evaluate(tf, model, validation, taus) * plan.lossScale : undefined;
      if (validationLoss !== undefined && !Number.isFinite(validationLoss)) throw diverged(epoch);
      plan.onProgress?.({
        familyId: "mlp-quantile",
        epoch,
        epochs: plan.epochs,
        trainLoss,
        ...(validationLoss === undefined ? {} : { validationLoss }),
        elapsedMs: performance.now() - started,
      });
      if (validationLoss === undefined) {
        best = { epoch, validation: Number.NaN, train: trainLoss, weights: [] };
      } else if (validationLoss < best.validation) {
        const weights = model.getWeights().map((w) => Float32Array.from(w.dataSync() as Float32Array));
        best = { epoch, validation: validationLoss, train: trainLoss, weights };
      } else if (epoch - best.epoch >= plan.patience) {
        break;
      }
    }
    if (best.weights.length > 0) {
      const shapes = model.getWeights().map((w) => w.shape);
      const restored = best.weights.map((w, i) => tf.tensor(w, shapes[i]));
      model.setWeights(restored);
      tf.dispose(restored);
    }
  } finally {
    optimizer.dispose();
    taus.dispose();
  }
  return {
    epochsRun: epoch,
    bestEpoch: best.epoch,
    trainLoss: best.train,
    ...(validation ? { validationLoss: best.validation } : {}),
  };
}
