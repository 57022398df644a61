import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { columnsFromTicks, storeTicks } from "../../analysis/market-data/index.ts";
import type { Tick } from "../../core/index.ts";
import { copyFanoutJob } from "../../jobs/copy-fanout.job.ts";
import { eventIds } from "../../trading/copy/index.ts";
import type { PaperVenue } from "../../trading/paper/index.ts";
import { readLeanTicks } from "../../trading/paper/testing/lean-csv.ts";
import { testApi, type TestApi } from "../kit/api.ts";
import { describeEachDatabase } from "../kit/db.ts";
import { eventually } from "../kit/eventually.ts";
import { hasSharedData, sharedDataPath } from "../kit/shared-data.ts";

const TICKS = ["prices", "lean", "oanda_eurusd_tick_bidask.csv.gz"] as const;
const at = (hhmm: string) => Date.parse(`2014-05-01T${hhmm}:00Z`);

/**
 * A provider's paper master and a follower's two paper slaves replay real OANDA EURUSD ticks of 1 May 2014
 * (08:00–09:30 UTC) by hand. The provider trades through the API; every copy goes through the copy engine,
 * SRM and execution, with the engine's jobs in-process.
 */
describe.skipIf(!hasSharedData(...TICKS))("copy trading end to end on paper accounts over real EURUSD ticks", () => {
  const ticks: Tick[] = readLeanTicks(sharedDataPath(...TICKS), at("08:00"), at("09:30"));

  describeEachDatabase("copy", (getDb) => {
    let api: TestApi;
    let provider: Awaited<ReturnType<TestApi["user"]>>;
    let follower: Awaited<ReturnType<TestApi["user"]>>;
    let master: string;
    let slave1: string;
    let slave2: string;
    let link1: string;
    let link2: string;
    const feed: Array<{ type: string; data: Record<string, unknown> }> = [];
    let ws: WebSocket;
    const venue = (id: string): PaperVenue => api.container.trading.sessions.peek(id)!.paper!;
    const advance = async (hhmm: string) => {
      for (const id of [master, slave1, slave2]) await venue(id).advanceTo(at(hhmm));
    };
    const call = (method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE", url: string, who: { auth: Record<string, string> }, payload?: unknown) =>
      api.app.inject({ method, url, headers: who.auth, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
    const account = async (who: typeof provider, name: string, balance: string) => {
      const res = await call("POST", "/accounts", who, { name, platform: "PAPER", initialBalance: balance });
      expect(res.statusCode, res.body).toBe(201);
      const id = res.json().id as string;
      expect((await call("POST", `/accounts/${id}/deploy`, who)).statusCode).toBe(200);
      return id;
    };
    const eventOf = async (link: string, eventId: string) => api.container.db.prisma.copyEvent.findFirst({ where: { linkId: link, masterDealId: eventId } });
    const settled = async () => {
      await api.container.copy.engine.idle();
      await eventually(async () => {
        const c = (await api.container.jobs.status("copy-fanout")).counts;
        expect(c.waiting + c.active + c.delayed).toBe(0);
      }, 30_000, 20);
      for (const id of [master, slave1, slave2]) await api.container.trading.sessions.peek(id)!.idle();
    };
    const masterOrder = async (payload: Record<string, unknown> = {}) => {
      const res = await call("POST", `/accounts/${master}/orders`, provider, { symbol: "EURUSD", side: "BUY", volume: "1.00", ...payload });
      expect(res.statusCode, res.body).toBe(201);
      const row = await api.container.db.prisma.position.findUniqueOrThrow({ where: { id: res.json().position.id } });
      return { id: row.id, brokerId: row.brokerPositionId };
    };
    const slavePosition = (slave: string, masterBrokerId: string) => api.container.db.prisma.position.findFirst({ where: { accountId: slave, masterPositionId: masterBrokerId } });

    beforeAll(async () => {
      api = await testApi(getDb(), { TRD_PAPER_REPLAY_SPEED: "0", TRD_EQUITY_CHECK_MS: "0", API_RATE_LIMIT_PER_MINUTE: "100000" });
      const prisma = api.container.db.prisma;
      await prisma.instrument.create({
        data: { symbol: "EURUSD", digits: 5, pipSize: "0.0001", contractSize: "100000", minVolume: "0.01", maxVolume: "100", volumeStep: "0.01", marginRate: "0.01", baseCurrency: "EUR", quoteCurrency: "USD" },
      });
      await storeTicks(getDb(), { symbol: "EURUSD" }, [columnsFromTicks(ticks)]);
      await api.container.jobs.register([copyFanoutJob(api.container)]);
      await api.container.jobs.startWorkers();
      provider = await api.user();
      follower = await api.user();
      master = await account(provider, "Alpha master", "100000");
      slave1 = await account(follower, "Follower A", "10000");
      slave2 = await account(follower, "Follower B", "5000");
      await prisma.signalProvider.create({ data: { ownerId: provider.id, masterAccountId: master, name: "Alpha", source: "ACCOUNT" } });
      await api.container.copy.engine.start();
      const address = await api.app.listen({ host: "127.0.0.1", port: 0 });
      ws = new WebSocket(`${address.replace("http", "ws")}/ws?access_token=${follower.token}`);
      ws.on("message", (m) => feed.push(JSON.parse(m.toString())));
      await eventually(() => expect(feed.some((e) => e.type === "hello")).toBe(true));
    });
    afterAll(async () => {
      ws?.close();
      await api?.close();
    });

    it("creates links with validated rules, and refuses bad fields and contradictions with the reason", async () => {
      const create = (body: Record<string, unknown>, who = follower) => call("POST", "/copy/links", who, { masterAccountId: master, slaveAccountId: slave1, ...body });
      const refusals: Array<[Record<string, unknown>, number, string, string | undefined]> = [
        [{ rules: { maxLot: 1 } }, 400, "rules.maxLot", undefined],
        [{ rules: { lotScaling: { mode: "martingale" } } }, 400, "rules.lotScaling.mode", undefined],
        [{ rules: { lotScaling: { mode: "fixedRisk", riskPercent: 1 }, copyStopLoss: false } }, 400, "rules.copyStopLoss", "COPY_FIXED_RISK_WITHOUT_SL"],
        [{ rules: { symbolMapping: { EURUSD: "EURUSD.x" } } }, 400, "rules.symbolMapping", "COPY_SYMBOL_UNKNOWN_AT_SLAVE"],
        [{ rules: { allowedSides: [] } }, 400, "rules.allowedSides", "COPY_NO_SIDE_ALLOWED"],
        [{ masterAccountId: slave1 }, 400, "slaveAccountId", "COPY_SELF_FOLLOW"],
        [{ slaveAccountId: undefined }, 400, "body.slaveAccountId", undefined],
      ];
      for (const [body, status, field, reason] of refusals) {
        const res = await create(body);
        expect(res.statusCode, JSON.stringify(body)).toBe(status);
        expect(res.json().error.details.field, JSON.stringify(body)).toBe(field);
        if (reason) expect(res.json().error.details.reason).toBe(reason);
      }
      const stranger = await api.user();
      expect((await create({}, stranger)).statusCode).toBe(404);

      const first = await create({ rules: {} });
      expect(first.statusCode, first.body).toBe(201);
      link1 = first.json().id;
      expect(first.json()).toMatchObject({ status: "ACTIVE", effective: { lotScaling: { mode: "balanceRatio", multiplier: 1 }, reverse: false } });
      expect(first.json().providerId).not.toBeNull();
      const second = await create({ slaveAccountId: slave2, rules: { reverse: true, lotScaling: { mode: "fixedLot", lot: "0.05" } } });
      expect(second.statusCode, second.body).toBe(201);
      link2 = second.json().id;
      const dup = await create({});
      expect(dup.statusCode).toBe(409);
      expect(dup.json().error.details.reason).toBe("COPY_LINK_EXISTS");

      // A loop: the provider's master would copy slave 1, which already copies the master.
      await api.container.db.prisma.signalProvider.create({ data: { ownerId: follower.id, masterAccountId: slave1, name: "Follower A", source: "ACCOUNT" } });
      const loop = await call("POST", "/copy/links", provider, { masterAccountId: slave1, slaveAccountId: master });
      expect(loop.statusCode).toBe(409);
      expect(loop.json().error.details).toMatchObject({ reason: "COPY_LINK_CYCLE", cycle: [slave1, master, slave1] });

      expect((await call("GET", `/copy/links/${link1}`, stranger)).statusCode).toBe(404);
      expect((await call("GET", "/copy/links", follower)).json().map((l: { id: string }) => l.id)).toEqual([link1, link2]);
      const provided = await call("PUT", `/copy/providers/${master}/settings`, provider, { maxLot: "0.08" });
      expect(provided.statusCode, provided.body).toBe(200);
      expect((await call("GET", `/copy/links/${link1}`, follower)).json().effective.maxLot).toBe("0.08");
      expect((await call("PUT", `/copy/providers/${master}/settings`, follower, {})).statusCode).toBe(404);
      expect((await call("PUT", `/copy/providers/${master}/settings`, provider, {})).statusCode).toBe(200);

      // An admin links two of its own accounts (an admin's ownership filter is empty: it must not hide its master).
      const admin = await api.user(undefined, "ADMIN");
      const [own, copier] = [await account(admin, "Admin master", "50000"), await account(admin, "Admin slave", "5000")];
      const adminLink = await call("POST", "/copy/links", admin, { masterAccountId: own, slaveAccountId: copier });
      expect(adminLink.statusCode, adminLink.body).toBe(201);
      expect((await call("DELETE", `/copy/links/${adminLink.json().id}`, admin)).statusCode).toBe(204);
    });

    it("copies a master trade to both slaves through SRM with the rules applied; partial close, modification and close follow", async () => {
      await advance("08:30");
      const p = await masterOrder({ stopLoss: "1.38600", takeProfit: "1.39200" });
      await settled();
      const e1 = await eventOf(link1, eventIds.open(p.brokerId));
      const e2 = await eventOf(link2, eventIds.open(p.brokerId));
      expect(e1?.status).toBe("COPIED");
      expect(e2?.status).toBe("COPIED");
      for (const e of [e1!, e2!]) {
        for (const stage of [e.queueMs, e.decisionMs, e.dispatchMs, e.ackMs]) expect(stage).toBeGreaterThanOrEqual(0);
        expect(e.slippagePips).not.toBeNull();
      }
      // The master's own SL was widened by SRM; each copy's SL is widened again by its own decision.
      const m = await api.container.db.prisma.position.findUniqueOrThrow({ where: { id: p.id } });
      const [masterSl, masterTp] = [m.stopLoss!.toString(), m.takeProfit!.toString()];
      const a = (await slavePosition(slave1, p.brokerId))!;
      expect(a).toMatchObject({ side: "BUY", copyLinkId: link1, status: "OPEN" });
      expect(a.volume.toString()).toBe("0.1");
      expect(a.stopLoss!.toNumber()).toBeLessThan(Number(masterSl));
      expect(a.takeProfit!.toString()).toBe(masterTp);
      const b = (await slavePosition(slave2, p.brokerId))!;
      expect(b).toMatchObject({ side: "SELL", copyLinkId: link2 });
      expect(b.volume.toString()).toBe("0.05");
      expect(b.stopLoss!.toNumber()).toBeGreaterThan(Number(masterTp));
      expect(b.takeProfit!.toString()).toBe(masterSl);
      const intent = await api.container.db.prisma.tradeIntent.findFirstOrThrow({ where: { accountId: slave1, masterPositionId: p.brokerId }, include: { decision: true } });
      expect(intent).toMatchObject({ source: "COPY", kind: "OPEN", copyLinkId: link1, dedupKey: `copy:${master}:${eventIds.open(p.brokerId)}:${slave1}` });
      expect(intent.decision?.action).toBe("EXECUTE");
      await eventually(() => expect(feed.some((x) => x.type === "copy.copied" && x.data.linkId === link1 && x.data.masterEventId === eventIds.open(p.brokerId))).toBe(true));

      await advance("08:35");
      expect((await call("POST", `/accounts/${master}/positions/${p.id}/close`, provider, { volume: "0.50" })).statusCode).toBe(200);
      await settled();
      expect((await slavePosition(slave1, p.brokerId))!.volume.toString()).toBe("0.05");
      expect((await slavePosition(slave2, p.brokerId))!.volume.toString()).toBe("0.03");

      const modified = await call("PATCH", `/accounts/${master}/positions/${p.id}`, provider, { stopLoss: "1.38700" });
      expect(modified.statusCode, modified.body).toBe(200);
      await settled();
      expect((await slavePosition(slave1, p.brokerId))!.stopLoss!.toString()).toBe("1.387");
      expect((await slavePosition(slave2, p.brokerId))!.takeProfit!.toString()).toBe("1.387");

      await advance("08:40");
      expect((await call("POST", `/accounts/${master}/positions/${p.id}/close`, provider, {})).statusCode).toBe(200);
      await settled();
      for (const slave of [slave1, slave2]) {
        expect((await slavePosition(slave, p.brokerId))!.status).toBe("CLOSED");
        expect((await venue(slave).fetchPositions()).length).toBe(0);
      }
      const trades = await api.container.db.prisma.closedTrade.findMany({ where: { accountId: slave1 } });
      expect(trades.map((t) => t.closeReason)).toEqual(["COPY", "COPY"]);
      expect((await eventOf(link1, eventIds.close(p.brokerId)))?.status).toBe("COPIED");
    });

    it("serves statistics (copies, skips by reason, p50/p99 latency, slippage) and the paged copy log", async () => {
      const stats = (await call("GET", `/copy/links/${link1}/stats`, follower)).json();
      expect(stats.copies).toMatchObject({ total: 4, copied: 4, skipped: 0 });
      for (const stage of ["queue", "decision", "dispatch", "ack", "internal", "total"]) {
        expect(stats.latencyMs[stage].n, stage).toBe(4);
        expect(stats.latencyMs[stage].p99, stage).toBeGreaterThanOrEqual(stats.latencyMs[stage].p50);
      }
      expect(stats.slippagePips.n).toBe(3);
      const page1 = (await call("GET", `/copy/links/${link1}/events?limit=3`, follower)).json();
      expect(page1.items).toHaveLength(3);
      const page2 = (await call("GET", `/copy/links/${link1}/events?limit=3&cursor=${page1.nextCursor}`, follower)).json();
      expect(page2.items).toHaveLength(1);
      expect(page2.nextCursor).toBeNull();
      expect(new Set([...page1.items, ...page2.items].map((e: { id: string }) => e.id)).size).toBe(4);
      const all = (await call("GET", "/copy/stats", follower)).json();
      expect(all.copies.total).toBe(8);
      expect((await call("GET", `/copy/links/${link1}/stats`, provider)).statusCode).toBe(404);
    });

    it("close-only copies only exits, a halted slave copies nothing, a paused link is repaired when resumed", async () => {
      expect((await call("POST", `/copy/links/${link2}/close-only`, follower)).json().status).toBe("CLOSE_ONLY");
      await api.container.db.prisma.brokerAccount.update({ where: { id: slave1 }, data: { riskState: "HALTED" } });
      await advance("08:45");
      const p = await masterOrder();
      await settled();
      const halted = await eventOf(link1, eventIds.open(p.brokerId));
      expect(halted?.status).toBe("SKIPPED");
      expect((halted?.reasons as Array<{ code: string }>).at(-1)?.code).toBe("SRM_ACCOUNT_HALTED");
      const closeOnly = await eventOf(link2, eventIds.open(p.brokerId));
      expect(closeOnly).toMatchObject({ status: "SKIPPED", reasons: [{ code: "COPY_LINK_CLOSE_ONLY" }] });
      expect(await slavePosition(slave1, p.brokerId)).toBeNull();
      const skipped = (await call("GET", `/copy/links/${link1}/events?status=SKIPPED`, follower)).json();
      expect(skipped.items[0].reasons.at(-1).code).toBe("SRM_ACCOUNT_HALTED");
      expect((await call("GET", `/copy/links/${link1}/stats`, follower)).json().skippedByReason).toEqual({ SRM_ACCOUNT_HALTED: 1 });
      await api.container.db.prisma.brokerAccount.update({ where: { id: slave1 }, data: { riskState: "ACTIVE" } });
      expect((await call("POST", `/accounts/${master}/positions/${p.id}/close`, provider, {})).statusCode).toBe(200);
      await settled();

      expect((await call("POST", `/copy/links/${link1}/pause`, follower)).json().status).toBe("PAUSED");
      const q = await masterOrder();
      await settled();
      expect(await eventOf(link1, eventIds.open(q.brokerId))).toBeNull();
      expect((await call("POST", `/copy/links/${link1}/resume`, follower)).json().status).toBe("ACTIVE");
      await eventually(async () => expect((await eventOf(link1, eventIds.open(q.brokerId)))?.status).toBe("REPAIRED"), 30_000, 20);
      await settled();
      expect((await slavePosition(slave1, q.brokerId))!.status).toBe("OPEN");
      expect((await call("POST", `/accounts/${master}/positions/${q.id}/close`, provider, {})).statusCode).toBe(200);
      await settled();
      expect((await slavePosition(slave1, q.brokerId))!.status).toBe("CLOSED");
    });

    it("reports a master's disconnection to the slaves' owner (alert and live event) and its return", async () => {
      venue(master).dropConnection();
      await eventually(async () => {
        expect(feed.some((x) => x.type === "copy.master_disconnected" && x.data.masterAccountId === master)).toBe(true);
        expect(await api.container.db.prisma.alert.count({ where: { userId: follower.id, code: "COPY_MASTER_DISCONNECTED" } })).toBe(2);
      });
      await venue(master).restoreConnection();
      await eventually(() => expect(feed.some((x) => x.type === "copy.master_reconnected")).toBe(true));
      await settled();

      expect((await call("DELETE", `/copy/links/${link2}`, follower)).statusCode).toBe(204);
      expect((await call("GET", `/copy/links/${link2}`, follower)).statusCode).toBe(404);
    });
  });
});
