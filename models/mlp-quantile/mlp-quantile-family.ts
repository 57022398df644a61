import path from "node:path";
import type * as Tf from "@tensorflow/tfjs";
import { RiskloopError, invalid } from "../../core/index.ts";
import { fittedDenseModel } from "../dense-artefact.ts";
import type { DenseLayer, DenseSpec } from "../dense-predictor.ts";
import { resolveQuantiles, validateDataset, validateSameSchema } from "../dataset.ts";
import type { Dataset, FitOptions, FitProgress, FitSummary, FittedModel, ModelFamily } from "../model-family.ts";
import { ModelErrors } from "../models.errors.ts";
import { seededRandom, type SeededRandom } from "../seeded-random.ts";
import { fitStandardiser, fitTargetScale, scaleRows, type ScaledRows } from "../standardiser.ts";
import { TF_FOLDER_FILES, tfFolderHandler } from "../tf-folder-handler.ts";
import { loadTf, type TfModule } from "../tf-runtime.ts";
import { buildMlp, exportLayers } from "./mlp-network.ts";
import { trainMlp, type TrainingOutcome, type TrainingPlan } from "./mlp-training.ts";

/** Folder, inside an artefact, holding the tfjs `model.json` + `weights.bin` (for warm starts and inspection). */
export const MLP_TF_FOLDER = "tfjs";

/** Architecture choices of the MLP family. */
export interface MlpFamilyConfig {
  /** Hidden layer widths. @defaultValue [32, 32] */
  hiddenUnits?: number[];
}

/** An MLP fit: the dense spec it serves with and the tfjs artefacts it was exported from. */
export interface MlpFittedModel extends FittedModel {
  readonly spec: DenseSpec;
  readonly tfArtifacts: Tf.io.ModelArtifacts;
}

const TARGET_STEPS = 3000;

function positiveInt(name: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || v < 1) throw invalid(name, `must be a positive integer, got ${v}`);
  return v;
}

/** Trains a fresh network, then copies its weights out (typed arrays and tfjs artefacts) and frees it. */
async function trainAndExport(
  tf: TfModule,
  d: number,
  hidden: readonly number[],
  train: ScaledRows,
  validation: ScaledRows | undefined,
  plan: TrainingPlan,
  rng: SeededRandom,
): Promise<{ outcome: TrainingOutcome; layers: DenseLayer[]; tfArtifacts: Tf.io.ModelArtifacts }> {
  const model = buildMlp(tf, d, hidden, plan.quantiles.length, rng);
  try {
    const outcome = trainMlp(tf, model, train, validation, plan, rng);
    let tfArtifacts: Tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        tfArtifacts = a;
        return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) };
      }),
    );
    const layers = exportLayers(model);
    if (!tfArtifacts || layers.some((l) => !l.kernel.every(Number.isFinite) || !l.bias.every(Number.isFinite))) {
      throw new RiskloopError(ModelErrors.MODELS_ERR_FIT_DIVERGED, "mlp-quantile: exported weights are not finite");
    }
    return { outcome, layers, tfArtifacts };
  } finally {
    model.dispose();
  }
}

/** The MLP family; its fits also expose the tfjs artefacts (for the tfjs runner and warm starts). */
export interface MlpQuantileFamily extends ModelFamily {
  fit(train: Dataset, opts: FitOptions, onProgress?: (p: FitProgress) => void): Promise<MlpFittedModel>;
}

/** Creates the MLP quantile family: d → hidden (relu) → one output per quantile, monotone softplus-gap head. */
export function createMlpQuantileFamily(config: MlpFamilyConfig = {}): MlpQuantileFamily {
  const hidden = config.hiddenUnits ?? [32, 32];
  return {
    id: "mlp-quantile",
    description: `tfjs MLP (${["d", ...hidden, "q"].join(" → ")}, relu) trained jointly on the pinball loss of all quantiles with a monotone head; served by a typed-array forward pass`,
    async fit(train, opts, onProgress) {
      const started = performance.now();
      validateDataset(train, "train");
      if (opts.validation) validateSameSchema(train, opts.validation, "validation");
      const quantiles = resolveQuantiles(opts.quantiles);
      const batchSize = positiveInt("batchSize", opts.batchSize, train.n >= 100_000 ? 512 : 64);
      const stepsPerEpoch = Math.ceil(train.n / batchSize);
      const epochs = positiveInt("epochs", opts.epochs, Math.min(200, Math.max(5, Math.ceil(TARGET_STEPS / stepsPerEpoch))));
      const tf = await loadTf();
      const rng = seededRandom(opts.seed);
      const standardiser = fitStandardiser(train.X, train.n, train.d);
      const target = fitTargetScale(train.y);
      const learningRate = opts.learningRate ?? 3e-3;
      if (!(learningRate > 0 && Number.isFinite(learningRate))) throw invalid("learningRate", `must be a positive number, got ${learningRate}`);
      const plan: TrainingPlan = {
        epochs,
        batchSize,
        learningRate,
        patience: positiveInt("patience", opts.patience, 10),
        quantiles,
        lossScale: target.scale,
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(onProgress ? { onProgress } : {}),
      };
      const trainRows = scaleRows(train, standardiser, target);
      const validationRows = opts.validation ? scaleRows(opts.validation, standardiser, target) : undefined;
      const { outcome, layers, tfArtifacts } = await trainAndExport(tf, train.d, hidden, trainRows, validationRows, plan, rng);
      const spec: DenseSpec = { familyId: "mlp-quantile", quantiles, featureNames: [...train.featureNames], standardiser, layers, head: "softplus-gaps", target };
      const summary: FitSummary = {
        familyId: "mlp-quantile",
        trainedRows: train.n,
        epochsRun: outcome.epochsRun,
        trainLoss: outcome.trainLoss,
        ...(outcome.validationLoss === undefined ? {} : { validationLoss: outcome.validationLoss }),
        fitMs: performance.now() - started,
        details: { bestEpoch: outcome.bestEpoch, hiddenUnits: hidden.join("x"), batchSize, learningRate },
      };
      const fitted = fittedDenseModel(spec, summary, async (dir) => {
        await tfFolderHandler(tf, path.join(dir, MLP_TF_FOLDER)).save(tfArtifacts);
        return TF_FOLDER_FILES.map((f) => `${MLP_TF_FOLDER}/${f}`);
      });
      return { ...fitted, spec, tfArtifacts };
    },
  };
}

/** The default MLP family (32 → 32 hidden units). */
export const mlpQuantileFamily = createMlpQuantileFamily();
