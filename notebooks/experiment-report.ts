import type { Experiment, ExperimentEvaluation } from "../srm/index.ts";
import { htmlReport, htmlTable, type ReportSection } from "./html-report.ts";
import { renderSvg } from "./svg-chart.ts";

/**
 * The A/B experiment report: design, sample-ratio check, each metric per arm with the treatment−control
 * difference and its bootstrap interval, the tests, and the recommendation with its reasons.
 */
export async function experimentReport(experiment: Experiment, evaluation: ExperimentEvaluation | null): Promise<string> {
  const sections: ReportSection[] = [
    {
      heading: "Design",
      html: htmlTable(
        ["field", "value"],
        [
          ["name", experiment.name],
          ["status", experiment.status],
          ["pilot share (treatment)", `${(experiment.pilotShare * 100).toFixed(1)}%`],
          ["population", experiment.accountIds ? `${experiment.accountIds.length} accounts` : "every account"],
          ["metrics", experiment.metrics.join(", ")],
          ["minimum sample per arm", experiment.minSamplePerArm],
          ["control policy", JSON.stringify(experiment.control)],
          ["treatment policy", JSON.stringify(experiment.treatment)],
          ["started", experiment.startedAt?.toISOString() ?? "—"],
        ],
      ),
    },
  ];
  if (!evaluation) {
    sections.push({ heading: "Results", html: "<p>The experiment has not started, so there is nothing to evaluate yet.</p>" });
    return htmlReport(`Experiment ${experiment.name}`, "Riskloop SRM experiment report", sections);
  }
  const r = evaluation.recommendation;
  sections.push({
    heading: `Recommendation: ${r.action.replace("_", " ")}`,
    html: `<ul>${r.reasons.map((x) => `<li>${x.replace(/</g, "&lt;")}</li>`).join("")}</ul>`,
  });
  const s = evaluation.srm;
  sections.push({
    heading: "Sample-ratio check",
    note: "Chi-square of assigned accounts against the configured split; a mismatch (p < 0.001 with at least 8 per arm) means assignment or logging is broken and no metric can be trusted.",
    html: htmlTable(
      ["arm", "observed", "expected"],
      [
        ["control", s.observed.control, s.expected.control],
        ["treatment", s.observed.treatment, s.expected.treatment],
        ["χ² / p-value", s.statistic, s.pValue],
        ["verdict", s.checked ? (s.mismatch ? "MISMATCH" : "ok") : "too few units to judge", null],
      ],
    ),
  });
  sections.push({
    heading: "Metrics",
    note: "Difference = mean(treatment) − mean(control), with a 95% bootstrap interval (accounts resampled for per-trade and per-fill metrics); Welch t and Mann–Whitney p-values.",
    html: htmlTable(
      ["metric", "better", "control n", "control mean", "treatment n", "treatment mean", "difference", "95% low", "95% high", "Welch p", "Mann–Whitney p", "verdict"],
      evaluation.metrics.map((m) => [
        m.metric,
        m.better,
        m.control.n,
        m.control.mean,
        m.treatment.n,
        m.treatment.mean,
        m.ci?.estimate ?? null,
        m.ci?.lower ?? null,
        m.ci?.upper ?? null,
        m.welch?.pValue ?? null,
        m.mannWhitney?.pValue ?? null,
        m.verdict,
      ]),
    ),
  });
  const intervals = evaluation.metrics.filter((m) => m.ci).map((m) => ({ metric: m.metric, estimate: m.ci!.estimate, lower: m.ci!.lower, upper: m.ci!.upper }));
  sections.push({
    heading: "Treatment effect with intervals",
    html:
      intervals.length === 0
        ? "<p>Not enough observations for intervals yet.</p>"
        : await renderSvg({
            title: "Treatment − control (95% bootstrap interval)",
            data: { values: intervals },
            height: 40 * intervals.length + 40,
            layer: [
              { mark: "rule", encoding: { y: { field: "metric", type: "nominal" }, x: { field: "lower", type: "quantitative", title: "difference" }, x2: { field: "upper" } } },
              { mark: { type: "point", filled: true, size: 80 }, encoding: { y: { field: "metric", type: "nominal" }, x: { field: "estimate", type: "quantitative" } } },
              { data: { values: [{ zero: 0 }] }, mark: { type: "rule", strokeDash: [4, 4], color: "#888" }, encoding: { x: { field: "zero", type: "quantitative" } } },
            ],
          }),
  });
  return htmlReport(`Experiment ${experiment.name}`, `Riskloop SRM experiment report · window ${evaluation.window.from} → ${evaluation.window.to}`, sections);
}
