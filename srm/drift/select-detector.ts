import type { ColumnKind, DriftDetector } from "./drift-detector.ts";
import { chiSquareDetector, jensenShannonDetector, ksDetector, psiDetector, wassersteinDetector } from "./detectors/index.ts";
import type { DriftSettings } from "./drift.config.ts";

type DetectorSettings = Pick<DriftSettings, "alpha" | "largeSample" | "distanceThreshold" | "psiThreshold" | "numericMethod" | "categoricalMethod">;

/** The detectors configured from settings, and the rule that picks one per column. */
export interface DetectorSelection {
  readonly all: readonly DriftDetector[];
  /** The configured method for the kind, or with "auto" the first default that applies to `nRef`. */
  select(kind: ColumnKind, nRef: number): DriftDetector;
}

/**
 * Builds the detectors once. "auto" follows the field defaults: KS (numeric) and chi-square (categorical) up
 * to `largeSample` reference values, Wasserstein and Jensen–Shannon above.
 */
export function detectorSelection(s: DetectorSettings): DetectorSelection {
  const byId = new Map<string, DriftDetector>(
    [
      ksDetector({ alpha: s.alpha, largeSample: s.largeSample }),
      chiSquareDetector({ alpha: s.alpha, largeSample: s.largeSample }),
      wassersteinDetector({ threshold: s.distanceThreshold, largeSample: s.largeSample }),
      jensenShannonDetector({ threshold: s.distanceThreshold, largeSample: s.largeSample }),
      psiDetector({ threshold: s.psiThreshold }),
    ].map((d) => [d.id, d]),
  );
  const auto: Record<ColumnKind, string[]> = { numeric: ["ks", "wasserstein"], categorical: ["chi_square", "jensen_shannon"] };
  return {
    all: [...byId.values()],
    select(kind, nRef) {
      const method = kind === "numeric" ? s.numericMethod : s.categoricalMethod;
      const ids = method === "auto" ? auto[kind] : [method];
      const found = ids.map((id) => byId.get(id)!).find((d) => method !== "auto" || d.appliesTo(kind, nRef));
      return found ?? byId.get(auto[kind][1]!)!;
    },
  };
}
