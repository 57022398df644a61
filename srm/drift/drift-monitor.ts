import type { Clock, EventBus, Logger } from "../../core/index.ts";
import { quantileColumn } from "../../models/index.ts";
import type { Prisma, PrismaClient } from "../../prisma/index.ts";
import type { SlippageModel } from "../decision/decide.ts";
import type { FeatureInput } from "../features/index.ts";
import type { ModelRegistry, ModelVersionRow } from "../registry/model-registry.ts";
import { loadSlippageModel } from "../registry/slippage-model-loader.ts";
import { splitByAccountTime } from "../training/slippage-dataset.ts";
import { loadSlippageRows, type SlippageRow } from "../training/slippage-rows.ts";
import { detectDatasetDrift, type DatasetDrift } from "./dataset-drift.ts";
import { DriftAlerter, type DriftAlert } from "./drift-alerter.ts";
import type { DriftSettings } from "./drift.config.ts";
import { featureColumnPairs } from "./feature-columns.ts";
import { checkPerformance } from "./performance-check.ts";
import { detectorSelection, type DetectorSelection } from "./select-detector.ts";

export interface DriftMonitorOptions {
  prisma: PrismaClient;
  registry: Pick<ModelRegistry, "champion">;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
  settings: DriftSettings;
  pipSizeOf(symbol: string): number;
  /** Loads the champion's predictor for the hold-out accuracy. @defaultValue loadSlippageModel */
  loadModel?(row: ModelVersionRow): Promise<SlippageModel>;
  /** Enqueues the slippage retrain; srm/ receives it as a callback because the queue lives in jobs/. */
  requestRetrain?(reason: { reportId: string; alerts: readonly DriftAlert[] }): Promise<void>;
}

/** What a run did: nothing to compare against, or a stored report with its alerts. */
export type DriftRunResult =
  | { status: "skipped"; reason: string }
  | { status: "reported"; reportId: string; drifted: boolean; driftedShare: number; alerts: DriftAlert[]; retrainRequested: boolean };

/** An accurate prediction: the served (or replayed) p50 within half a pip of the slippage that followed. */
const hit = (p50: number, actual: number) => Math.abs(p50 - actual) <= 0.5;

/** Every `step`-th row, so a long training window is thinned evenly over time rather than truncated. */
function thin<T>(rows: readonly T[], max: number): T[] {
  if (rows.length <= max) return [...rows];
  const step = rows.length / max;
  return Array.from({ length: max }, (_, i) => rows[Math.floor(i * step)]!);
}

const isMarket = (r: SlippageRow) => r.features.fillKind === "MARKET";

/**
 * Compares what the slippage champion sees now with what it was trained on, and how well it predicts now with
 * how well it predicted its own hold-out. The reference is re-loaded with `loadSlippageRows` over the champion's
 * `trainedFrom`–`trainedTo` (the trainer stores no sample, and re-loading yields exactly the rows and features it
 * learned from), limited to market fills because decisions are market orders. Current features are the raw
 * `FeatureInput` of recent decisions. Each run stores a `DriftReport`, raises alerts, and may ask for a retrain.
 */
export class DriftMonitor {
  readonly #selection: DetectorSelection;
  readonly #alerter: DriftAlerter;

  constructor(private readonly o: DriftMonitorOptions) {
    this.#selection = detectorSelection(o.settings);
    this.#alerter = new DriftAlerter(o.prisma, o.bus, o.clock, o.logger, { url: o.settings.webhookUrl, timeoutMs: o.settings.webhookTimeoutMs });
  }

  get settings(): DriftSettings {
    return this.o.settings;
  }

