import { expect, it } from "vitest";
import { createLogger, dec, LocalEventBus, newId, type ServiceEvent } from "../../core/index.ts";
import { AuditLog, type AuditEntry, type PrismaClient } from "../../prisma/index.ts";
import { describeEachDatabase } from "../../test/kit/db.ts";
import { FakeClock } from "../../test/kit/fake-clock.ts";
import { anIntent, EURUSD, T0 as INTENT_T0 } from "../../test/kit/builders.ts";
import { decide } from "../decision/decide.ts";
import { DEFAULT_SRM_POLICY } from "../decision/srm-policy.ts";
import { RiskMonitor } from "./risk-monitor.ts";

const MIN = 60_000;
const HOUR = 60 * MIN;
/** Tuesday 12 March 2024, 10:30 New York (EDT); the trading day ends at 17:00 New York, 21:00 UTC. */
const T0 = Date.UTC(2024, 2, 12, 14, 30);
const DAY_END = Date.UTC(2024, 2, 12, 21);

async function anAccountRow(prisma: PrismaClient, riskLimits: unknown[] = []) {
  const user = await prisma.user.create({ data: { email: `risk-${newId()}@example.com`, passwordHash: "x" } });
  const account = await prisma.brokerAccount.create({
    data: { userId: user.id, name: "Follower", platform: "PAPER", balance: "10000", equity: "10000", riskLimits: riskLimits as never },
  });
  return { userId: user.id, accountId: account.id };
}

function aMonitor(prisma: PrismaClient, audit = new AuditLog(prisma)) {
  const bus = new LocalEventBus();
  const published: ServiceEvent[] = [];
  bus.subscribe((e) => published.push(e));
  const clock = new FakeClock(T0);
  const monitor = new RiskMonitor(prisma, audit, bus, clock, createLogger({ level: "silent" }));
  return { monitor, published, clock };
}

/** An audit log whose writes fail, to break the monitor's transaction halfway. */
class FailingAuditLog extends AuditLog {
  override async record(_entry: AuditEntry): Promise<void> {
    throw new Error("audit store unavailable");
  }
}

async function rowCounts(prisma: PrismaClient, accountId: string) {
  return {
    events: await prisma.riskEvent.count({ where: { accountId } }),
    alerts: await prisma.alert.count({ where: { accountId } }),
    audits: await prisma.auditLog.count({ where: { entityId: accountId } }),
  };
}

