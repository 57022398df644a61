import { notFound } from "../core/index.ts";
import type { PrismaClient } from "../prisma/index.ts";
import { forwardRankCorrelation, providerHistories, type ModelRegistry, type ModelVersionRow } from "../srm/index.ts";
import { htmlReport, htmlTable, type ReportSection } from "./html-report.ts";
import { calibrationByDecile, errorBy, permutationImportance, slippageHoldout } from "./slippage-evaluation.ts";
import { renderSvg } from "./svg-chart.ts";

interface HoldoutMetricsRow {
  name: string;
  pinball: number[];
  pinballMean: number;
  maeP50: number | null;
  coverageP90: number | null;
  withinHalfPip: number | null;
}

const iso = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace("T", " ") : "—");

/** The slippage model report: hold-out against baselines, predicted vs actual, calibration, errors, importance, drift. */
export async function slippageModelReport(prisma: PrismaClient, registry: ModelRegistry, version?: string): Promise<string> {
  const row: ModelVersionRow | null = version ? await registry.get("slippage", version) : await registry.champion("slippage");
  if (!row) throw notFound("slippage champion (train one with `riskloop train slippage --promote`)");
  const metrics = row.metrics as { family?: string; holdout?: { rows: HoldoutMetricsRow[] }; gate?: { reason: string } };
  const h = await slippageHoldout(prisma, row);
  const q = h.quantiles.length;
  const sections: ReportSection[] = [];

  sections.push({
    heading: "Version",
    html: htmlTable(
      ["field", "value"],
      [
        ["version", row.version],
        ["family", metrics.family ?? "—"],
        ["status", row.status],
        ["trained on", `${iso(row.trainedFrom)} → ${iso(row.trainedTo)} (${row.rowCount} executions)`],
        ["hold-out", `${h.data.n} executions (each account's latest 20%)`],
        ["gate", metrics.gate?.reason ?? "—"],
        ["config hash", row.configHash.slice(0, 16)],
        ["data hash", row.dataHash.slice(0, 16)],
      ],
    ),
  });

  if (metrics.holdout) {
    sections.push({
      heading: "Hold-out: models against baselines",
      note: "Pinball loss in pips (lower is better); coverage is the share of actual slippage at or below p90 (0.90 is calibrated); within ½ pip is the share of p50 predictions within 0.5 pip of the actual.",
      html: htmlTable(
        ["model", "pinball p50", "pinball p90", "mean pinball", "MAE p50", "coverage p90", "within ½ pip"],
        metrics.holdout.rows.map((r) => [r.name, r.pinball[0] ?? null, r.pinball[r.pinball.length - 1] ?? null, r.pinballMean, r.maeP50, r.coverageP90, r.withinHalfPip]),
      ),
    });
  }

  const points = Array.from({ length: Math.min(h.data.n, 3000) }, (_, i) => {
    const k = Math.floor((i * h.data.n) / Math.min(h.data.n, 3000));
    return { predicted: h.predictions[k * q]!, actual: h.data.y[k]!, p90: h.predictions[k * q + q - 1]! };
  });
  const max = Math.max(1, ...points.map((p) => Math.max(p.predicted, p.actual)));
  sections.push({
    heading: "Predicted (p50) vs actual slippage",
    html: await renderSvg({
      title: "Predicted p50 vs actual (pips)",
      layer: [
        { data: { values: points }, mark: { type: "point", opacity: 0.35, filled: true, size: 12 }, encoding: { x: { field: "predicted", type: "quantitative", title: "predicted p50 (pips)" }, y: { field: "actual", type: "quantitative", title: "actual (pips)" } } },
        { data: { values: [{ x: 0, y: 0 }, { x: max, y: max }] }, mark: { type: "line", color: "#c33" }, encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } } },
      ],
    }),
  });

  const calibration = calibrationByDecile(h);
  sections.push({
    heading: "Calibration of the quantiles",
    note: "Observed share of executions at or below each predicted quantile, by decile of predicted p90; the dashed lines are the nominal levels.",
    html: await renderSvg({
      title: "Observed coverage by decile of predicted p90",
      layer: [
        { data: { values: calibration }, mark: { type: "line", point: true }, encoding: { x: { field: "decile", type: "ordinal" }, y: { field: "observed", type: "quantitative", scale: { domain: [0, 1] } }, color: { field: "quantile", type: "nominal" } } },
        { data: { values: calibration }, mark: { type: "rule", strokeDash: [4, 4] }, encoding: { y: { field: "nominal", type: "quantitative" }, color: { field: "quantile", type: "nominal" } } },
      ],
    }),
  });

  for (const [label, key] of [
    ["session", (r: { features: { session: string } }) => r.features.session],
    ["symbol", (r: { features: { symbol: string } }) => r.features.symbol],
  ] as const) {
    const rows = errorBy(h, key);
    sections.push({
      heading: `Error by ${label}`,
      html:
        (await renderSvg({
          title: `Mean pinball loss by ${label}`,
          data: { values: rows },
          mark: "bar",
          encoding: { x: { field: "group", type: "nominal", sort: "-y", title: label }, y: { field: "loss", type: "quantitative", title: "mean pinball (pips)" }, tooltip: [{ field: "n" }] },
        })) + htmlTable([label, "executions", "mean pinball"], rows.map((r) => [r.group, r.n, r.loss])),
    });
  }

  const importance = permutationImportance(h);
  sections.push({
    heading: "Feature importance (permutation)",
    note: "Rise in hold-out mean pinball loss when a feature (or one-hot block) is shuffled across executions; near zero means the model does not rely on it.",
    html: await renderSvg({
      title: "Permutation importance",
      data: { values: importance },
      mark: "bar",
      encoding: { y: { field: "feature", type: "nominal", sort: "-x" }, x: { field: "increase", type: "quantitative", title: "loss increase (pips)" } },
    }),
  });

  const drift = await prisma.driftReport.findMany({ where: { modelKind: "slippage" }, orderBy: { createdAt: "asc" }, take: 500 });
  sections.push({
    heading: "Drift history",
    html:
      drift.length === 0
        ? "<p>No drift reports yet (the drift job writes one per run).</p>"
        : await renderSvg({
            title: "Share of drifted features per report",
            data: { values: drift.map((d) => ({ at: d.createdAt.toISOString(), share: d.driftedShare, drifted: d.drifted })) },
            mark: { type: "line", point: true },
            encoding: { x: { field: "at", type: "temporal" }, y: { field: "share", type: "quantitative", scale: { domain: [0, 1] } } },
          }),
  });

  return htmlReport(`Slippage model ${row.version}`, `Riskloop SRM model report · generated ${new Date().toISOString()}`, sections);
}