  async run(): Promise<DriftRunResult> {
    const { prisma, settings: s } = this.o;
    const champion = await this.o.registry.champion("slippage");
    if (!champion) return { status: "skipped", reason: "no slippage champion to monitor" };
    const now = this.o.clock.now();
    const window = { from: new Date(now - s.windowDays * 86_400_000), to: new Date(now) };
    const notes: string[] = [];

    const training = champion.trainedFrom && champion.trainedTo ? await loadSlippageRows(prisma, { from: champion.trainedFrom, to: new Date(champion.trainedTo.getTime() + 1) }, this.o.pipSizeOf) : [];
    const reference = thin(training.filter(isMarket), s.maxRows).map((r) => r.features);
    const current = await this.#recentFeatures(window);
    let dataset: DatasetDrift = { columns: [], driftedShare: 0, drifted: false };
    if (reference.length >= s.minRows && current.length >= s.minRows) {
      dataset = detectDatasetDrift(featureColumnPairs(reference, current), this.#selection, { datasetShare: s.datasetShare, minValues: s.minRows });
    } else {
      notes.push(`feature drift not judged: ${reference.length} reference and ${current.length} recent market rows, ${s.minRows} needed on each side`);
    }

    const performance = checkPerformance(await this.#holdoutHits(champion, training, notes), await this.#recentHits(champion, window), s);
    const alerts: DriftAlert[] = performance.alerts.map((a) => ({ ...a, severity: a.code === "SRM_DRIFT_ACCURACY_LOW" ? "CRITICAL" : "WARNING" }));
    if (dataset.drifted) {
      const names = dataset.columns.filter((c) => c.drifted).map((c) => c.name);
      alerts.unshift({ code: "SRM_DRIFT_DATASET", severity: "WARNING", message: `${names.length} of ${dataset.columns.length} feature columns drifted (${names.join(", ")})` });
    }

    const report = await prisma.driftReport.create({
      data: {
        modelKind: "slippage",
        modelVersionId: champion.id,
        windowStart: window.from,
        windowEnd: window.to,
        referenceRows: reference.length,
        currentRows: current.length,
        features: dataset.columns as unknown as Prisma.InputJsonValue,
        performance: { ...performance, modelVersion: champion.version, notes, alerts } as unknown as Prisma.InputJsonValue,
        drifted: dataset.drifted,
        driftedShare: dataset.driftedShare,
        createdAt: new Date(now),
      },
    });
    await this.#alerter.raise(alerts, { reportId: report.id, modelKind: "slippage", modelVersion: champion.version });
    const retrainRequested = s.retrain && alerts.length > 0 ? await this.#retrain(report.id, alerts) : false;
    this.o.logger.info({ reportId: report.id, drifted: dataset.drifted, driftedShare: dataset.driftedShare, alerts: alerts.length, retrainRequested }, "drift check done");
    return { status: "reported", reportId: report.id, drifted: dataset.drifted, driftedShare: dataset.driftedShare, alerts, retrainRequested };
  }

  async #recentFeatures(window: { from: Date; to: Date }): Promise<FeatureInput[]> {
    const rows = await this.o.prisma.srmDecision.findMany({
      where: { createdAt: { gte: window.from, lt: window.to } },
      orderBy: { createdAt: "desc" },
      take: this.o.settings.maxRows,
      select: { features: true },
    });
    // Decisions that failed closed or never reached the model store `{}`.
    return rows.map((r) => r.features as unknown as FeatureInput).filter((f) => typeof f?.symbol === "string" && (f.fillKind ?? "MARKET") === "MARKET");
  }

  /** The champion's p50 replayed on its own hold-out (market fills), oldest first. */
  async #holdoutHits(champion: ModelVersionRow, training: readonly SlippageRow[], notes: string[]): Promise<boolean[]> {
    const holdout = splitByAccountTime(training).validation.filter(isMarket);
    if (holdout.length === 0) return [];
    let model: SlippageModel;
    try {
      model = await (this.o.loadModel ?? loadSlippageModel)(champion);
    } catch (err) {
      this.o.logger.warn({ err, version: champion.version }, "champion could not be loaded for the accuracy band");
      notes.push(`champion ${champion.version} could not be loaded: no accuracy band`);
      return [];
    }
    const k = Math.max(0, quantileColumn(model.predictor.quantiles, 0.5));
    const out = new Float64Array(model.predictor.quantiles.length);
    return holdout.map((r) => {
      model.predictor.predictInto(model.encode(r.features), out);
      // Served p50s are clamped at zero (decide), so the replay is too.
      return hit(Math.max(0, out[k]!), r.slippagePips);
    });
  }

  /** Recent fills whose decision carried this champion's prediction. */
  async #recentHits(champion: ModelVersionRow, window: { from: Date; to: Date }): Promise<boolean[]> {
    const rows = await this.o.prisma.executionLog.findMany({
      where: { status: "FILLED", slippagePips: { not: null }, decisionId: { not: null }, requestedAt: { gte: window.from, lt: window.to } },
      orderBy: { requestedAt: "desc" },
      take: this.o.settings.maxRows,
      select: { slippagePips: true, decision: { select: { predictions: true, modelVersions: true } } },
    });
    const hits: boolean[] = [];
    for (const r of rows) {
      const p = r.decision?.predictions as { p50?: unknown; source?: unknown } | undefined;
      const versions = r.decision?.modelVersions as Record<string, unknown> | undefined;
      if (p?.source !== "model" || typeof p.p50 !== "number" || versions?.slippage !== champion.version) continue;
      hits.push(hit(p.p50, r.slippagePips!));
    }
    return hits;
  }

  async #retrain(reportId: string, alerts: readonly DriftAlert[]): Promise<boolean> {
    if (!this.o.requestRetrain) return false;
    try {
      await this.o.requestRetrain({ reportId, alerts });
      return true;
    } catch (err) {
      this.o.logger.error({ err, reportId }, "drift could not enqueue the slippage retrain");
      return false;
    }
  }
}
