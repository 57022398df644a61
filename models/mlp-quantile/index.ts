export { createMlpQuantileFamily, mlpQuantileFamily, MLP_TF_FOLDER, type MlpFamilyConfig, type MlpFittedModel, type MlpQuantileFamily } from "./mlp-quantile-family.ts";
export { loadTfRunner, tfRunnerFor, type TfQuantileRunner } from "./mlp-tf-runner.ts";