/** The provider score report: walk-forward score against each provider's next 20 trades, per provider and pooled. */
export async function scoreModelReport(prisma: PrismaClient, horizon = 20): Promise<string> {
  const statements = await providerHistories(prisma, horizon * 2);
  if (statements.length === 0) throw notFound(`providers with at least ${horizon * 2} closed trades (import statements with \`riskloop import trades\`)`);
  const report = forwardRankCorrelation(statements, { horizon });
  const sections: ReportSection[] = [
    {
      heading: "Score against forward performance",
      note: `Spearman correlation between each provider's score before a trade (from its history so far) and the net result of its next ${horizon} trades. The trailing baseline uses the last ${horizon} trades' result instead of the score.`,
      html: htmlTable(
        ["provider", "trades", "pairs", "ρ score", "ρ trailing baseline"],
        [
          ...report.perStatement.map((s) => [s.name, s.trades, s.pairs, s.rho, s.rhoTrailing] as Array<string | number | null>),
          ["pooled", null, report.pooled.pairs, report.pooled.rho, report.pooled.rhoTrailing],
          ["across providers", null, report.acrossStatements.statements, report.acrossStatements.rho, null],
        ],
        3,
      ),
    },
    {
      heading: "Per-provider correlation",
      html: await renderSvg({
        title: "Forward rank correlation per provider",
        data: { values: report.perStatement.filter((s) => s.rho !== null).map((s) => ({ provider: s.name, rho: s.rho, baseline: s.rhoTrailing })) },
        mark: "bar",
        encoding: { y: { field: "provider", type: "nominal" }, x: { field: "rho", type: "quantitative", scale: { domain: [-1, 1] }, title: "Spearman ρ" } },
      }),
    },
  ];
  return htmlReport("Provider performance score", `Riskloop SRM model report · horizon ${horizon} trades · generated ${new Date().toISOString()}`, sections);
}