describeEachDatabase("RiskMonitor", (getDb) => {
  it("puts a losing day in REDUCING after an 80% alert, and the next trading day brings it back", async () => {
    const { prisma } = getDb();
    const { accountId, userId } = await anAccountRow(prisma);
    const { monitor, published } = aMonitor(prisma);
    const update = (minutes: number, balance: string, equity: string) => monitor.onAccountUpdate(accountId, { balance, equity, at: T0 + minutes * MIN });

    expect((await update(0, "10000", "10000")).state).toBe("ACTIVE");
    expect((await update(60, "10000", "9850")).recorded).toBe(0);
    const alert = await update(120, "10000", "9835");
    expect([alert.state, alert.recorded]).toEqual(["ACTIVE", 1]);
    expect((await update(120, "10000", "9835")).recorded).toBe(0);
    expect((await update(150, "10000", "9830")).recorded).toBe(0);

    const hit = await update(240, "9790", "9790");
    expect([hit.state, hit.previousState, hit.closePositions, hit.recorded]).toEqual(["REDUCING", "ACTIVE", false, 1]);
    const row = await prisma.brokerAccount.findUniqueOrThrow({ where: { id: accountId } });
    expect([row.riskState, row.riskStateReason, row.dayStartBalance?.toString()]).toEqual(["REDUCING", "daily-loss-limit", "10000"]);
    expect(row.riskStateChangedAt?.getTime()).toBe(T0 + 240 * MIN);

    const events = await prisma.riskEvent.findMany({ where: { accountId }, orderBy: { createdAt: "asc" } });
    expect(events.map((e) => [e.rule, e.action, e.fromState, e.toState, e.value?.toString(), e.limit?.toString()])).toEqual([
      ["daily-loss-limit", "ALERT", "ACTIVE", "ACTIVE", "0.0165", "0.02"],
      ["daily-loss-limit", "REDUCE", "ACTIVE", "REDUCING", "0.021", "0.02"],
    ]);
    const alerts = await prisma.alert.findMany({ where: { accountId }, orderBy: { createdAt: "asc" } });
    expect(alerts.map((a) => [a.userId, a.severity, a.code])).toEqual([
      [userId, "WARNING", "RISK_ALERT"],
      [userId, "WARNING", "RISK_REDUCE"],
    ]);
    expect(alerts[1]!.message).toContain("2.10% against a limit of 2.00%");
    expect(published.map((e) => [e.type, e.userId, (e.data as { rule: string }).rule])).toEqual([
      ["risk.alert", userId, "daily-loss-limit"],
      ["risk.state_changed", userId, "daily-loss-limit"],
    ]);

    // decide reads what the monitor maintains: no new position while REDUCING.
    const account = { balance: dec(9790), equity: dec(9790), freeMargin: dec(9790), equityHighWaterMark: dec(10000) };
    const decideWith = (r: typeof row) =>
      decide(
        { intent: anIntent({ accountId }), spec: EURUSD, quote: null, context: null, account: { ...account, riskState: r.riskState, dayStartBalance: dec(r.dayStartBalance!.toString()) }, quoteToAccountRate: 1, provider: null, now: INTENT_T0 },
        { slippage: null },
        DEFAULT_SRM_POLICY,
      );
    expect(decideWith(row).reasons.map((r) => r.code)).toEqual(["SRM_ACCOUNT_REDUCING"]);

    expect((await update(300, "9790", "9790")).recorded).toBe(0);
    const before = await update(DAY_END / MIN - T0 / MIN - 1, "9790", "9790");
    expect(before.state).toBe("REDUCING");
    const nextDay = await monitor.onAccountUpdate(accountId, { balance: "9790", equity: "9790", at: DAY_END + 5 * MIN });
    expect([nextDay.state, nextDay.transition?.kind, nextDay.recorded]).toEqual(["ACTIVE", "expired", 1]);
    const after = await prisma.brokerAccount.findUniqueOrThrow({ where: { id: accountId } });
    expect([after.riskState, after.dayStartBalance?.toString()]).toEqual(["ACTIVE", "9790"]);
    expect(decideWith(after).reasons.map((r) => r.code)).not.toContain("SRM_DAILY_LOSS_LIMIT");
    const reset = await prisma.riskEvent.findFirstOrThrow({ where: { accountId, action: "RESET" } });
    expect([reset.rule, reset.fromState, reset.toState, (reset.details as { kind: string }).kind]).toEqual(["daily-loss-limit", "REDUCING", "ACTIVE", "expired"]);
    expect(await prisma.auditLog.count({ where: { entityId: accountId, action: "risk.state_changed" } })).toBe(2);
  });

  it("halts a 21% equity drawdown with open losses and asks to close every position, until a manual reset", async () => {
    const { prisma } = getDb();
    const { accountId, userId } = await anAccountRow(prisma);
    const { monitor, published, clock } = aMonitor(prisma);
    const update = (minutes: number, balance: string, equity: string) => monitor.onAccountUpdate(accountId, { balance, equity, at: T0 + minutes * MIN });

    await update(0, "10000", "10000");
    await update(60, "12000", "12000");
    const warned = await update(120, "12000", "10080");
    expect([warned.state, warned.recorded, warned.verdicts.find((v) => v.rule === "emergency-stop")?.action]).toEqual(["ACTIVE", 1, "ALERT"]);

    const stop = await update(180, "12000", "9480");
    expect([stop.state, stop.closePositions, stop.transition?.reason]).toEqual(["HALTED", true, "emergency-stop"]);
    const emergency = stop.verdicts.find((v) => v.rule === "emergency-stop")!;
    expect([emergency.value.toString(), emergency.limit.toString(), emergency.action]).toEqual(["0.21", "0.2", "CLOSE_POSITIONS"]);

    const events = await prisma.riskEvent.findMany({ where: { accountId, createdAt: new Date(T0 + 180 * MIN) }, orderBy: { rule: "asc" } });
    expect(events.map((e) => [e.rule, e.action, e.fromState, e.toState])).toEqual([
      ["daily-loss-limit", "REDUCE", "ACTIVE", "HALTED"],
      ["emergency-stop", "CLOSE_POSITIONS", "ACTIVE", "HALTED"],
    ]);
    const critical = await prisma.alert.findFirstOrThrow({ where: { accountId, code: "RISK_CLOSE_POSITIONS" } });
    expect([critical.severity, critical.userId]).toEqual(["CRITICAL", userId]);
    expect(critical.message).toContain("emergency-stop");
    expect(critical.message).toContain("21.00% against a limit of 20.00%");
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { entityId: accountId, action: "risk.state_changed" } });
    expect([audit.actorUserId, (audit.after as { riskState: string }).riskState]).toEqual([null, "HALTED"]);
    const changed = published.find((e) => e.type === "risk.state_changed")!;
    expect(changed.data).toMatchObject({ rule: "emergency-stop", from: "ACTIVE", to: "HALTED", closePositions: true, value: "0.21", limit: "0.2" });

    // The trading side closed the positions: still halted (sticky), still told to flatten, nothing new recorded.
    const flat = await update(240, "9480", "9480");
    expect([flat.state, flat.closePositions, flat.recorded]).toEqual(["HALTED", true, 0]);
    const nextDay = await monitor.onAccountUpdate(accountId, { balance: "9480", equity: "9480", at: DAY_END + HOUR });
    expect([nextDay.state, nextDay.recorded]).toEqual(["HALTED", 0]);

    await expect(monitor.reset(accountId, { userId, reason: " " })).rejects.toMatchObject({ code: "CORE_ERR_INVALID", details: { field: "reason" } });
    clock.set(DAY_END + 2 * HOUR);
    const reset = await monitor.reset(accountId, { userId, reason: "reviewed the provider's losses" });
    expect([reset.state, reset.previousState, reset.transition?.kind, reset.recorded]).toEqual(["ACTIVE", "HALTED", "reset", 1]);
    const row = await prisma.brokerAccount.findUniqueOrThrow({ where: { id: accountId } });
    expect([row.riskState, row.riskStateReason, row.equityHighWaterMark?.toString(), row.dayStartBalance?.toString()]).toEqual([
      "ACTIVE",
      "manual-reset",
      "9480",
      "9480",
    ]);
    const resetEvent = await prisma.riskEvent.findFirstOrThrow({ where: { accountId, action: "RESET" } });
    expect([resetEvent.rule, resetEvent.fromState, resetEvent.toState]).toEqual(["manual-reset", "HALTED", "ACTIVE"]);
    const resetAudit = await prisma.auditLog.findFirstOrThrow({ where: { entityId: accountId, action: "risk.reset" } });
    expect([resetAudit.actorUserId, (resetAudit.after as { reason: string }).reason]).toEqual([userId, "reviewed the provider's losses"]);

    const again = await monitor.onAccountUpdate(accountId, { balance: "9480", equity: "9480", at: DAY_END + 3 * HOUR });
    expect([again.state, again.closePositions, again.recorded]).toEqual(["ACTIVE", false, 0]);
  });

  it("puts a stop-loss streak in REDUCING for the cooldown, counted from closed trades", async () => {
    const { prisma } = getDb();
    const { accountId } = await anAccountRow(prisma);
    const { monitor } = aMonitor(prisma);
    await monitor.onAccountUpdate(accountId, { balance: "10000", equity: "10000", at: T0 });
    const close = (minutes: number, closeReason: "SL" | "TP") =>
      prisma.closedTrade.create({
        data: {
          accountId,
          ticket: `t-${minutes}`,
          symbol: "EURUSD",
          side: "BUY",
          volume: "0.10",
          openTime: new Date(T0),
          closeTime: new Date(T0 + minutes * MIN),
          openPrice: "1.1",
          closePrice: "1.099",
          profit: closeReason === "SL" ? "-10" : "20",
          closeReason,
          origin: "PAPER",
        },
      });
    for (const [m, r] of [[5, "TP"], [10, "SL"], [20, "SL"], [30, "SL"]] as const) await close(m, r);
    const hit = await monitor.onAccountUpdate(accountId, { balance: "9990", equity: "9990", at: T0 + 31 * MIN });
    expect([hit.state, hit.transition?.reason]).toEqual(["REDUCING", "stop-loss-streak"]);
    expect((await monitor.onAccountUpdate(accountId, { balance: "9990", equity: "9990", at: T0 + (30 + 239) * MIN })).state).toBe("REDUCING");
    const served = await monitor.onAccountUpdate(accountId, { balance: "9990", equity: "9990", at: T0 + (30 + 240) * MIN });
    expect([served.state, served.transition?.kind]).toEqual(["ACTIVE", "expired"]);
  });
});

