import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CoreErrors, RiskloopError, notFound, type Clock, type EventBus, type Logger } from "../../core/index.ts";
import type { AuditLog, Prisma, PrismaClient } from "../../prisma/index.ts";
import type { GateDecision } from "./promotion-gate.ts";

export type ModelKind = "slippage" | "score";

export interface ModelVersionRow {
  id: string;
  kind: string;
  version: string;
  artifactPath: string;
  status: string;
  metrics: unknown;
  featureSchema: unknown;
  createdAt: Date;
  promotedAt: Date | null;
  trainedFrom: Date | null;
  trainedTo: Date | null;
  rowCount: number;
  dataHash: string;
  configHash: string;
}

export interface RegisterInput {
  kind: ModelKind;
  /** Writes the artefact files into the folder the registry chose. */
  writeArtefact(dir: string): Promise<void>;
  featureSchema: unknown;
  metrics: Record<string, unknown>;
  trainedFrom: Date | null;
  trainedTo: Date | null;
  rowCount: number;
  dataHash: string;
  configHash: string;
  notes?: string;
}

export const MODEL_PROMOTED_EVENT = "model.promoted";

/**
 * Trained model versions: artefacts under `<modelDir>/<kind>/<version>/`, rows in `srm_model_versions`, and
 * exactly one champion per kind through the `champion` alias (the database enforces it). Promotion and
 * rollback are transactional and audited, and announced on the bus so every process swaps without a restart.
 */
export class ModelRegistry {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly audit: AuditLog,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly logger: Logger,
    readonly modelDir: string,
    private readonly keepVersions: number,
  ) {}

  newVersion(): string {
    const d = new Date(this.clock.now());
    const stamp = d.toISOString().replace(/[-:T]/g, "").slice(0, 14);
    return `${stamp}-${randomBytes(2).toString("hex")}`;
  }

  /** Saves a candidate; if anything fails, neither the folder nor the row is left behind. */
  async register(input: RegisterInput): Promise<ModelVersionRow> {
    const version = this.newVersion();
    const dir = path.join(this.modelDir, input.kind, version);
    mkdirSync(dir, { recursive: true });
    try {
      await input.writeArtefact(dir);
      writeFileSync(path.join(dir, "feature-schema.json"), JSON.stringify(input.featureSchema, null, 2));
      return (await this.prisma.srmModelVersion.create({
        data: {
          kind: input.kind,
          version,
          artifactPath: dir,
          metrics: input.metrics as Prisma.InputJsonValue,
          status: "CANDIDATE",
          trainedFrom: input.trainedFrom,
          trainedTo: input.trainedTo,
          dataHash: input.dataHash,
          configHash: input.configHash,
          featureSchema: input.featureSchema as Prisma.InputJsonValue,
          rowCount: input.rowCount,
          notes: input.notes ?? null,
        },
      })) as ModelVersionRow;
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  }

  async get(kind: string, version: string): Promise<ModelVersionRow> {
    const row = await this.prisma.srmModelVersion.findUnique({ where: { kind_version: { kind, version } } });
    if (!row) throw notFound(`${kind} model version`, version);
    return row as ModelVersionRow;
  }

  async list(kind: string): Promise<ModelVersionRow[]> {
    return (await this.prisma.srmModelVersion.findMany({ where: { kind }, orderBy: { createdAt: "desc" } })) as ModelVersionRow[];
  }

  async champion(kind: string): Promise<ModelVersionRow | null> {
    const alias = await this.prisma.srmModelAlias.findUnique({ where: { kind_alias: { kind, alias: "champion" } }, include: { modelVersion: true } });
    return (alias?.modelVersion as ModelVersionRow | undefined) ?? null;
  }

  /** Makes `version` the champion (also the rollback path: promote an older kept version). */
  async promote(kind: string, version: string, by: { userId?: string | null; reason: string; gate?: GateDecision }): Promise<ModelVersionRow> {
    const target = await this.get(kind, version);
    if (!existsSync(target.artifactPath)) {
      throw new RiskloopError(CoreErrors.CORE_ERR_CONFLICT, `version ${version} is no longer kept (its artefact was pruned)`);
    }
    if (target.status === "REJECTED" && !by.userId) {
      throw new RiskloopError(CoreErrors.CORE_ERR_CONFLICT, `version ${version} was rejected by the gate; only an admin can promote it`);
    }
    const now = new Date(this.clock.now());
    const promoted = await this.prisma.$transaction(async (tx) => {
      const previous = await tx.srmModelAlias.findUnique({ where: { kind_alias: { kind, alias: "champion" } } });
      if (previous && previous.version !== version) {
        await tx.srmModelVersion.update({ where: { kind_version: { kind, version: previous.version } }, data: { status: "RETIRED" } });
      }
      await tx.srmModelAlias.upsert({
        where: { kind_alias: { kind, alias: "champion" } },
        create: { kind, alias: "champion", version },
        update: { version },
      });
      const row = await tx.srmModelVersion.update({
        where: { kind_version: { kind, version } },
        data: { status: "CHAMPION", promotedAt: now, ...(by.gate ? { metrics: { ...(target.metrics as object), gate: by.gate } as unknown as Prisma.InputJsonValue } : {}) },
      });
      await this.audit.record(
        { actorUserId: by.userId ?? null, action: "model.promote", entityType: "srm_model_version", entityId: row.id, before: { champion: previous?.version ?? null }, after: { champion: version, reason: by.reason } },
        tx,
      );
      return row;
    });
    this.bus.publish({ type: MODEL_PROMOTED_EVENT, userId: null, at: this.clock.now(), data: { kind, version, reason: by.reason } });
    this.logger.info({ kind, version, reason: by.reason }, "model promoted");
    await this.prune(kind);
    return promoted as ModelVersionRow;
  }

  /** Records a candidate the gate turned down, with its numbers. */
  async reject(kind: string, version: string, gate: GateDecision): Promise<void> {
    const row = await this.get(kind, version);
    await this.prisma.srmModelVersion.update({
      where: { id: row.id },
      data: { status: "REJECTED", metrics: { ...(row.metrics as object), gate } as unknown as Prisma.InputJsonValue },
    });
    await this.prune(kind);
  }

  /** Keeps the newest N versions' artefacts (and always the champion's); older folders are deleted. */
  async prune(kind: string): Promise<string[]> {
    const champion = await this.champion(kind);
    const rows = await this.list(kind);
    const removed: string[] = [];
    for (const row of rows.slice(this.keepVersions)) {
      if (row.version === champion?.version || !existsSync(row.artifactPath)) continue;
      rmSync(row.artifactPath, { recursive: true, force: true });
      await this.prisma.srmModelVersion.update({ where: { id: row.id }, data: { notes: `${row.status}; artefact pruned` } });
      removed.push(row.version);
    }
    return removed;
  }
}
