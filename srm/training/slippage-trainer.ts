import { createHash } from "node:crypto";
import { invalid, type Logger } from "../../core/index.ts";
import {
  columnsKey,
  compareOnHoldout,
  globalQuantileBaseline,
  groupQuantileBaseline,
  linearQuantileFamily,
  loadPredictor,
  mlpQuantileFamily,
  type FittedModel,
  type HoldoutComparison,
  type ModelFamily,
} from "../../models/index.ts";
import type { PrismaClient } from "../../prisma/index.ts";
import { buildFeatureSchema, type FeatureSchema } from "../features/index.ts";
import type { ModelRegistry, ModelVersionRow } from "../registry/model-registry.ts";
import { promotionGate, type GateDecision } from "../registry/promotion-gate.ts";
import { splitByAccountTime, toDataset } from "./slippage-dataset.ts";
import { loadSlippageRows } from "./slippage-rows.ts";

export interface TrainSlippageOptions {
  window: { from: Date; to: Date };
  seed?: number;
  minRows: number;
  gate: { minAbsolute: number; minRelative: number };
  /** Promote when the gate passes (scheduled retrains); `false` only registers the candidate. */
  autoPromote: boolean;
  configHash: string;
  pipSizeOf(symbol: string): number;
  onProgress?(fraction: number, note: string): void;
  signal?: AbortSignal;
}

export interface TrainSlippageReport {
  version: string;
  family: string;
  rows: { train: number; validation: number };
  holdout: HoldoutComparison;
  gate: GateDecision;
  promoted: boolean;
}

const METRIC = "pinball_mean";

/**
 * Trains every slippage family on the window, keeps whichever wins on the hold-out, scores the current
 * champion on the same hold-out, registers the winner as a candidate and (optionally) promotes it through the
 * gate. The champion is untouched unless the promotion transaction commits.
 */
export async function trainSlippage(prisma: PrismaClient, registry: ModelRegistry, logger: Logger, o: TrainSlippageOptions): Promise<TrainSlippageReport> {
  const progress = o.onProgress ?? (() => {});
  progress(0.02, "loading executions");
  const rows = await loadSlippageRows(prisma, o.window, o.pipSizeOf);
  if (rows.length < o.minRows) {
    throw invalid("executions", `a slippage model needs at least ${o.minRows} filled executions in the window; found ${rows.length}`, { needed: o.minRows, found: rows.length });
  }
  const { train, validation } = splitByAccountTime(rows);
  const schema = buildFeatureSchema(train.map((r) => r.features.symbol));
  const trainDs = toDataset(train, schema);
  const validDs = toDataset(validation, schema);
  const seed = o.seed ?? 42;

  const fitted = new Map<string, FittedModel>();
  const families: ModelFamily[] = [mlpQuantileFamily, linearQuantileFamily];
  for (const [i, family] of families.entries()) {
    progress(0.1 + (0.6 * i) / families.length, `fitting ${family.id}`);
    fitted.set(family.id, await family.fit(trainDs, { seed, validation: validDs, signal: o.signal }));
  }
  progress(0.75, "scoring on the hold-out");
  const symbolCols = schema.names.flatMap((n, i) => (n.startsWith("symbol_") || n.startsWith("session_") ? [i] : []));
  const candidates = Object.fromEntries([...fitted].map(([id, m]) => [id, m.predictor]));
  const holdout = compareOnHoldout(
    {
      ...candidates,
      baseline_global: globalQuantileBaseline(trainDs),
      baseline_symbol_session: groupQuantileBaseline(trainDs, columnsKey(symbolCols)),
    },
    validDs,
  );
  const byName = new Map(holdout.rows.map((r) => [r.name, r]));
  const best = [...fitted.keys()].sort((a, b) => byName.get(a)!.pinballMean - byName.get(b)!.pinballMean)[0]!;
  const bestBaseline = Math.min(byName.get("baseline_global")!.pinballMean, byName.get("baseline_symbol_session")!.pinballMean);

  const champion = await registry.champion("slippage");
  const championLoss = champion ? await scoreChampion(champion, validation, logger) : null;
  const gate = promotionGate({ metric: METRIC, candidate: byName.get(best)!.pinballMean, champion: championLoss, baseline: bestBaseline, ...o.gate });

  progress(0.85, "registering the candidate");
  const model = fitted.get(best)!;
  const row = await registry.register({
    kind: "slippage",
    featureSchema: schema,
    metrics: { metric: METRIC, family: best, holdout, championVersion: champion?.version ?? null, championLoss, rows: { train: train.length, validation: validation.length } },
    trainedFrom: new Date(rows[0]!.at),
    trainedTo: new Date(rows[rows.length - 1]!.at),
    rowCount: rows.length,
    dataHash: hashRows(rows),
    configHash: o.configHash,
    writeArtefact: async (dir) => {
      const mine = byName.get(best)!;
      await model.save(dir, { configHash: o.configHash, metrics: { pinball_mean: mine.pinballMean, coverage_p90: mine.coverageP90 ?? NaN, within_half_pip: mine.withinHalfPip ?? NaN } });
    },
  });

  let promoted = false;
  if (o.autoPromote && gate.promote) {
    await registry.promote("slippage", row.version, { reason: gate.reason, gate });
    promoted = true;
  } else if (o.autoPromote) {
    await registry.reject("slippage", row.version, gate);
  }
  progress(1, promoted ? "promoted" : "done");
  return { version: row.version, family: best, rows: { train: train.length, validation: validation.length }, holdout, gate, promoted };
}

/** The champion's mean pinball loss on the candidate's hold-out rows, encoded with the champion's own schema. */
async function scoreChampion(champion: ModelVersionRow, validation: Parameters<typeof toDataset>[0], logger: Logger): Promise<number | null> {
  try {
    const predictor = await loadPredictor(champion.artifactPath);
    const ds = toDataset(validation, champion.featureSchema as FeatureSchema);
    return compareOnHoldout({ champion: predictor }, ds).rows[0]!.pinballMean;
  } catch (err) {
    logger.warn({ err, version: champion.version }, "champion could not be scored; the candidate is compared with the baselines");
    return null;
  }
}

function hashRows(rows: readonly { at: number; slippagePips: number; accountId: string }[]): string {
  const h = createHash("sha256");
  for (const r of rows) h.update(`${r.accountId}|${r.at}|${r.slippagePips}\n`);
  return h.digest("hex");
}
