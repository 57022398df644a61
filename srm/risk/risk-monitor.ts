import { CoreErrors, RiskloopError, dec, invalid, notFound, type Clock, type Decimal, type DecimalInput, type EventBus, type Logger } from "../../core/index.ts";
import type { AuditLog, Prisma, PrismaClient } from "../../prisma/index.ts";
import type { RiskState } from "../decision/decide.ts";
import { DEFAULT_RISK_SETTINGS, type RiskSettings } from "./risk.config.ts";
import { parseRiskLimits, riskRulesFor, type RiskLimitEntry } from "./risk-limits.ts";
import { baselinesOf, freshRiskMemory, newNotifications, observed, readRiskMemory, rollWindows, type ObservedValues, type RiskMemory } from "./risk-memory.ts";
import { riskRecords, type RiskRecords } from "./risk-records.ts";
import type { AccountRiskSnapshot, RiskRule, RiskVerdict } from "./risk-rule.ts";
import { resetRiskState, stepRiskState, type RiskStatus, type RiskStep, type RiskTransition } from "./risk-state-machine.ts";

/** An account's balance and equity as the trading side saw them at `at` (broker time, epoch ms). */
export interface AccountUpdate {
  balance: DecimalInput;
  equity: DecimalInput;
  at: number;
}

/** What the monitor decided; the trading side executes `closePositions` (SRM never calls a broker). */
export interface RiskOutcome {
  accountId: string;
  state: RiskState;
  previousState: RiskState;
  closePositions: boolean;
  verdicts: RiskVerdict[];
  transition: RiskTransition | null;
  /** Risk events written by this call: new alerts, new breaches, transitions. */
  recorded: number;
  /** The update was older than one already applied and changed nothing. */
  stale: boolean;
}

const ACCOUNT_FIELDS = {
  id: true,
  userId: true,
  balance: true,
  equity: true,
  riskState: true,
  riskStateReason: true,
  riskStateChangedAt: true,
  equityHighWaterMark: true,
  dayStartBalance: true,
  riskLimits: true,
  riskWindows: true,
  updatedAt: true,
} as const;
type AccountRow = Prisma.BrokerAccountGetPayload<{ select: typeof ACCOUNT_FIELDS }>;

/** How far back the stop-loss run is read; a run longer than this already tripped any sane guard. */
const RUN_SCAN = 200;
const WRITE_ATTEMPTS = 3;

class ConcurrentWrite extends Error {}

/**
 * Moves accounts between ACTIVE, REDUCING and HALTED. On each balance/equity update it rolls the window
 * baselines, tracks the equity high-water mark and the day-start balance (which `decide` reads), evaluates
 * the account's rules, and writes state, risk events, owner alerts and the audit entry in one transaction,
 * then publishes `risk.alert` / `risk.state_changed`. Updates of one account are applied one at a time.
 */
