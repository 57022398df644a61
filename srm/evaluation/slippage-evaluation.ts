import { conventionalPipSize, invalid } from "../../core/index.ts";
import {
  columnsKey,
  globalQuantileBaseline,
  groupQuantileBaseline,
  quantileColumn,
  scoreQuantiles,
  selectRows,
  type Dataset,
  type QuantilePredictor,
} from "../../models/index.ts";
import type { PrismaClient } from "../../prisma/index.ts";
import { buildFeatureSchema, type FeatureSchema } from "../features/index.ts";
import type { ModelRegistry } from "../registry/model-registry.ts";
import { loadSlippageModel } from "../registry/slippage-model-loader.ts";
import type { FillContextLookup } from "../statements/index.ts";
import { splitByAccountTime, toDataset } from "../training/slippage-dataset.ts";
import { loadSlippageRows, type SlippageRow } from "../training/slippage-rows.ts";
import { fillFeatureRows } from "./fill-features.ts";
import type { FillsFile } from "./fills-file.ts";

/** Scores of one predictor on a set of fills (pinball losses in pips). */
export interface QuantileMetrics {
  n: number;
  pinball_p50: number | null;
  pinball_p90: number | null;
  pinball_mean: number;
  coverage_p90: number | null;
  within_half_pip: number | null;
}

type BaselineName = "global" | "symbol_session";

/** Headline figures on one set of fills: the champion's and the better baseline's. */
export interface SlippageScores {
  n: number;
  coverage_p90: number | null;
  pinball_p50: number | null;
  pinball_p90: number | null;
  within_half_pip: number | null;
  /** Which baseline the `baseline_*` fields report: the one with the lower mean pinball loss on these fills. */
  baseline: BaselineName;
  baseline_pinball_p50: number | null;
  baseline_pinball_p90: number | null;
  baselines: Record<BaselineName, QuantileMetrics>;
}

/** What `riskloop evaluate slippage` prints. */
export interface SlippageEvaluation extends SlippageScores {
  champion: { version: string; family: string | null; error?: string } | null;
  /** Why champion fields are null, when they are. */
  champion_note?: string;
  /** The same figures on the fills that are not among the training rows (null when every fill is). */
  out_of_sample: SlippageScores | null;
  training: { from: string; to: string; rows: number; train_rows: number; champion_row_count: number | null };
  fills: { file: string; time_zone: string; read: number; duplicates_removed: number; inconsistent_rows: number; tp_fills: number; tp_fills_with_stop_loss: number; with_market_context: number; in_training_rows: number };
}

/** Options of `evaluateSlippage`. */
export interface EvaluateSlippageOptions {
  /** Training window used when there is no champion (a scheduled retrain's window). */
  window: { from: Date; to: Date };
  pipSizeOf?: (symbol: string) => number;
  context?: FillContextLookup;
}

function metrics(p: QuantilePredictor, ds: Dataset): QuantileMetrics {
  const s = scoreQuantiles(ds.y, p.predictBatch(ds.X, ds.n), p.quantiles);
  const at = (tau: number): number | null => {
    const k = quantileColumn(p.quantiles, tau);
    return k < 0 ? null : s.pinball[k]!;
  };
  return { n: s.n, pinball_p50: at(0.5), pinball_p90: at(0.9), pinball_mean: s.pinballMean, coverage_p90: s.coverageP90, within_half_pip: s.withinHalfPip };
}

/** Identifies a fill among the training rows (EA baskets close several positions in one second at one price). */
const key = (r: SlippageRow): string => {
  const f = r.features;
  return `${f.symbol.toUpperCase()}|${r.at}|${r.slippagePips.toFixed(6)}|${f.side}|${f.fillKind}|${f.volumeLots}`;
};

/**
 * Scores the slippage champion and both baselines on real fills. The baselines (global quantiles, and
 * quantiles per symbol and session) are fitted on the training rows the champion learned from: the stored
 * executions of its training window, split per account in time as the trainer splits them. Fills also found
 * among those rows are scored in-sample; `out_of_sample` repeats the figures without them.
 */
