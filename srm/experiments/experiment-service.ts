import { existsSync } from "node:fs";
import { CoreErrors, RiskloopError, invalid, notFound, type Clock, type EventBus, type Logger } from "../../core/index.ts";
import type { AuditLog, PrismaClient } from "../../prisma/index.ts";
import type { ModelRegistry } from "../registry/model-registry.ts";
import { assignmentHash } from "./assignment.ts";
import { loadArmObservations } from "./arm-observations.ts";
import { evaluateExperiment, type ExperimentEvaluation } from "./evaluate-experiment.ts";
import { populationsOverlap, validateExperimentInput, type ArmSpec, type ExperimentInput } from "./experiment-design.ts";
import { EXPERIMENT_CHANGED_EVENT } from "./experiment-policy-resolver.ts";
import { designColumns, experimentOf, type Experiment, type ExperimentStatus } from "./experiment-record.ts";

/** Who is acting, for the audit log. */
export interface ExperimentActor {
  userId: string;
  ip?: string;
}

/** The pieces of the resolver the service drives; the container passes the live one. */
export interface ResolverHooks {
  refresh(): Promise<void>;
  flush(): Promise<void>;
}

const conflict = (field: string, message: string, details: Record<string, unknown> = {}) => new RiskloopError(CoreErrors.CORE_ERR_CONFLICT, `${field}: ${message}`, { field, ...details });

/**
 * Experiments on the SRM policy: created as DRAFT, started (after the population-overlap check), stopped, and
 * shipped — which makes the treatment's policy the default for every account and promotes its pinned models.
 * Every change is audited and announced on the bus so every process's resolver reloads.
 */
