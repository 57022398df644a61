import { CoreErrors, Decimal, RiskloopError, dec, newTimeOrderedId, type Clock, type EventBus, type Logger, type SymbolSpec, type TradeIntent } from "../core/index.ts";
import type { Prisma, PrismaClient } from "../prisma/index.ts";
import { approve, type ApprovedDecision } from "./decision/approved-decision.ts";
import { DecisionWriter, type PendingDecision } from "./decision/decision-writer.ts";
import { decide, type Decision, type DecisionModels, type ProviderSnapshot } from "./decision/decide.ts";
import type { PolicyResolver } from "./decision/policy-resolver.ts";
import { validateIntent } from "./decision/validate-intent.ts";
import type { ContextFields } from "./features/index.ts";
import type { ChampionCache } from "./registry/champion-cache.ts";
import { scoreOf, type ScoreState } from "./score/index.ts";

/** Market facts the caller (which holds the broker connection) supplies with an intent. */
export interface MarketFacts {
  spec: SymbolSpec;
  quote: { bid: number; ask: number; time: number } | null;
  quoteToAccountRate: number;
  /** The venue's "now" (a paper account replays recorded time); defaults to the service clock. */
  at?: number;
}

/** Market context at an instant, from the analysis side (live, or loaded for a past instant); null when unknown. */
export type ContextSource = (symbol: string, at: number) => ContextFields | null | Promise<ContextFields | null>;

export interface DecisionRecord {
  id: string;
  decision: Decision;
  userId: string;
  variant: string | null;
  latencyUs: number;
  /** Present only for EXECUTE decisions: the one value execution accepts. */
  approved: ApprovedDecision | null;
  /** The intent's dedup key had already been decided; this is that earlier decision. */
  duplicate: boolean;
}

export const DECISION_EVENT = "srm.decision";

type Money = { toString(): string };

type ApprovalTerms = Pick<ApprovedDecision, "stored" | "mayHaveBeenSent">;

/** A decision just made, with what its record and its announcement need. */
interface Made {
  id: string;
  decision: Decision;
  userId: string;
  accountId: string;
  variant: string | null;
  latencyUs: number;
}

/**
 * What a decision reads of the account: the stored row, or the same fields as text when the caller carries them
 * (the copy fan-out reads every slave once and ships them with its jobs).
 */
export interface DecisionAccount {
  id: string;
  userId: string;
  balance: Money;
  equity: Money;
  freeMargin: Money;
  riskState: "ACTIVE" | "REDUCING" | "HALTED";
  dayStartBalance: Money | null;
  equityHighWaterMark: Money | null;
}

export interface DecideOptions {
  /** The account as the caller just read it (the API does, to check ownership; the copy fan-out ships it). */
  account?: DecisionAccount;
  /**
   * Approve an open on its key's claim and store the decision behind it (the copy hot path): the approval then
   * carries `stored`, which execution waits for before recording anything. Rejections, exits and modifications
   * (whose retries find their earlier attempts by the stored decision) are stored before returning.
   */
  writeBehind?: boolean;
}

function pending(
  id: string,
  intent: TradeIntent,
  d: Decision,
  resolved: { variant: string | null; experimentId: string | null },
  latencyUs: number,
): PendingDecision {
  return {
    intent: {
      id: intent.id,
      source: intent.source,
      dedupKey: intent.dedupKey,
      accountId: intent.accountId,
      providerId: intent.providerId ?? null,
      copyLinkId: intent.copyLinkId ?? null,
      strategyId: intent.strategyId ?? null,
      masterAccountId: intent.masterAccountId ?? null,
      masterDealId: intent.masterDealId ?? null,
      masterPositionId: intent.masterPositionId ?? null,
      symbol: intent.symbol,
      side: intent.side,
      kind: intent.kind,
      volume: intent.volume.toString(),
      price: intent.price?.toString() ?? null,
      stopLoss: intent.stopLoss?.toString() ?? null,
      takeProfit: intent.takeProfit?.toString() ?? null,
      signalTime: new Date(intent.signalTime),
      receivedAt: new Date(intent.receivedAt),
      ttlSeconds: intent.ttlSeconds ?? null,
      status: d.action === "EXECUTE" ? "DECIDED" : "REJECTED",
      // What the intent table has no column for, so a replayed decision rebuilds the whole intent.
      payload: { comment: intent.comment ?? null, positionId: intent.positionId ?? null, removeLevels: intent.removeLevels ?? null },
    },
    decision: {
      id,
      intentId: intent.id,
      accountId: intent.accountId,
      action: d.action,
      features: (d.features ?? {}) as unknown as Prisma.InputJsonValue,
      predictions: (d.slippage ?? {}) as unknown as Prisma.InputJsonValue,
      providerScore: d.providerScore,
      baseLot: d.baseLot.toString(),
      adjustedLot: d.lot.toString(),
      originalSl: d.originalStopLoss?.toString() ?? null,
      bufferedSl: d.stopLoss?.toString() ?? null,
      takeProfit: d.takeProfit?.toString() ?? null,
      reasonCodes: d.reasons.map((r) => r.code),
      reasons: d.reasons as unknown as Prisma.InputJsonValue,
      modelVersions: d.modelVersions,
      policyVariant: resolved.variant,
      experimentId: resolved.experimentId,
      degraded: d.degraded,
      latencyUs,
    },
  };
}