describeEachDatabase("RiskMonitor integrity", (getDb) => {
  it("writes nothing for an update it has already applied, and no duplicate events for the same numbers later", async () => {
    const { prisma } = getDb();
    const { accountId } = await anAccountRow(prisma);
    const { monitor, published } = aMonitor(prisma);
    await monitor.onAccountUpdate(accountId, { balance: "10000", equity: "10000", at: T0 });
    await monitor.onAccountUpdate(accountId, { balance: "10000", equity: "9790", at: T0 + MIN });
    const counts = await rowCounts(prisma, accountId);
    const row = await prisma.brokerAccount.findUniqueOrThrow({ where: { id: accountId } });
    for (let i = 0; i < 3; i++) expect((await monitor.onAccountUpdate(accountId, { balance: "10000", equity: "9790", at: T0 + MIN })).recorded).toBe(0);
    expect((await prisma.brokerAccount.findUniqueOrThrow({ where: { id: accountId } })).updatedAt).toEqual(row.updatedAt);
    for (let i = 2; i < 5; i++) await monitor.onAccountUpdate(accountId, { balance: "10000", equity: "9790", at: T0 + i * MIN });
    expect(await rowCounts(prisma, accountId)).toEqual(counts);
    expect(counts).toEqual({ events: 1, alerts: 1, audits: 1 });
    expect(published).toHaveLength(1);
  });

  it("leaves the account, events and alerts untouched when a write inside the transaction fails", async () => {
    const { prisma } = getDb();
    const { accountId } = await anAccountRow(prisma);
    const { monitor: good } = aMonitor(prisma);
    await good.onAccountUpdate(accountId, { balance: "10000", equity: "10000", at: T0 });
    await good.onAccountUpdate(accountId, { balance: "10000", equity: "9835", at: T0 + MIN });
    const before = await prisma.brokerAccount.findUniqueOrThrow({ where: { id: accountId } });
    const counts = await rowCounts(prisma, accountId);

    const { monitor: broken, published } = aMonitor(prisma, new FailingAuditLog(prisma));
    await expect(broken.onAccountUpdate(accountId, { balance: "9000", equity: "7900", at: T0 + 2 * MIN })).rejects.toThrow(/audit store unavailable/);
    expect(await prisma.brokerAccount.findUniqueOrThrow({ where: { id: accountId } })).toEqual(before);
    expect(await rowCounts(prisma, accountId)).toEqual(counts);
    expect(published).toEqual([]);

    // The same update through a healthy monitor applies in full.
    const applied = await good.onAccountUpdate(accountId, { balance: "9000", equity: "7900", at: T0 + 2 * MIN });
    expect([applied.state, applied.closePositions]).toEqual(["HALTED", true]);
  });

  it("applies concurrent updates of one account one at a time", async () => {
    const { prisma } = getDb();
    const { accountId } = await anAccountRow(prisma);
    const { monitor } = aMonitor(prisma);
    await monitor.onAccountUpdate(accountId, { balance: "10000", equity: "10000", at: T0 });
    const outcomes = await Promise.all(
      [9840, 9835, 9830, 9845, 9838].map((equity, i) => monitor.onAccountUpdate(accountId, { balance: "10000", equity: String(equity), at: T0 + (i + 1) * MIN })),
    );
    expect(outcomes.reduce((n, o) => n + o.recorded, 0)).toBe(1);
    expect(await prisma.riskEvent.count({ where: { accountId } })).toBe(1);
    const row = await prisma.brokerAccount.findUniqueOrThrow({ where: { id: accountId } });
    expect((row.riskWindows as { last: { at: number } }).last.at).toBe(T0 + 5 * MIN);
  });

  it("keeps two monitors (two processes) from recording the same alert twice", async () => {
    const { prisma } = getDb();
    const { accountId } = await anAccountRow(prisma);
    const [a, b] = [aMonitor(prisma).monitor, aMonitor(prisma).monitor];
    await a.onAccountUpdate(accountId, { balance: "10000", equity: "10000", at: T0 });
    await Promise.all([
      a.onAccountUpdate(accountId, { balance: "10000", equity: "9840", at: T0 + MIN }),
      b.onAccountUpdate(accountId, { balance: "10000", equity: "9840", at: T0 + MIN }),
      b.onAccountUpdate(accountId, { balance: "10000", equity: "9835", at: T0 + 2 * MIN }),
    ]);
    expect(await prisma.riskEvent.count({ where: { accountId } })).toBe(1);
  });

  it("lifts an expired hold on re-evaluation when no update arrives", async () => {
    const { prisma } = getDb();
    const { accountId } = await anAccountRow(prisma);
    const { monitor, clock } = aMonitor(prisma);
    await monitor.onAccountUpdate(accountId, { balance: "10000", equity: "10000", at: T0 });
    expect((await monitor.onAccountUpdate(accountId, { balance: "9700", equity: "9700", at: T0 + MIN })).state).toBe("REDUCING");
    clock.set(DAY_END - 1);
    expect((await monitor.reevaluate(accountId)).state).toBe("REDUCING");
    clock.set(DAY_END);
    const lifted = await monitor.reevaluate(accountId);
    expect([lifted.state, lifted.transition?.kind]).toEqual(["ACTIVE", "expired"]);
    expect((await prisma.brokerAccount.findUniqueOrThrow({ where: { id: accountId } })).dayStartBalance?.toString()).toBe("9700");
  });

  it("ignores an update older than one already applied", async () => {
    const { prisma } = getDb();
    const { accountId } = await anAccountRow(prisma);
    const { monitor } = aMonitor(prisma);
    await monitor.onAccountUpdate(accountId, { balance: "10000", equity: "10000", at: T0 + 10 * MIN });
    const stale = await monitor.onAccountUpdate(accountId, { balance: "10000", equity: "5000", at: T0 });
    expect([stale.stale, stale.state, stale.verdicts]).toEqual([true, "ACTIVE", []]);
    expect(await prisma.riskEvent.count({ where: { accountId } })).toBe(0);
  });

  it("validates and audits per-account limits, then enforces them with their typed reason", async () => {
    const { prisma } = getDb();
    const { accountId, userId } = await anAccountRow(prisma);
    const { monitor } = aMonitor(prisma);
    await expect(monitor.setLimits(accountId, [{ kind: "period", window: "week-to-date", measure: "equity-change", limit: { relative: 3 } }], { userId })).rejects.toMatchObject({
      code: "CORE_ERR_INVALID",
      details: { field: "riskLimits[0].limit.relative" },
    });
    await monitor.setLimits(accountId, [{ kind: "period", window: "week-to-date", measure: "equity-change", limit: { absolute: 150 } }], { userId });
    expect(await prisma.auditLog.count({ where: { entityId: accountId, action: "risk.limits_changed", actorUserId: userId } })).toBe(1);

    await monitor.onAccountUpdate(accountId, { balance: "10000", equity: "10000", at: T0 });
    const out = await monitor.onAccountUpdate(accountId, { balance: "10000", equity: "9850", at: T0 + MIN });
    expect([out.state, out.transition?.reason, out.closePositions]).toEqual(["HALTED", "week-to-date-equity-change", false]);
    const event = await prisma.riskEvent.findFirstOrThrow({ where: { accountId, action: "HALT" } });
    expect([event.rule, event.measure, event.value?.toString(), event.limit?.toString()]).toEqual(["week-to-date-equity-change", "equity-change", "150", "150"]);
  });

  it("falls back to the default rules when stored limits are invalid, and reports unknown accounts", async () => {
    const { prisma } = getDb();
    const { accountId } = await anAccountRow(prisma, [{ kind: "bogus" }]);
    const { monitor } = aMonitor(prisma);
    await monitor.onAccountUpdate(accountId, { balance: "10000", equity: "10000", at: T0 });
    const out = await monitor.onAccountUpdate(accountId, { balance: "10000", equity: "9700", at: T0 + MIN });
    expect([out.state, out.transition?.reason]).toEqual(["REDUCING", "daily-loss-limit"]);
    await expect(monitor.onAccountUpdate("01890000-0000-7000-8000-000000000000", { balance: 1, equity: 1, at: T0 })).rejects.toMatchObject({ code: "CORE_ERR_NOT_FOUND" });
    await expect(monitor.onAccountUpdate(accountId, { balance: "abc", equity: 1, at: T0 })).rejects.toMatchObject({ details: { field: "balance" } });
  });
});