export async function evaluateSlippage(prisma: PrismaClient, registry: ModelRegistry, fills: FillsFile, opts: EvaluateSlippageOptions): Promise<SlippageEvaluation> {
  const pipSizeOf = opts.pipSizeOf ?? conventionalPipSize;
  const champion = await registry.champion("slippage");
  const window =
    champion?.trainedFrom && champion.trainedTo ? { from: champion.trainedFrom, to: new Date(champion.trainedTo.getTime() + 1) } : opts.window;
  const stored = await loadSlippageRows(prisma, window, pipSizeOf);
  const { train } = splitByAccountTime(stored);
  if (train.length === 0) {
    throw invalid("training rows", `no filled executions between ${window.from.toISOString()} and ${window.to.toISOString()} to fit the baselines on: import statements first (riskloop import trades)`);
  }
  const schema = buildFeatureSchema(train.map((r) => r.features.symbol));
  const trainDs = toDataset(train, schema);
  const groupCols = schema.names.flatMap((n, i) => (n.startsWith("symbol_") || n.startsWith("session_") ? [i] : []));
  const baselines: Record<BaselineName, QuantilePredictor> = {
    global: globalQuantileBaseline(trainDs),
    symbol_session: groupQuantileBaseline(trainDs, columnsKey(groupCols)),
  };

  const features = await fillFeatureRows(prisma, fills.rows, pipSizeOf, opts.context);
  const rows = features.rows;
  const known = new Set(stored.map(key));
  const outside = rows.flatMap((r, i) => (known.has(key(r)) ? [] : [i]));

  let model: { predictor: QuantilePredictor; schema: FeatureSchema } | null = null;
  let championInfo: SlippageEvaluation["champion"] = null;
  if (champion) {
    const family = (champion.metrics as { family?: string } | null)?.family ?? null;
    try {
      const loaded = await loadSlippageModel(champion);
      model = { predictor: loaded.predictor, schema: loaded.schema };
      championInfo = { version: champion.version, family };
    } catch (err) {
      championInfo = { version: champion.version, family, error: (err as Error).message };
    }
  }

  const scoresOn = (subset: number[] | null): SlippageScores => {
    const pick = (ds: Dataset): Dataset => (subset ? selectRows(ds, subset) : ds);
    const baseDs = pick(toDataset(rows, schema));
    const base = { global: metrics(baselines.global, baseDs), symbol_session: metrics(baselines.symbol_session, baseDs) };
    const better: BaselineName = base.symbol_session.pinball_mean < base.global.pinball_mean ? "symbol_session" : "global";
    const m = model ? metrics(model.predictor, pick(toDataset(rows, model.schema))) : null;
    return {
      n: baseDs.n,
      coverage_p90: m?.coverage_p90 ?? null,
      pinball_p50: m?.pinball_p50 ?? null,
      pinball_p90: m?.pinball_p90 ?? null,
      within_half_pip: m?.within_half_pip ?? null,
      baseline: better,
      baseline_pinball_p50: base[better].pinball_p50,
      baseline_pinball_p90: base[better].pinball_p90,
      baselines: base,
    };
  };

  const note = !champion
    ? "no slippage champion in the registry: only the baselines were scored"
    : championInfo?.error
      ? "the champion's artefact could not be loaded: only the baselines were scored"
      : undefined;
  return {
    ...scoresOn(null),
    champion: championInfo,
    ...(note ? { champion_note: note } : {}),
    out_of_sample: outside.length === 0 ? null : scoresOn(outside),
    training: { from: window.from.toISOString(), to: window.to.toISOString(), rows: stored.length, train_rows: train.length, champion_row_count: champion?.rowCount ?? null },
    fills: {
      file: fills.file,
      time_zone: fills.timeZone,
      read: fills.read,
      duplicates_removed: fills.duplicates,
      inconsistent_rows: fills.inconsistent,
      tp_fills: fills.rows.filter((f) => f.fill.kind === "TP_FILL").length,
      tp_fills_with_stop_loss: features.tpWithStopLoss,
      with_market_context: features.withMarketContext,
      in_training_rows: rows.length - outside.length,
    },
  };
}
