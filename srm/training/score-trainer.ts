import { writeFileSync } from "node:fs";
import path from "node:path";
import { createHash } from "node:crypto";
import { invalid } from "../../core/index.ts";
import type { PrismaClient } from "../../prisma/index.ts";
import type { ModelRegistry } from "../registry/model-registry.ts";
import { promotionGate, type GateDecision } from "../registry/promotion-gate.ts";
import { DEFAULT_SCORE_PARAMS, forwardRankCorrelation, netResult, respectedStopLoss, type ScoreParams, type StatementTrades } from "../score/index.ts";
import { providerHistories } from "./provider-histories.ts";

export interface TrainScoreReport {
  version: string;
  providers: number;
  params: Partial<ScoreParams>;
  candidateRho: number | null;
  championRho: number | null;
  gate: GateDecision;
  promoted: boolean;
}

/**
 * Empirical-Bayes prior for a rate: method of moments over providers' observed rates, with the prior's
 * strength (α + β) kept between 2 and 50 pseudo-trades so neither a tiny nor a huge population dominates.
 */
export function betaPriorFromRates(rates: number[], fallback: { alpha: number; beta: number }): { alpha: number; beta: number } {
  if (rates.length < 2) return fallback;
  const m = rates.reduce((a, b) => a + b, 0) / rates.length;
  const v = rates.reduce((a, b) => a + (b - m) ** 2, 0) / (rates.length - 1);
  if (m <= 0 || m >= 1 || v <= 0) return fallback;
  const strength = Math.min(50, Math.max(2, (m * (1 - m)) / v - 1));
  return { alpha: m * strength, beta: (1 - m) * strength };
}

/** The score's priors fitted to the providers in the database. */
export function fitScorePriors(histories: StatementTrades[], base: ScoreParams = DEFAULT_SCORE_PARAMS): Partial<ScoreParams> {
  const win = betaPriorFromRates(
    histories.map((h) => h.trades.filter((t) => netResult(t) > 0).length / h.trades.length),
    { alpha: base.winPriorAlpha, beta: base.winPriorBeta },
  );
  const sl = betaPriorFromRates(
    histories.map((h) => h.trades.filter((t) => respectedStopLoss(t, base.slTolerance)).length / h.trades.length),
    { alpha: base.slPriorAlpha, beta: base.slPriorBeta },
  );
  return { winPriorAlpha: win.alpha, winPriorBeta: win.beta, slPriorAlpha: sl.alpha, slPriorBeta: sl.beta };
}

/**
 * Trains the provider score: fits its priors to the providers on record, validates walk-forward (the score
 * before each trade against the next `horizon` trades' result, pooled Spearman ρ) against the current
 * champion's parameters on the same histories, registers a candidate and, optionally, promotes it through the
 * gate (loss = 1 − ρ).
 */
export async function trainScore(
  prisma: PrismaClient,
  registry: ModelRegistry,
  o: { horizon?: number; gate: { minAbsolute: number; minRelative: number }; autoPromote: boolean; configHash: string },
): Promise<TrainScoreReport> {
  const horizon = o.horizon ?? 20;
  const histories = await providerHistories(prisma, horizon * 2);
  if (histories.length < 2) throw invalid("providers", `the score needs at least 2 providers with ${horizon * 2} closed trades; found ${histories.length}`);
  const params = fitScorePriors(histories);
  const candidate = forwardRankCorrelation(histories, { horizon, params: { ...DEFAULT_SCORE_PARAMS, ...params } });
  const champion = await registry.champion("score");
  const championParams = (champion?.metrics as { params?: Partial<ScoreParams> } | undefined)?.params ?? {};
  const reference = forwardRankCorrelation(histories, { horizon, params: { ...DEFAULT_SCORE_PARAMS, ...championParams } });
  const loss = (rho: number | null) => (rho === null ? 2 : 1 - rho);
  const gate = promotionGate({
    metric: "one_minus_pooled_spearman",
    candidate: loss(candidate.pooled.rho),
    champion: champion ? loss(reference.pooled.rho) : null,
    baseline: loss(reference.pooled.rho),
    ...o.gate,
  });
  const trades = histories.flatMap((h) => h.trades);
  const row = await registry.register({
    kind: "score",
    featureSchema: { version: 1, kind: "score-params" },
    metrics: { params, horizon, candidate: candidate.pooled, reference: reference.pooled, perProvider: candidate.perStatement },
    trainedFrom: new Date(Math.min(...trades.map((t) => t.closeTime))),
    trainedTo: new Date(Math.max(...trades.map((t) => t.closeTime))),
    rowCount: trades.length,
    dataHash: createHash("sha256").update(histories.map((h) => `${h.name}:${h.trades.length}:${h.trades.at(-1)?.closeTime}`).join("|")).digest("hex"),
    configHash: o.configHash,
    writeArtefact: async (dir) => writeFileSync(path.join(dir, "params.json"), JSON.stringify({ ...DEFAULT_SCORE_PARAMS, ...params }, null, 2)),
  });
  let promoted = false;
  if (o.autoPromote && gate.promote) {
    await registry.promote("score", row.version, { reason: gate.reason, gate });
    promoted = true;
  } else if (o.autoPromote) {
    await registry.reject("score", row.version, gate);
  }
  return { version: row.version, providers: histories.length, params, candidateRho: candidate.pooled.rho, championRho: champion ? reference.pooled.rho : null, gate, promoted };
}
