import { field, loadConfig, readEnvironment } from "../core/index.ts";
import {
  compareOnHoldout,
  globalQuantileBaseline,
  linearQuantileFamily,
  mlpQuantileFamily,
  seededRandom,
  tfRunnerFor,
  type Dataset,
  type HoldoutRow,
  type QuantilePredictor,
} from "../models/index.ts";

const config = loadConfig(
  {
    bench: {
      rows: field.int("BENCH_ROWS", "Training rows for the slippage training benchmark.", { default: 1_000_000, min: 10_000 }),
    },
  },
  readEnvironment(),
  [],
).value.bench;

const D = 10;
const EPOCHS = 4;
const BATCH_SIZE = 1024;
const LEARNING_RATE = 3e-3;

/**
 * Slippage-like rows: 10 features (6 normal, a stop-vs-target flag, a spread-like uniform, hour as sin/cos).
 * About 60% of targets are exactly 0, a few are small improvements (negative), the rest a heavy tail
 * (|Student-t₃| times a feature-dependent scale), so both the zero mass and the tail depend on the row.
 */
function syntheticSlippage(n: number, seed: number): Dataset {
  const rng = seededRandom(seed);
  const X = new Float32Array(n * D);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const row = X.subarray(i * D, (i + 1) * D);
    for (let c = 0; c < 6; c++) row[c] = rng.normal();
    const isStop = rng.next() < 0.7 ? 1 : 0;
    const spread = rng.next();
    const hour = rng.next() * 2 * Math.PI;
    row.set([isStop, spread, Math.sin(hour), Math.cos(hour)], 6);
    const pSlip = 1 / (1 + Math.exp(-(-1.2 + (row[0] as number) + 1.2 * isStop + 0.8 * Math.sin(hour))));
    const u = rng.next();
    if (u < pSlip) {
      const chi2 = rng.normal() ** 2 + rng.normal() ** 2 + rng.normal() ** 2;
      const t3 = rng.normal() / Math.sqrt(chi2 / 3);
      y[i] = 0.8 * Math.exp(0.3 * (row[1] as number) + 0.8 * spread + 0.4 * isStop) * Math.abs(t3);
    } else if (u < pSlip + 0.05) {
      y[i] = -0.3 * Math.abs(rng.normal());
    }
  }
  return { X, y, n, d: D, featureNames: Array.from({ length: D }, (_, c) => `x${c}`) };
}

function percentiles(samples: Float64Array): { p50: number; p99: number } {
  samples.sort();
  const at = (p: number): number => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))] as number;
  return { p50: at(0.5), p99: at(0.99) };
}

/** Per-call latency in µs of `call(i)` over `count` calls after a warm-up. */
function latency(count: number, warmup: number, call: (i: number) => void): { p50: number; p99: number } {
  for (let i = 0; i < warmup; i++) call(i);
  const samples = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    call(i);
    samples[i] = (performance.now() - t) * 1000;
  }
  return percentiles(samples);
}

const round = (v: number, digits = 3): number => Number(v.toFixed(digits));

/** MLP and linear training time on synthetic slippage rows, and serving latency of the forward pass vs tfjs. */
export default async function run(): Promise<Record<string, unknown>> {
  const rows = config.rows;
  const train = syntheticSlippage(rows, 1);
  const holdout = syntheticSlippage(100_000, 2);

  let started = performance.now();
  const mlp = await mlpQuantileFamily.fit(train, { seed: 7, epochs: EPOCHS, batchSize: BATCH_SIZE, learningRate: LEARNING_RATE });
  const mlpSeconds = (performance.now() - started) / 1000;

  started = performance.now();
  const linear = await linearQuantileFamily.fit(train, { seed: 7 });
  const linearSeconds = (performance.now() - started) / 1000;

  const table = compareOnHoldout(
    { mlp: mlp.predictor, linear: linear.predictor, global: globalQuantileBaseline(train) },
    holdout,
  );
  const quality = (name: string): Record<string, number> => {
    const r = table.rows.find((x) => x.name === name) as HoldoutRow;
    return { pinball_p50: round(r.pinball[0] as number, 4), pinball_p90: round(r.pinball[1] as number, 4), coverage_p90: round(r.coverageP90 as number) };
  };

  const out = new Float64Array(2);
  const predictor: QuantilePredictor = mlp.predictor;
  const forward = latency(100_000, 20_000, (i) => {
    const r = i % holdout.n;
    predictor.predictInto(holdout.X.subarray(r * D, (r + 1) * D), out);
  });
  const runner = await tfRunnerFor(mlp);
  const viaTf = latency(2_000, 200, (i) => {
    const r = i % holdout.n;
    runner.predictBatch(holdout.X.subarray(r * D, (r + 1) * D), 1);
  });
  runner.dispose();

  return {
    rows,
    features: D,
    mlp_epochs: mlp.summary.epochsRun,
    mlp_batch_size: BATCH_SIZE,
    mlp_learning_rate: LEARNING_RATE,
    mlp_train_s: round(mlpSeconds, 2),
    mlp_train_loss: round(mlp.summary.trainLoss, 4),
    linear_fit_s: round(linearSeconds, 2),
    linear_iterations: linear.summary.epochsRun,
    holdout_rows: holdout.n,
    holdout_mlp: quality("mlp"),
    holdout_linear: quality("linear"),
    holdout_global_baseline: quality("global"),
    forward_pass_us_p50: round(forward.p50),
    forward_pass_us_p99: round(forward.p99),
    tfjs_predict_us_p50: round(viaTf.p50),
    tfjs_predict_us_p99: round(viaTf.p99),
  };
}
