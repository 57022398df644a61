import type { Clock, EventBus, Logger } from "../../core/index.ts";
import type { PrismaClient } from "../../prisma/index.ts";
import type { PolicyResolver, ResolvedPolicy } from "../decision/policy-resolver.ts";
import type { SrmPolicy } from "../decision/srm-policy.ts";
import { assignVariant, type Variant } from "./assignment.ts";
import { experimentOf, type Experiment } from "./experiment-record.ts";

/** Published whenever an experiment is created, started, stopped or shipped; resolvers reload on it. */
export const EXPERIMENT_CHANGED_EVENT = "experiment.changed";

/** `policyVariant` of decisions made under shipped overrides outside any running experiment. */
export const SHIPPED_VARIANT = "SHIPPED";

interface RunningExperiment {
  id: string;
  pilotShare: number;
  population: ReadonlySet<string> | null;
  control: ResolvedPolicy;
  treatment: ResolvedPolicy;
}

interface Snapshot {
  fallback: ResolvedPolicy;
  running: RunningExperiment[];
}

/**
 * The policy resolver the decision service uses: every account gets the configured policy with the shipped
 * experiments' treatment overrides layered on in shipping order; an account in a running experiment's population
 * gets that arm's overrides (and model pins) on top, its arm decided by `assignVariant`. Experiments are read
 * from the database into memory and re-read on `experiment.changed`, so `resolve` never waits. The first
 * decision of an account in an experiment records its assignment row in the background; the hash decides, the
 * row records (an evaluation calls `flush` first).
 */
export class ExperimentPolicyResolver implements PolicyResolver {
  #snapshot: Snapshot;
  #unsubscribe: (() => void) | undefined;
  #refreshing: Promise<void> | null = null;
  #again = false;
  readonly #recorded = new Set<string>();
  #pending: { testId: string; accountId: string; variant: Variant; assignedAt: Date }[] = [];
  #flushing: Promise<void> | null = null;
  #flushScheduled = false;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly basePolicy: SrmPolicy,
  ) {
    this.#snapshot = { fallback: { policy: basePolicy, variant: null, experimentId: null }, running: [] };
  }

  async start(): Promise<void> {
    await this.refresh();
    this.#unsubscribe = this.bus.subscribe((e) => {
      if (e.type === EXPERIMENT_CHANGED_EVENT) void this.refresh();
    });
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  resolve(accountId: string): ResolvedPolicy {
    for (const e of this.#snapshot.running) {
      if (e.population && !e.population.has(accountId)) continue;
      const variant = assignVariant(e.id, accountId, e.pilotShare);
      this.#record(e.id, accountId, variant);
      return variant === "TREATMENT" ? e.treatment : e.control;
    }
    return this.#snapshot.fallback;
  }

  /** Reloads the experiments; concurrent calls share one reload, and a call made during a reload gets a fresh one. */
  refresh(): Promise<void> {
    if (this.#refreshing) {
      this.#again = true;
      return this.#refreshing;
    }
    this.#refreshing = (async () => {
      do {
        this.#again = false;
        try {
          this.#snapshot = await this.#load();
        } catch (err) {
          this.logger.error({ err }, "experiments could not be reloaded; keeping the previous policies");
        }
      } while (this.#again);
    })().finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  /** Writes the assignment rows recorded so far (duplicates are ignored). */
  async flush(): Promise<void> {
    while (this.#pending.length > 0 || this.#flushing) {
      if (this.#flushing) {
        await this.#flushing;
        continue;
      }
      const batch = this.#pending;
      this.#pending = [];
      this.#flushing = this.prisma.srmAbAssignment
        .createMany({ data: batch, skipDuplicates: true })
        .then(
          () => undefined,
          (err: unknown) => {
            // Forget them so the next decision of each account records it again.
            for (const b of batch) this.#recorded.delete(`${b.testId}|${b.accountId}`);
            this.logger.error({ err, rows: batch.length }, "experiment assignments could not be recorded");
          },
        )
        .finally(() => {
          this.#flushing = null;
        });
    }
  }

  #record(testId: string, accountId: string, variant: Variant): void {
    const key = `${testId}|${accountId}`;
    if (this.#recorded.has(key)) return;
    this.#recorded.add(key);
    this.#pending.push({ testId, accountId, variant, assignedAt: new Date(this.clock.now()) });
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      void this.flush();
    });
  }

  async #load(): Promise<Snapshot> {
    const rows = await this.prisma.srmAbTest.findMany({ where: { status: { in: ["RUNNING", "SHIPPED"] } } });
    const experiments = rows.map(experimentOf);
    const shipped = experiments.filter((e) => e.status === "SHIPPED").sort((a, b) => (a.shippedAt?.getTime() ?? 0) - (b.shippedAt?.getTime() ?? 0));
    let policy: SrmPolicy = this.basePolicy;
    for (const e of shipped) policy = { ...policy, ...e.treatment.policy };
    const last = shipped[shipped.length - 1];
    const fallback: ResolvedPolicy = { policy, variant: last ? SHIPPED_VARIANT : null, experimentId: last?.id ?? null };
    const running = experiments
      .filter((e) => e.status === "RUNNING")
      .sort((a, b) => (a.startedAt?.getTime() ?? 0) - (b.startedAt?.getTime() ?? 0))
      .map((e) => this.#running(e, policy));
    const stillRunning = new Set(running.map((e) => e.id));
    for (const key of this.#recorded) if (!stillRunning.has(key.slice(0, key.indexOf("|")))) this.#recorded.delete(key);
    return { fallback, running };
  }

  #running(e: Experiment, base: SrmPolicy): RunningExperiment {
    const arm = (variant: Variant): ResolvedPolicy => {
      const spec = variant === "TREATMENT" ? e.treatment : e.control;
      return { policy: { ...base, ...spec.policy }, variant, experimentId: e.id, ...(Object.keys(spec.modelVersions).length > 0 ? { modelVersions: spec.modelVersions } : {}) };
    };
    return { id: e.id, pilotShare: e.pilotShare, population: e.accountIds ? new Set(e.accountIds) : null, control: arm("CONTROL"), treatment: arm("TREATMENT") };
  }
}
