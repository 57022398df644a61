import type { Prisma } from "../../prisma/index.ts";
import type { ArmSpec, ExperimentDesign, ExperimentMetric } from "./experiment-design.ts";

export type ExperimentStatus = "DRAFT" | "RUNNING" | "STOPPED" | "SHIPPED";

/** An experiment as the service and the API see it. */
export interface Experiment {
  id: string;
  name: string;
  description: string | null;
  status: ExperimentStatus;
  control: ArmSpec;
  treatment: ArmSpec;
  pilotShare: number;
  metrics: ExperimentMetric[];
  minSamplePerArm: number;
  /** The population: null means every account. */
  accountIds: string[] | null;
  createdById: string | null;
  createdAt: Date;
  startedAt: Date | null;
  stoppedAt: Date | null;
  shippedAt: Date | null;
}

type AbTestRow = Prisma.SrmAbTestGetPayload<object>;

interface StoredArm {
  policy?: Record<string, number>;
  modelVersions?: Record<string, string>;
  /** Control arm only: `srm_ab_tests` has no population column, so the control arm's JSON carries it. */
  accountIds?: string[] | null;
}

/** The columns a design is stored in; the one place that knows where the population lives. */
export function designColumns(d: ExperimentDesign): Pick<Prisma.SrmAbTestUncheckedCreateInput, "name" | "description" | "controlPolicy" | "treatmentPolicy" | "pilotShare" | "metrics" | "minSamplePerArm"> {
  const control: StoredArm = { policy: d.control.policy as Record<string, number>, modelVersions: d.control.modelVersions, accountIds: d.accountIds };
  const treatment: StoredArm = { policy: d.treatment.policy as Record<string, number>, modelVersions: d.treatment.modelVersions };
  return {
    name: d.name,
    description: d.description,
    controlPolicy: control as Prisma.InputJsonValue,
    treatmentPolicy: treatment as Prisma.InputJsonValue,
    pilotShare: d.pilotShare.toFixed(4),
    metrics: d.metrics,
    minSamplePerArm: d.minSamplePerArm,
  };
}

function armOf(stored: unknown): ArmSpec {
  const s = (stored ?? {}) as StoredArm;
  return { policy: { ...(s.policy ?? {}) }, modelVersions: { ...(s.modelVersions ?? {}) } };
}

/** Reads a stored row back. */
export function experimentOf(row: AbTestRow): Experiment {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    status: row.status,
    control: armOf(row.controlPolicy),
    treatment: armOf(row.treatmentPolicy),
    pilotShare: Number(row.pilotShare.toString()),
    metrics: row.metrics as ExperimentMetric[],
    minSamplePerArm: row.minSamplePerArm,
    accountIds: ((row.controlPolicy ?? {}) as StoredArm).accountIds ?? null,
    createdById: row.createdById,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    stoppedAt: row.stoppedAt,
    shippedAt: row.shippedAt,
  };
}