export class RiskMonitor {
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly audit: AuditLog,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly settings: RiskSettings = DEFAULT_RISK_SETTINGS,
  ) {}

  /** Applies a balance/equity update (on every account/equity update and on each trade close). */
  async onAccountUpdate(accountId: string, update: AccountUpdate): Promise<RiskOutcome> {
    const balance = finite(update.balance, "balance");
    const equity = finite(update.equity, "equity");
    if (!Number.isFinite(update.at)) throw invalid("at", "must be a time in epoch milliseconds");
    return this.#serial(accountId, (account) => this.#evaluate(account, observed(update.at, balance, equity)));
  }

  /** Re-evaluates with the last values seen, at the clock's time: lifts holds that ran out while no update came. */
  reevaluate(accountId: string): Promise<RiskOutcome> {
    return this.#serial(accountId, (account) => {
      const last = readRiskMemory(account.riskWindows)?.last;
      const values = last ?? observed(0, dec(account.balance.toString()), dec(account.equity.toString()));
      return this.#evaluate(account, { ...values, at: Math.max(this.clock.now(), values.at) });
    });
  }

  /** The manual reset: back to ACTIVE, every window and the high-water mark re-baselined, audited. */
  async reset(accountId: string, by: { userId: string; reason: string }): Promise<RiskOutcome> {
    if (!by.reason?.trim()) throw invalid("reason", "say why the account's risk protection is reset");
    return this.#serial(accountId, async (account) => {
      const stored = readRiskMemory(account.riskWindows);
      const current = statusOf(account, stored);
      const last = stored?.last ?? observed(0, dec(account.balance.toString()), dec(account.equity.toString()));
      const now = Math.max(this.clock.now(), last.at);
      const memory = freshRiskMemory({ ...last, at: now });
      const step = resetRiskState(current, now);
      const note = { reason: by.reason, userId: by.userId, previousState: current.state, previousReason: current.reason };
      const records = riskRecords(this.#context(account, now, step), [], step.transition, note);
      await this.#write(account, memory, step, dec(last.equity), records, {
        actorUserId: by.userId,
        action: "risk.reset",
        before: { riskState: current.state, riskStateReason: current.reason },
        after: { riskState: "ACTIVE", reason: by.reason },
      });
      this.#publish(records);
      return outcome(account, step, [], records);
    });
  }

  /** Validates and stores an account's risk limits (CORE_ERR_INVALID names the bad field); audited. */
  async setLimits(accountId: string, raw: unknown, by: { userId: string }): Promise<RiskLimitEntry[]> {
    const entries = parseRiskLimits(raw);
    await this.prisma.$transaction(async (tx) => {
      const before = await tx.brokerAccount.findUnique({ where: { id: accountId }, select: { riskLimits: true } });
      if (!before) throw notFound("account", accountId);
      await tx.brokerAccount.update({ where: { id: accountId }, data: { riskLimits: entries as unknown as Prisma.InputJsonValue } });
      await this.audit.record(
        { actorUserId: by.userId, action: "risk.limits_changed", entityType: "broker_account", entityId: accountId, before: before.riskLimits, after: entries },
        tx,
      );
    });
    return entries;
  }

  async #evaluate(account: AccountRow, values: ObservedValues): Promise<RiskOutcome> {
    const stored = readRiskMemory(account.riskWindows);
    if (stored && values.at < stored.last.at) return { ...outcome(account, idle(statusOf(account, stored)), [], null), stale: true };
    const rolled = stored ? rollWindows(stored, values).memory : freshRiskMemory(values);
    const equity = dec(values.equity);
    const priorMark = account.equityHighWaterMark ? dec(account.equityHighWaterMark.toString()) : equity;
    const highWaterMark = equity.gt(priorMark) ? equity : priorMark;
    const rules = this.#rules(account);
    const snapshot: AccountRiskSnapshot = {
      accountId: account.id,
      now: values.at,
      balance: dec(values.balance),
      equity,
      openProfit: equity.sub(values.balance),
      equityHighWaterMark: highWaterMark,
      trackingStart: rolled.trackingStart,
      windows: baselinesOf(rolled, values.at),
      recentTrades: { stopLossRun: rules.some((r) => r.reason === "stop-loss-streak") ? await this.#stopLossRun(account.id, rolled.trackingStart, values.at) : [] },
    };
    const verdicts = rules.map((r) => r.evaluate(snapshot));
    const step = stepRiskState(statusOf(account, rolled), verdicts, values.at);
    const { news, notified } = newNotifications(rolled, verdicts);
    if (step.transition?.verdict && !news.includes(step.transition.verdict)) news.push(step.transition.verdict);
    const memory: RiskMemory = { ...rolled, reducingUntil: step.status.reducingUntil, notified };
    const records = riskRecords(this.#context(account, values.at, step), news, step.transition, { balance: values.balance, equity: values.equity });
    const audit = step.transition
      ? {
          actorUserId: null,
          action: "risk.state_changed",
          before: { riskState: step.transition.from, riskStateReason: account.riskStateReason },
          after: { riskState: step.transition.to, riskStateReason: step.status.reason, text: records.transitionText },
        }
      : null;
    await this.#write(account, memory, step, highWaterMark, records, audit);
    this.#publish(records);
    return outcome(account, step, verdicts, records);
  }

  /** Writes the account (only if still as loaded), the events, alerts and audit entry atomically. */
  async #write(
    account: AccountRow,
    memory: RiskMemory,
    step: RiskStep,
    highWaterMark: Decimal,
    records: RiskRecords,
    audit: { actorUserId: string | null; action: string; before: unknown; after: unknown } | null,
  ): Promise<void> {
    const status = step.status;
    const data: Prisma.BrokerAccountUpdateManyMutationInput = {
      riskState: status.state,
      riskStateReason: status.reason,
      riskStateChangedAt: status.since === null ? null : new Date(status.since),
      equityHighWaterMark: highWaterMark.toString(),
      dayStartBalance: memory.windows.day.balance,
      riskWindows: memory as unknown as Prisma.InputJsonValue,
    };
    const unchanged =
      !step.transition &&
      records.events.length === 0 &&
      canonicalJson(memory) === canonicalJson(account.riskWindows) &&
      sameMoney(account.equityHighWaterMark, highWaterMark) &&
      sameMoney(account.dayStartBalance, dec(memory.windows.day.balance));
    if (unchanged) return;
    const where = { id: account.id, updatedAt: account.updatedAt };
    if (records.events.length === 0 && !audit) {
      if ((await this.prisma.brokerAccount.updateMany({ where, data })).count === 0) throw new ConcurrentWrite();
      return;
    }
    await this.prisma.$transaction(async (tx) => {
      if ((await tx.brokerAccount.updateMany({ where, data })).count === 0) throw new ConcurrentWrite();
      await tx.riskEvent.createMany({ data: records.events });
      await tx.alert.createMany({ data: records.alerts });
      if (audit) await this.audit.record({ ...audit, entityType: "broker_account", entityId: account.id }, tx);
    });
  }

  #rules(account: AccountRow): RiskRule[] {
    try {
      return riskRulesFor(parseRiskLimits(account.riskLimits), this.settings);
    } catch (err) {
      // Stored limits are validated on the way in; if a bad one slipped through, protect with the defaults.
      this.logger.error({ err, accountId: account.id }, "invalid stored risk limits; using the default rules");
      return riskRulesFor([], this.settings);
    }
  }

  async #stopLossRun(accountId: string, since: number, at: number): Promise<number[]> {
    const rows = await this.prisma.closedTrade.findMany({
      where: { accountId, closeTime: { gt: new Date(since), lte: new Date(at) } },
      orderBy: { closeTime: "desc" },
      take: RUN_SCAN,
      select: { closeTime: true, closeReason: true },
    });
    const run: number[] = [];
    for (const r of rows) {
      if (r.closeReason !== "SL") break;
      run.push(r.closeTime.getTime());
    }
    return run.reverse();
  }

  #context(account: AccountRow, at: number, step: RiskStep) {
    return { accountId: account.id, userId: account.userId, at, from: account.riskState, to: step.status.state, closePositions: step.closePositions };
  }

  #publish(records: RiskRecords): void {
    for (const e of records.published) this.bus.publish(e);
  }

  /** Runs `fn` on a freshly loaded account, one call per account at a time, retrying when another writer got in between. */
  #serial<T>(accountId: string, fn: (account: AccountRow) => Promise<T>): Promise<T> {
    const run = (this.#queues.get(accountId) ?? Promise.resolve()).then(async () => {
      for (let attempt = 1; ; attempt++) {
        const account = await this.prisma.brokerAccount.findUnique({ where: { id: accountId }, select: ACCOUNT_FIELDS });
        if (!account) throw notFound("account", accountId);
        try {
          return await fn(account);
        } catch (err) {
          if (!(err instanceof ConcurrentWrite)) throw err;
          if (attempt >= WRITE_ATTEMPTS) throw new RiskloopError(CoreErrors.CORE_ERR_CONFLICT, `account ${accountId} kept changing during the risk update`);
        }
      }
    });
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.#queues.set(accountId, tail);
    void tail.then(() => {
      if (this.#queues.get(accountId) === tail) this.#queues.delete(accountId);
    });
    return run;
  }
}

