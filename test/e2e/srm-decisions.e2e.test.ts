import { afterAll, beforeAll, expect, it } from "vitest";
import { dec, newTimeOrderedId, type ServiceEvent } from "../../core/index.ts";
import { describeEachDatabase } from "../kit/db.ts";
import { testApi, type TestApi } from "../kit/api.ts";


describeEachDatabase("SRM decision endpoint", (getDb) => {
  let api: TestApi;
  let user: Awaited<ReturnType<TestApi["user"]>>;
  let accountId: string;
  const events: ServiceEvent[] = [];

  beforeAll(async () => {
    api = await testApi(getDb());
    const prisma = api.container.db.prisma;
    await prisma.instrument.upsert({
      where: { symbol: "EURUSD" },
      create: { symbol: "EURUSD", digits: 5, pipSize: "0.0001", contractSize: "100000", minVolume: "0.01", maxVolume: "100", volumeStep: "0.01", marginRate: "0.01", baseCurrency: "EUR", quoteCurrency: "USD" },
      update: {},
    });
    // Recorded quote shortly before "now" (the decision reads the last quote at or before its time).
    await prisma.tick.create({ data: { symbol: "EURUSD", time: new Date(Date.now() - 1000), seq: 0, bid: "1.10000", ask: "1.10008" } });
    user = await api.user();
    const acc = await api.app.inject({ method: "POST", url: "/accounts", headers: user.auth, payload: { name: "Paper", platform: "PAPER", initialBalance: "10000" } });
    accountId = acc.json().id;
    await prisma.brokerAccount.update({ where: { id: accountId }, data: { freeMargin: "10000" } });
    api.container.bus.subscribe((e) => events.push(e));
  });
  afterAll(async () => {
    await api?.close();
  });

  it("decides, explains, persists and streams a decision", async () => {
    const res = await api.app.inject({
      method: "POST",
      url: "/srm/decisions",
      headers: user.auth,
      payload: { accountId, symbol: "EURUSD", side: "BUY", volume: "0.50", stopLoss: "1.09800", takeProfit: "1.10500" },
    });
    expect(res.statusCode).toBe(201);
    const d = res.json();
    expect(d.action).toBe("EXECUTE");
    expect(Number(d.stopLoss)).toBeLessThan(1.098);
    expect(d.originalStopLoss).toBe("1.098");
    expect(d.reasons.map((r: { code: string }) => r.code)).toEqual(expect.arrayContaining(["SRM_SL_BUFFERED", "SRM_MODEL_FALLBACK"]));
    expect(d.degraded).toBe(true);
    expect(d.latencyUs).toBeGreaterThanOrEqual(0);

    const again = await api.app.inject({ method: "GET", url: `/srm/decisions/${d.id}`, headers: user.auth });
    expect(again.json()).toMatchObject({ id: d.id, action: "EXECUTE", lot: d.lot });
    expect(events.some((e) => e.type === "srm.decision" && e.userId === user.id && (e.data as { id: string }).id === d.id)).toBe(true);

    const other = await api.user();
    expect((await api.app.inject({ method: "GET", url: `/srm/decisions/${d.id}`, headers: other.auth })).statusCode).toBe(404);
    expect((await api.app.inject({ method: "POST", url: "/srm/decisions", headers: other.auth, payload: { accountId, symbol: "EURUSD", side: "BUY", volume: "0.1" } })).statusCode).toBe(404);
  });

  it("returns the same decision for a retried client request id", async () => {
    const payload = { accountId, symbol: "EURUSD", side: "SELL", volume: "0.20", stopLoss: "1.10300", clientRequestId: "req-42" };
    const first = await api.app.inject({ method: "POST", url: "/srm/decisions", headers: user.auth, payload });
    const second = await api.app.inject({ method: "POST", url: "/srm/decisions", headers: user.auth, payload });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ id: first.json().id, duplicate: true });
    expect(await api.container.db.prisma.tradeIntent.count({ where: { dedupKey: `api:${user.id}:req-42` } })).toBe(1);
  });

  it("stores exactly one decision when the same request races itself (group commit)", async () => {
    const payload = { accountId, symbol: "EURUSD", side: "BUY", volume: "0.10", stopLoss: "1.09800", clientRequestId: "race-1" };
    const others = Array.from({ length: 20 }, (_, i) => ({ ...payload, clientRequestId: `race-other-${i}` }));
    const results = await Promise.all([...Array.from({ length: 10 }, () => payload), ...others].map((p) => api.app.inject({ method: "POST", url: "/srm/decisions", headers: user.auth, payload: p })));
    const racing = results.slice(0, 10);
    expect(racing.filter((r) => r.statusCode === 201)).toHaveLength(1);
    expect(new Set(racing.map((r) => r.json().id)).size).toBe(1);
    expect(results.slice(10).every((r) => r.statusCode === 201)).toBe(true);
    const prisma = api.container.db.prisma;
    expect(await prisma.tradeIntent.count({ where: { dedupKey: { startsWith: `api:${user.id}:race-` } } })).toBe(21);
    expect(await prisma.srmDecision.count({ where: { intent: { dedupKey: { startsWith: `api:${user.id}:race-` } } } })).toBe(21);
  });

  it("replays a stored decision with its whole intent, so a retried exit can still be carried out", async () => {
    const facts = await api.container.marketFacts(accountId, "EURUSD");
    const intent = {
      id: newTimeOrderedId(),
      source: "COPY" as const,
      dedupKey: `copy-test:${newTimeOrderedId()}`,
      accountId,
      symbol: "EURUSD",
      side: "SELL" as const,
      kind: "CLOSE" as const,
      volume: dec("0.10"),
      positionId: "pos-42",
      masterPositionId: "master-7",
      masterDealId: "deal-9",
      signalTime: Date.now(),
      receivedAt: Date.now(),
      ttlSeconds: 30,
    };
    const first = await api.container.srm.decide(intent, facts);
    const again = await api.container.srm.decide({ ...intent, id: newTimeOrderedId() }, facts);
    expect(again.duplicate).toBe(true);
    expect(again.id).toBe(first.id);
    expect(again.approved?.intent).toMatchObject({ positionId: "pos-42", masterPositionId: "master-7", masterDealId: "deal-9", ttlSeconds: 30, kind: "CLOSE" });
  });

  it("answers inconsistent requests with 400 naming the field and decides nothing", async () => {
    const prisma = api.container.db.prisma;
    const before = await prisma.srmDecision.count();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ side: "BUY", volume: "0.1", stopLoss: "1.10500" }, "stopLoss"],
      [{ side: "SELL", volume: "0.1", stopLoss: "1.09000" }, "stopLoss"],
      [{ side: "BUY", volume: "0", stopLoss: "1.09" }, "volume"],
      [{ side: "BUY", volume: "-1" }, "body.volume"],
      [{ side: "BUY", volume: "0.1", symbol: "NOPE" }, "symbol"],
    ];
    for (const [over, field] of cases) {
      const res = await api.app.inject({ method: "POST", url: "/srm/decisions", headers: user.auth, payload: { accountId, symbol: "EURUSD", ...over } });
      expect(res.statusCode, JSON.stringify(over)).toBe(400);
      expect(res.json().error.details.field).toBe(field);
    }
    expect(await prisma.srmDecision.count()).toBe(before);
  });

  it("rejects everything but exits on a halted account", async () => {
    await api.container.db.prisma.brokerAccount.update({ where: { id: accountId }, data: { riskState: "HALTED" } });
    const open = await api.app.inject({ method: "POST", url: "/srm/decisions", headers: user.auth, payload: { accountId, symbol: "EURUSD", side: "BUY", volume: "0.1", stopLoss: "1.098" } });
    expect(open.json()).toMatchObject({ action: "REJECT", lot: "0" });
    expect(open.json().reasons[0].code).toBe("SRM_ACCOUNT_HALTED");
    const close = await api.app.inject({ method: "POST", url: "/srm/decisions", headers: user.auth, payload: { accountId, symbol: "EURUSD", side: "SELL", kind: "CLOSE", volume: "0.1" } });
    expect(close.json().action).toBe("EXECUTE");
    await api.container.db.prisma.brokerAccount.update({ where: { id: accountId }, data: { riskState: "ACTIVE" } });
  });
});