/**
 * The SRM decision as a service: gathers account, provider and context, calls the pure `decide`, persists the
 * key's claim, intent and decision together (on the copy hot path: the claim, with the decision stored behind
 * the approval), streams the decision, and issues the approval execution requires. If anything fails before the
 * key is claimed, the intent is rejected (fail closed) — never executed unchecked.
 */
export class SrmService {
  private readonly writer: DecisionWriter;
  /** Decisions of this process acted on before they were stored, by dedup key, until they are. */
  readonly #behind = new Map<string, Promise<void>>();
  /** Keys claimed ahead of their decisions (`claimAhead`), by dedup key: whether the claim was won. */
  readonly #ahead = new Map<string, Promise<boolean>>();
  /** Provider reads under way, by provider id (see `#provider`). */
  readonly #providerReads = new Map<string, Promise<{ scoreState: Prisma.JsonValue; tradeCount: number } | null>>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly champions: ChampionCache,
    private readonly policies: PolicyResolver,
    private readonly context: ContextSource,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.writer = new DecisionWriter(prisma);
  }

  /**
   * Decides an intent; throws CORE_ERR_INVALID (naming the field) for an inconsistent intent, which is never
   * decided. One decision per dedup key: a repeated key is answered with the stored decision.
   */
  async decide(intent: TradeIntent, facts: MarketFacts, opts: DecideOptions = {}): Promise<DecisionRecord> {
    validateIntent(intent, facts.spec, facts.quote);
    const account: DecisionAccount | null = opts.account ?? (await this.prisma.brokerAccount.findUnique({ where: { id: intent.accountId } }));
    if (!account) throw new RiskloopError(CoreErrors.CORE_ERR_NOT_FOUND, `account ${intent.accountId} not found`, { field: "accountId" });
    const resolved = this.policies.resolve(intent.accountId);
    const now = facts.at ?? this.clock.now();
    const provider = intent.providerId ? await this.#provider(intent.providerId, now) : null;

    const context = await this.#contextAt(intent.symbol, now);
    const started = this.clock.monotonic();
    let decision: Decision;
    try {
      const models: DecisionModels = {
        slippage: resolved.modelVersions?.slippage ? await this.champions.pinned(resolved.modelVersions.slippage) : this.champions.slippage,
      };
      decision = decide(
        {
          intent,
          spec: facts.spec,
          quote: facts.quote,
          context,
          account: {
            balance: dec(account.balance.toString()),
            equity: dec(account.equity.toString()),
            freeMargin: dec(account.freeMargin.toString()),
            riskState: account.riskState,
            dayStartBalance: dec((account.dayStartBalance ?? account.balance).toString()),
            equityHighWaterMark: dec((account.equityHighWaterMark ?? account.equity).toString()),
          },
          quoteToAccountRate: facts.quoteToAccountRate,
          provider,
          now,
        },
        models,
        resolved.policy,
      );
    } catch (err) {
      this.logger.error({ err, intent: intent.id }, "SRM could not decide; rejecting (fail closed)");
      decision = failedClosed(intent, now, err);
    }
    const latencyUs = Math.round((this.clock.monotonic() - started) * 1000);
    const id = newTimeOrderedId(this.clock.now());
    const row = pending(id, intent, decision, resolved, latencyUs);
    const made: Made = { id, decision, userId: account.userId, accountId: account.id, variant: resolved.variant, latencyUs };

    // A key claimed ahead by this process is this decision's, once (a second decider goes through the claim).
    const ahead = this.#ahead.get(intent.dedupKey);
    if (ahead) this.#ahead.delete(intent.dedupKey);
    const held = ahead ? await ahead : false;
    if (opts.writeBehind && decision.action === "EXECUTE" && intent.kind === "OPEN") {
      if (held || (await this.writer.claim(intent.dedupKey))) {
        const behind = this.#storeBehind(row);
        void behind.stored.then(() => this.#announce(made), () => {});
        return this.#record(made, behind);
      }
    } else if (held ? await this.writer.store(row) : await this.writer.write(row)) {
      this.#announce(made);
      return this.#record(made);
    }
    return this.#claimedBefore(row, made);
  }

  /**
   * Claims these keys now, in one statement, for decisions this process is about to make (a copy batch claims
   * its opens before deciding them, so the claim's round trip overlaps the decisions instead of following
   * them). `decide` of a key won here uses the claim instead of claiming again; a key claimed before by anyone
   * is decided as if never claimed ahead. Whatever is not decided must be given back (`releaseAhead`).
   */
  claimAhead(keys: readonly string[]): void {
    for (const key of keys) if (!this.#ahead.has(key)) this.#ahead.set(key, this.writer.claim(key));
  }

  /** Deletes the claims made ahead of these keys that no decision used (a copy skipped before deciding). */
  async releaseAhead(keys: readonly string[]): Promise<void> {
    const unused: string[] = [];
    for (const key of keys) {
      const ahead = this.#ahead.get(key);
      if (!ahead) continue;
      this.#ahead.delete(key);
      if (await ahead.catch(() => false)) unused.push(key);
    }
    if (unused.length > 0) await this.writer.release(unused);
  }

  /** Prunes the dedup claims of decisions stored before `before` (see `DecisionWriter.prune`); returns how many went. */
  pruneClaims(before: Date): Promise<number> {
    return this.writer.prune(before);
  }

  #record(m: Made, approval: ApprovalTerms = {}): DecisionRecord {
    return { id: m.id, decision: m.decision, userId: m.userId, variant: m.variant, latencyUs: m.latencyUs, approved: this.#approval(m.id, m.decision, m.userId, approval), duplicate: false };
  }

  #announce(m: Made): void {
    const d = m.decision;
    this.bus.publish({
      type: DECISION_EVENT,
      userId: m.userId,
      accountId: m.accountId,
      at: d.decidedAt,
      data: { id: m.id, action: d.action, symbol: d.intent.symbol, lot: d.lot.toString(), reasons: d.reasons, variant: m.variant },
    });
  }

  /**
   * The decision of a key this process has just claimed, written behind the approval: its group commit waits for
   * the event loop to turn, which comes once the orders of the same fan-out are sent. Until it commits, a second
   * decider of the key in this process waits for it rather than taking the claim for abandoned.
   */
  #storeBehind(row: PendingDecision): { stored: Promise<void> } {
    const key = row.intent.dedupKey;
    const stored = this.writer.storeBehind(row).then((ok) => {
      if (!ok) throw new RiskloopError(CoreErrors.CORE_ERR_CONFLICT, `intent ${key} already had a decision stored under its claim`);
    });
    this.#behind.set(key, stored);
    void stored.then(
      () => this.#behind.delete(key),
      (err: unknown) => {
        this.#behind.delete(key);
        this.logger.error({ err, dedupKey: key }, "a decision sent ahead of its record could not be stored; the next attempt looks its order up first");
      },
    );
    return { stored };
  }

  /**
   * The key was claimed before: its stored decision is the answer. A claim with no decision was left by an
   * attempt that stopped between claiming and storing, possibly after sending, so this decision takes the
   * key over (stored now) with an approval that makes execution look the order up before sending.
   */
  async #claimedBefore(row: PendingDecision, made: Made): Promise<DecisionRecord> {
    const key = row.intent.dedupKey;
    await this.#behind.get(key)?.catch(() => {});
    const existing = await this.#existing(key);
    if (existing) return existing;
    if (!(await this.prisma.intentClaim.findUnique({ where: { dedupKey: key }, select: { dedupKey: true } }))) {
      throw new RiskloopError(CoreErrors.CORE_ERR_CONFLICT, `intent ${key} is being decided concurrently`);
    }
    if (!(await this.writer.store(row))) {
      const raced = await this.#existing(key);
      if (raced) return raced;
      throw new RiskloopError(CoreErrors.CORE_ERR_CONFLICT, `intent ${key} is being decided concurrently`);
    }
    this.logger.warn({ dedupKey: key }, "took over a decision claim left without a decision; its order is looked up before anything is sent");
    this.#announce(made);
    return this.#record(made, { mayHaveBeenSent: true });
  }

  /** The context, or null (the decision then degrades and says so) when it cannot be had. */
  async #contextAt(symbol: string, at: number): Promise<ContextFields | null> {
    try {
      return await this.context(symbol, at);
    } catch (err) {
      this.logger.warn({ err, symbol }, "market context unavailable for this decision");
      return null;
    }
  }

  async #provider(providerId: string, now: number): Promise<ProviderSnapshot | null> {
    // Decisions that need the same provider while its read is under way share that read (a fan-out's copies all
    // ask at once: one query instead of one per slave); the next decision after it answered reads again.
    let read = this.#providerReads.get(providerId);
    if (!read) {
      read = Promise.resolve(this.prisma.signalProvider.findUnique({ where: { id: providerId }, select: { scoreState: true, tradeCount: true } }));
      this.#providerReads.set(providerId, read);
      void read.then(
        () => this.#providerReads.delete(providerId),
        () => this.#providerReads.delete(providerId),
      );
    }
    const p = await read;
    if (!p?.scoreState) return null;
    const s = scoreOf(p.scoreState as unknown as ScoreState, now, this.champions.scoreParams);
    return { score: s.score, tradeCount: p.tradeCount, mature: s.mature };
  }

  async #existing(dedupKey: string): Promise<DecisionRecord | null> {
    const row = await this.prisma.tradeIntent.findUnique({ where: { dedupKey }, include: { decision: true, account: { select: { userId: true } } } });
    if (!row?.decision) return null;
    const d = row.decision;
    const payload = row.payload as { positionId?: string | null; comment?: string | null; removeLevels?: TradeIntent["removeLevels"] | null } | null;
    const intent: TradeIntent = {
      id: row.id,
      source: row.source,
      dedupKey: row.dedupKey,
      accountId: row.accountId,
      symbol: row.symbol,
      side: row.side,
      kind: row.kind,
      volume: dec(row.volume.toString()),
      price: row.price ? dec(row.price.toString()) : undefined,
      stopLoss: row.stopLoss ? dec(row.stopLoss.toString()) : undefined,
      takeProfit: row.takeProfit ? dec(row.takeProfit.toString()) : undefined,
      providerId: row.providerId ?? undefined,
      copyLinkId: row.copyLinkId ?? undefined,
      strategyId: row.strategyId ?? undefined,
      masterAccountId: row.masterAccountId ?? undefined,
      masterDealId: row.masterDealId ?? undefined,
      masterPositionId: row.masterPositionId ?? undefined,
      positionId: payload?.positionId ?? undefined,
      comment: payload?.comment ?? undefined,
      removeLevels: payload?.removeLevels ?? undefined,
      signalTime: row.signalTime.getTime(),
      receivedAt: row.receivedAt.getTime(),
      ttlSeconds: row.ttlSeconds ?? undefined,
    };
    const predictions = d.predictions as { p50?: number; p90?: number; source?: "model" | "fallback" };
    const decision: Decision = {
      action: d.action,
      intent,
      lot: dec(d.adjustedLot.toString()),
      baseLot: dec(d.baseLot.toString()),
      originalStopLoss: d.originalSl ? dec(d.originalSl.toString()) : undefined,
      stopLoss: d.bufferedSl ? dec(d.bufferedSl.toString()) : undefined,
      takeProfit: d.takeProfit ? dec(d.takeProfit.toString()) : undefined,
      slippage: predictions.p90 !== undefined ? { p50: predictions.p50 ?? 0, p90: predictions.p90, source: predictions.source ?? "model" } : null,
      providerScore: d.providerScore,
      reasons: d.reasons as unknown as Decision["reasons"],
      features: null,
      modelVersions: d.modelVersions as Record<string, string>,
      degraded: d.degraded,
      decidedAt: d.createdAt.getTime(),
    };
    // An open may be sent before its execution log is written (the copy hot path), so whoever acts on a stored
    // decision again asks the broker first unless the log shows what happened.
    return {
      id: d.id,
      decision,
      userId: row.account.userId,
      variant: d.policyVariant,
      latencyUs: d.latencyUs,
      approved: this.#approval(d.id, decision, row.account.userId, { mayHaveBeenSent: true }),
      duplicate: true,
    };
  }

  #approval(id: string, d: Decision, userId: string, terms: ApprovalTerms = {}): ApprovedDecision | null {
    if (d.action !== "EXECUTE") return null;
    // No spread of `terms`: spreading differently shaped objects at one site cost about 10 µs, on every copy.
    return approve({
      stored: terms.stored,
      mayHaveBeenSent: terms.mayHaveBeenSent,
      decisionId: id,
      intent: d.intent,
      userId,
      lot: d.lot,
      stopLoss: d.stopLoss,
      takeProfit: d.takeProfit,
      predictedSlippageP50: d.slippage?.p50 ?? null,
      predictedSlippageP90: d.slippage?.p90 ?? null,
      providerScore: d.providerScore,
      decidedAt: d.decidedAt,
    });
  }
}

function failedClosed(intent: TradeIntent, now: number, err: unknown): Decision {
  return {
    action: "REJECT",
    intent,
    lot: new Decimal(0),
    baseLot: intent.volume,
    originalStopLoss: intent.stopLoss,
    stopLoss: intent.stopLoss,
    takeProfit: intent.takeProfit,
    slippage: null,
    providerScore: null,
    reasons: [{ code: "SRM_FAILED_CLOSED", text: `SRM could not decide (${(err as Error).message}); the trade is rejected rather than sent unchecked` }],
    features: null,
    modelVersions: {},
    degraded: true,
    decidedAt: now,
  };
}