function statusOf(account: AccountRow, memory: RiskMemory | null): RiskStatus {
  return {
    state: account.riskState,
    reason: account.riskStateReason,
    since: account.riskStateChangedAt?.getTime() ?? null,
    reducingUntil: memory?.reducingUntil ?? null,
  };
}

function idle(status: RiskStatus): RiskStep {
  return { status, transition: null, closePositions: false };
}

function outcome(account: AccountRow, step: RiskStep, verdicts: RiskVerdict[], records: RiskRecords | null): RiskOutcome {
  return {
    accountId: account.id,
    state: step.status.state,
    previousState: account.riskState,
    closePositions: step.closePositions,
    verdicts,
    transition: step.transition,
    recorded: records?.events.length ?? 0,
    stale: false,
  };
}

/** Whether a stored money column (4 decimals) already holds `value`. */
function sameMoney(stored: { toString(): string } | null, value: Decimal): boolean {
  return stored !== null && dec(stored.toString()).eq(value.toDecimalPlaces(4));
}

/** JSON with sorted keys: PostgreSQL's jsonb reorders keys, so plain stringify cannot compare stored and new memory. */
function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, value: unknown) =>
    value && typeof value === "object" && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value,
  );
}

function finite(v: DecimalInput, field: string): Decimal {
  let d: Decimal;
  try {
    d = dec(v);
  } catch {
    throw invalid(field, `must be a number, got ${JSON.stringify(v)}`);
  }
  if (!d.isFinite()) throw invalid(field, `must be finite, got ${d.toString()}`);
  return d;
}