export class ExperimentService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly registry: Pick<ModelRegistry, "get" | "champion" | "promote">,
    private readonly audit: AuditLog,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly resolver?: ResolverHooks,
  ) {}

  async create(input: ExperimentInput, by: ExperimentActor): Promise<Experiment> {
    const design = validateExperimentInput(input);
    await this.#checkPins(design.control, "control");
    await this.#checkPins(design.treatment, "treatment");
    if (design.accountIds) {
      const found = await this.prisma.brokerAccount.findMany({ where: { id: { in: design.accountIds } }, select: { id: true } });
      const known = new Set(found.map((a) => a.id));
      const missing = design.accountIds.filter((id) => !known.has(id));
      if (missing.length > 0) throw invalid("accountIds", `unknown accounts: ${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ", …" : ""}`, { missing });
    }
    if (await this.prisma.srmAbTest.findUnique({ where: { name: design.name }, select: { id: true } })) throw conflict("name", `an experiment named "${design.name}" exists`);
    const row = await this.prisma.$transaction(async (tx) => {
      const created = await tx.srmAbTest.create({ data: { ...designColumns(design), status: "DRAFT", createdById: by.userId } });
      await this.audit.record({ actorUserId: by.userId, action: "experiment.create", entityType: "srm_ab_test", entityId: created.id, after: design, ip: by.ip }, tx);
      return created;
    });
    await this.#changed(row.id, "DRAFT");
    return experimentOf(row);
  }

  async list(opts: { status?: ExperimentStatus; limit?: number } = {}): Promise<Experiment[]> {
    const rows = await this.prisma.srmAbTest.findMany({ where: { status: opts.status }, orderBy: { createdAt: "desc" }, take: opts.limit ?? 100 });
    return rows.map(experimentOf);
  }

  async get(id: string): Promise<Experiment> {
    const row = await this.prisma.srmAbTest.findUnique({ where: { id } });
    if (!row) throw notFound("experiment", id);
    return experimentOf(row);
  }

  /** The evaluation over [start, stop or ship or now]; null before the experiment starts. */
  async evaluate(experiment: Experiment): Promise<ExperimentEvaluation | null> {
    if (!experiment.startedAt) return null;
    await this.resolver?.flush();
    const window = { from: experiment.startedAt, to: experiment.stoppedAt ?? experiment.shippedAt ?? new Date(this.clock.now()) };
    const arms = await loadArmObservations(this.prisma, experiment.id, window);
    return evaluateExperiment(arms, window, {
      pilotShare: experiment.pilotShare,
      metrics: experiment.metrics,
      minSamplePerArm: experiment.minSamplePerArm,
      // Seeded from the experiment so that repeated reads give the same intervals.
      seed: Math.floor(assignmentHash(experiment.id, "bootstrap") * 2 ** 31),
    });
  }

  /** DRAFT → RUNNING, refused (409 naming `accountIds`) when its population overlaps a running experiment's. */
  async start(id: string, by: ExperimentActor): Promise<Experiment> {
    const row = await this.prisma.$transaction(async (tx) => {
      // One start at a time, so two overlapping experiments cannot both pass the check.
      await tx.$executeRawUnsafe("SELECT pg_advisory_xact_lock(7166111)");
      const current = await tx.srmAbTest.findUnique({ where: { id } });
      if (!current) throw notFound("experiment", id);
      const e = experimentOf(current);
      if (e.status !== "DRAFT") throw conflict("status", `only a DRAFT experiment can start; this one is ${e.status}`);
      for (const other of (await tx.srmAbTest.findMany({ where: { status: "RUNNING" } })).map(experimentOf)) {
        const shared = populationsOverlap(e.accountIds, other.accountIds);
        if (shared) {
          throw conflict("accountIds", `the population overlaps running experiment "${other.name}"${shared === "all" ? " (one of them covers all accounts)" : ` on ${shared.length} account(s)`}`, {
            conflictsWith: other.id,
            accounts: shared === "all" ? "all" : shared.slice(0, 20),
          });
        }
      }
      const updated = await tx.srmAbTest.update({ where: { id }, data: { status: "RUNNING", startedAt: new Date(this.clock.now()) } });
      await this.audit.record({ actorUserId: by.userId, action: "experiment.start", entityType: "srm_ab_test", entityId: id, before: { status: "DRAFT" }, after: { status: "RUNNING" }, ip: by.ip }, tx);
      return updated;
    });
    await this.#changed(id, "RUNNING");
    return experimentOf(row);
  }

  /** RUNNING → STOPPED: every account goes back to the default policy; the evaluation window closes. */
  async stop(id: string, by: ExperimentActor): Promise<Experiment> {
    const e = await this.get(id);
    if (e.status !== "RUNNING") throw conflict("status", `only a RUNNING experiment can stop; this one is ${e.status}`);
    const row = await this.prisma.$transaction(async (tx) => {
      const updated = await tx.srmAbTest.update({ where: { id, status: "RUNNING" }, data: { status: "STOPPED", stoppedAt: new Date(this.clock.now()) } });
      await this.audit.record({ actorUserId: by.userId, action: "experiment.stop", entityType: "srm_ab_test", entityId: id, before: { status: "RUNNING" }, after: { status: "STOPPED" }, ip: by.ip }, tx);
      return updated;
    });
    await this.#changed(id, "STOPPED");
    return experimentOf(row);
  }

  /**
   * RUNNING or STOPPED → SHIPPED: the treatment's policy overrides become every account's default (the resolver
   * layers shipped experiments in order) and its pinned model versions are promoted to champion. Refused with 409
   * unless the evaluation recommends shipping, or `force` is set; either way the audit entry keeps the verdict.
   */
  async ship(id: string, by: ExperimentActor, opts: { force?: boolean } = {}): Promise<Experiment> {
    const e = await this.get(id);
    if (e.status !== "RUNNING" && e.status !== "STOPPED") throw conflict("status", `only a RUNNING or STOPPED experiment can ship; this one is ${e.status}`);
    const evaluation = await this.evaluate(e);
    const recommendation = evaluation?.recommendation ?? { action: "keep_running", reasons: ["not started"] };
    if (recommendation.action !== "ship" && !opts.force) {
      throw conflict("force", `the evaluation recommends "${recommendation.action}" (${recommendation.reasons.join("; ")}); ship with force to override`, { recommendation });
    }
    for (const [kind, version] of Object.entries(e.treatment.modelVersions)) {
      if ((await this.registry.champion(kind))?.version === version) continue;
      await this.registry.promote(kind, version, { userId: by.userId, reason: `shipped experiment "${e.name}"` });
    }
    const now = new Date(this.clock.now());
    const previous = await this.prisma.srmAbTest.findMany({ where: { status: "SHIPPED" }, orderBy: { shippedAt: "asc" }, select: { id: true, name: true } });
    const row = await this.prisma.$transaction(async (tx) => {
      const updated = await tx.srmAbTest.update({ where: { id, status: e.status }, data: { status: "SHIPPED", shippedAt: now, stoppedAt: e.stoppedAt ?? now } });
      await this.audit.record(
        {
          actorUserId: by.userId,
          action: "experiment.ship",
          entityType: "srm_ab_test",
          entityId: id,
          before: { status: e.status, shippedBefore: previous.map((p) => p.name) },
          after: { status: "SHIPPED", treatment: e.treatment, recommendation, forced: recommendation.action !== "ship" },
          ip: by.ip,
        },
        tx,
      );
      return updated;
    });
    this.logger.info({ experiment: e.name, policy: e.treatment.policy, forced: recommendation.action !== "ship" }, "experiment shipped: its treatment is now the default policy");
    await this.#changed(id, "SHIPPED");
    return experimentOf(row);
  }

  async #checkPins(arm: ArmSpec, name: "control" | "treatment"): Promise<void> {
    for (const [kind, version] of Object.entries(arm.modelVersions)) {
      const row = await this.registry.get(kind, version).catch(() => null);
      if (!row) throw invalid(`${name}.modelVersions.${kind}`, `no ${kind} model version ${version} in the registry`);
      if (!existsSync(row.artifactPath)) throw invalid(`${name}.modelVersions.${kind}`, `${kind} version ${version} is no longer kept (its artefact was pruned)`);
    }
  }

  async #changed(id: string, status: ExperimentStatus): Promise<void> {
    this.bus.publish({ type: EXPERIMENT_CHANGED_EVENT, userId: null, at: this.clock.now(), data: { id, status } });
    // The bus reaches every process's resolver; this process's is awaited so the next decision sees the change.
    await this.resolver?.refresh();
  }
}
