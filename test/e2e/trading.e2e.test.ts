import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import { columnsFromTicks, storeTicks } from "../../analysis/market-data/index.ts";
import { RiskloopError, dec, newId, type Tick } from "../../core/index.ts";
import type { ApprovedDecision } from "../../srm/index.ts";
import type { PaperSubmitOrderRequest, PaperVenue } from "../../trading/paper/index.ts";
import { clientOrderIdFor } from "../../trading/broker/index.ts";
import { AccountProvisioning } from "../../trading/sessions/index.ts";
import { readLeanTicks } from "../../trading/paper/testing/lean-csv.ts";
import { Prisma } from "../../prisma/index.ts";
import { describeEachDatabase } from "../kit/db.ts";
import { testApi, type TestApi } from "../kit/api.ts";
import { eventually } from "../kit/eventually.ts";
import { describeIfData, hasSharedData, sharedDataPath } from "../kit/shared-data.ts";

const TICKS = ["prices", "lean", "oanda_eurusd_tick_bidask.csv.gz"] as const;
const at = (hhmm: string) => Date.parse(`2014-05-01T${hhmm}:00Z`);
const PIP = 0.0001;

/**
 * Real OANDA EURUSD ticks of 1 May 2014, 08:00–09:30 and 10:00–12:00 UTC (the half-hour gap is a closed
 * market for the venue). A paper account replays them by hand (TRD_PAPER_REPLAY_SPEED=0), so every fill can be
 * checked against the recorded quote it must have happened at.
 */
function loadTicks(): Tick[] {
  const all = readLeanTicks(sharedDataPath(...TICKS), at("08:00"), at("12:00"));
  return all.filter((t) => t.time < at("09:30") || t.time >= at("10:00"));
}

describeIfData(hasSharedData(...TICKS), "trading API on a paper account over real EURUSD ticks", () => {
  const ticks = loadTicks();
  /** The last recorded quote at or before `t`, and the first at or after it (where a request sent at `t` fills). */
  const quoteAt = (t: number) => ticks.findLast((q) => q.time <= t)!;
  const firstFrom = (t: number) => ticks.find((q) => q.time >= t)!;

  describeEachDatabase("trading", (getDb) => {
    let api: TestApi;
    let user: Awaited<ReturnType<TestApi["user"]>>;
    let accountId: string;
    let venue: PaperVenue;
    const sent: PaperSubmitOrderRequest[] = [];
    const order = (payload: Record<string, unknown>, auth = user.auth, id = accountId) =>
      api.app.inject({ method: "POST", url: `/accounts/${id}/orders`, headers: auth, payload: { symbol: "EURUSD", side: "BUY", volume: "0.10", ...payload } });

    beforeAll(async () => {
      api = await testApi(getDb(), { TRD_PAPER_REPLAY_SPEED: "0", TRD_EQUITY_CHECK_MS: "0", API_RATE_LIMIT_PER_MINUTE: "10000" });
      const prisma = api.container.db.prisma;
      await prisma.instrument.create({
        data: { symbol: "EURUSD", digits: 5, pipSize: "0.0001", contractSize: "100000", minVolume: "0.01", maxVolume: "100", volumeStep: "0.01", marginRate: "0.01", baseCurrency: "EUR", quoteCurrency: "USD" },
      });
      await storeTicks(getDb(), { symbol: "EURUSD" }, [columnsFromTicks(ticks)]);
      user = await api.user();
      const created = await api.app.inject({ method: "POST", url: "/accounts", headers: user.auth, payload: { name: "Paper", platform: "PAPER", initialBalance: "10000" } });
      expect(created.statusCode).toBe(201);
      accountId = created.json().id;
      const deployed = await api.app.inject({ method: "POST", url: `/accounts/${accountId}/deploy`, headers: user.auth });
      expect(deployed.statusCode).toBe(200);
      expect(deployed.json().session.state).toBe("connected");
      venue = api.container.trading.sessions.peek(accountId)!.paper!;
      // A spy on the venue's door: every order that reaches the broker is recorded here.
      const submit = venue.submitOrder.bind(venue);
      venue.submitOrder = (request) => {
        sent.push(request);
        return submit(request);
      };
    });
    afterAll(async () => {
      await api?.close();
    });

    it("sends a manual market order through SRM; it fills at a recorded price with measured slippage and latency, and streams", async () => {
      const address = await api.app.listen({ host: "127.0.0.1", port: 0 });
      const events: Array<{ type: string; accountId?: string; data: Record<string, unknown> }> = [];
      const ws = new WebSocket(`${address.replace("http", "ws")}/ws?access_token=${user.token}`);
      ws.on("message", (m) => events.push(JSON.parse(m.toString())));
      await eventually(() => expect(events.some((e) => e.type === "hello")).toBe(true));

      // The account is a signal provider's master: its closed trades feed the provider score.
      const provider = await api.container.db.prisma.signalProvider.create({ data: { name: "Own signals", source: "ACCOUNT", masterAccountId: accountId, ownerId: user.id } });
      await venue.advanceTo(at("08:30"));
      const requestedAt = venue.now;
      const res = await order({ stopLoss: "1.38600", takeProfit: "1.39200", clientRequestId: "first" });
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json();
      expect(body.status).toBe("FILLED");
      expect(body.decision.action).toBe("EXECUTE");
      expect(body.decision.reasons.map((r: { code: string }) => r.code)).toContain("SRM_SL_BUFFERED");

      // The fill is the ask of the first recorded tick at least 100 ms (the venue's latency) after the request.
      const requested = quoteAt(requestedAt);
      const fillTick = firstFrom(requestedAt + 100);
      const e = body.execution;
      expect(e.status).toBe("FILLED");
      expect(Number(e.requestedPrice)).toBe(requested.ask);
      expect(Number(e.filledPrice)).toBe(fillTick.ask);
      expect(e.slippagePips).toBeCloseTo((fillTick.ask - requested.ask) / PIP, 6);
      expect(e.latencyMs).toBe(fillTick.time - requestedAt);
      expect(e.latencyMs).toBeGreaterThanOrEqual(100);
      expect(e.requestedAt).toBe(new Date(requestedAt).toISOString());
      expect(e.dayOfWeek).toBe(4);
      expect(e.tradingSession).not.toBeNull();
      expect(sent).toHaveLength(1);
      expect(sent[0]!.stopLoss!.toString()).toBe(body.decision.stopLoss);

      const positions = (await api.app.inject({ method: "GET", url: `/accounts/${accountId}/positions`, headers: user.auth })).json();
      expect(positions).toHaveLength(1);
      expect(positions[0]).toMatchObject({ id: body.position.id, side: "BUY", volume: "0.1", openPrice: String(fillTick.ask), srmAdjustedLot: "0.1", stopLoss: body.decision.stopLoss });
      // The position in the order's answer is the stored row, SRM fields included.
      expect(body.position).toEqual(positions[0]);
      const log = (await api.app.inject({ method: "GET", url: `/accounts/${accountId}/executions`, headers: user.auth })).json();
      expect(log.items.map((x: { id: string }) => x.id)).toContain(e.id);
      // So is the execution (written with its intent's status in one statement, not read back).
      expect(log.items.find((x: { id: string }) => x.id === e.id)).toEqual(e);
      const { intentId } = await api.container.db.prisma.executionLog.findUniqueOrThrow({ where: { id: e.id } });
      expect(await api.container.db.prisma.tradeIntent.findUniqueOrThrow({ where: { id: intentId! } })).toMatchObject({ status: "EXECUTED" });
      const decision = await api.container.db.prisma.srmDecision.findUniqueOrThrow({ where: { id: body.decision.id } });
      expect((await api.container.db.prisma.executionLog.findUniqueOrThrow({ where: { id: e.id } })).decisionId).toBe(decision.id);

      await eventually(() => {
        expect(events.some((x) => x.type === "execution" && x.data.id === e.id && x.data.status === "FILLED")).toBe(true);
        expect(events.some((x) => x.type === "position" && x.accountId === accountId && x.data.action === "opened")).toBe(true);
      });

      await venue.advanceTo(at("08:40"));
      const closeAt = venue.now;
      const closed = await api.app.inject({ method: "POST", url: `/accounts/${accountId}/positions/${body.position.id}/close`, headers: user.auth, payload: {} });
      expect(closed.statusCode, closed.body).toBe(200);
      const trade = closed.json().closedTrade;
      const exitTick = firstFrom(closeAt + 100);
      expect(trade).toMatchObject({ closeReason: "MANUAL", closePrice: String(exitTick.bid), volume: "0.1" });
      expect(Number(trade.profit)).toBeCloseTo(Math.round((exitTick.bid - fillTick.ask) * 10_000 * 100) / 100, 2);
      expect(trade.pips).toBeCloseTo((exitTick.bid - fillTick.ask) / PIP, 1);
      const history = (await api.app.inject({ method: "GET", url: `/accounts/${accountId}/history?symbol=EURUSD`, headers: user.auth })).json();
      expect(history.items.map((t: { id: string }) => t.id)).toEqual([trade.id]);
      expect((await api.app.inject({ method: "GET", url: `/accounts/${accountId}/positions`, headers: user.auth })).json()).toHaveLength(0);
      await eventually(() => expect(events.some((x) => x.type === "trade.closed" && x.data.id === trade.id)).toBe(true));
      const scored = await api.container.db.prisma.signalProvider.findUniqueOrThrow({ where: { id: provider.id } });
      expect(scored.tradeCount).toBe(1);
      expect((scored.scoreState as { trades: number }).trades).toBe(1);
      expect(scored.lastTradeAt?.toISOString()).toBe(trade.closeTime);
      expect(scored.score).not.toBeNull();
      ws.close();
    });

    it("refuses bad input with a 4xx and a reason, sending nothing to the venue", async () => {
      await venue.advanceTo(at("08:45"));
      const before = sent.length;
      const stranger = await api.user();
      const cases: Array<[Record<string, unknown>, number, string]> = [
        [{ symbol: "GBPJPY" }, 400, "symbol"],
        [{ volume: "0.015" }, 400, "volume"],
        [{ volume: "500" }, 400, "volume"],
        [{ volume: "0" }, 400, "volume"],
        [{ stopLoss: "1.39500" }, 400, "stopLoss"],
        [{ side: "SELL", stopLoss: "1.38000" }, 400, "stopLoss"],
        [{ takeProfit: "1.38000" }, 400, "takeProfit"],
        [{ takeProfit: "9.99999" }, 400, "takeProfit"],
        [{ stopLoss: "-1.2" }, 400, "body.stopLoss"],
        [{ stopLoss: "1.388555" }, 400, "stopLoss"],
        [{ type: "LIMIT" }, 400, "price"],
        [{ type: "LIMIT", price: "1.39500" }, 400, "price"],
        [{ type: "STOP", price: "1.38000" }, 400, "price"],
        [{ price: "1.38800" }, 400, "price"],
      ];
      for (const [payload, status, field] of cases) {
        const res = await order(payload);
        expect(res.statusCode, JSON.stringify(payload)).toBe(status);
        expect(res.json().error.details.field, JSON.stringify(payload)).toBe(field);
      }
      const foreign = await order({}, stranger.auth);
      expect(foreign.statusCode).toBe(404);

      await venue.advanceTo(at("09:45"));
      const closedMarket = await order({});
      expect(closedMarket.statusCode).toBe(409);
      expect(closedMarket.json().error.code).toBe("TRD_ERR_MARKET_NOT_OPEN");
      expect(sent.length).toBe(before);
      expect(await venue.fetchPositions()).toHaveLength(0);
    });

    it("never duplicates an order whose acknowledgement was lost: it reconciles by client id and a retry finds the same position", async () => {
      await venue.advanceTo(at("10:05"));
      let lost = 0;
      venue.setFaults({ failAcknowledgement: (r) => "symbol" in r && lost++ === 0 });
      const first = await order({ clientRequestId: "dup-1" });
      expect(first.statusCode, first.body).toBe(201);
      expect(first.json()).toMatchObject({ status: "FILLED", recovered: true });
      const retry = await order({ clientRequestId: "dup-1" });
      expect(retry.statusCode).toBe(200);
      expect(retry.json()).toMatchObject({ status: "FILLED", duplicate: true });
      expect(retry.json().position.id).toBe(first.json().position.id);

      // The answer is lost and the link drops before the lookup: the outcome stays unknown until the reconnect settles it.
      venue.setFaults({
        failAcknowledgement: (r) => {
          if (!("symbol" in r)) return false;
          venue.dropConnection();
          return true;
        },
      });
      const unknown = await order({ clientRequestId: "dup-2" });
      expect(unknown.statusCode, unknown.body).toBe(202);
      expect(unknown.json().execution.status).toBe("TIMEOUT");
      venue.setFaults({});
      const whileDown = await order({ clientRequestId: "dup-2" });
      expect(whileDown.statusCode).toBe(503);
      expect(whileDown.json().error.code).toBe("TRD_ERR_NOT_CONNECTED");
      await venue.restoreConnection();
      await api.container.trading.sessions.peek(accountId)!.idle();
      const settled = await order({ clientRequestId: "dup-2" });
      expect(settled.statusCode).toBe(200);
      expect(settled.json()).toMatchObject({ status: "FILLED", duplicate: true });

      const ids = sent.filter((r) => r.clientOrderId === first.json().execution.clientOrderId || r.clientOrderId === unknown.json().execution.clientOrderId);
      expect(ids).toHaveLength(2);
      const venuePositions = await venue.fetchPositions();
      for (const e of [first.json().execution, unknown.json().execution]) {
        expect(venuePositions.filter((p) => p.clientOrderId === e.clientOrderId)).toHaveLength(1);
        expect(await api.container.db.prisma.position.count({ where: { accountId, clientOrderId: e.clientOrderId } })).toBe(1);
      }
      for (const p of venuePositions) {
        const row = await api.container.db.prisma.position.findFirstOrThrow({ where: { accountId, brokerPositionId: p.id } });
        expect((await api.app.inject({ method: "POST", url: `/accounts/${accountId}/positions/${row.id}/close`, headers: user.auth, payload: {} })).statusCode).toBe(200);
      }
    });

    it("executes only SRM approvals: a cast or copied object is refused at run time and nothing is sent", async () => {
      const before = sent.length;
      const executions = await api.container.db.prisma.executionLog.count();
      const facts = await api.container.trading.marketFacts(accountId, "EURUSD");
      const record = await api.container.srm.decide(
        { id: newId(), source: "MANUAL", dedupKey: `test:${newId()}`, accountId, symbol: "EURUSD", side: "BUY", kind: "OPEN", volume: dec("0.1"), signalTime: facts.at!, receivedAt: facts.at! },
        facts,
      );
      expect(record.approved).not.toBeNull();
      const forged = [{ ...record.approved! }, JSON.parse(JSON.stringify(record.approved)), { decisionId: record.id, intent: record.decision.intent, userId: user.id, lot: dec("1") }];
      for (const fake of forged) {
        const err = await api.container.trading.execution.execute(fake as ApprovedDecision).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(RiskloopError);
        expect((err as RiskloopError).code).toBe("TRD_ERR_NOT_APPROVED");
      }
      expect(sent.length).toBe(before);
      expect(await api.container.db.prisma.executionLog.count()).toBe(executions);
    });

    it("sends an open ahead of its records on the hot path; a key claimed by an attempt that stopped is looked up at the venue before anything is sent", async () => {
      const prisma = api.container.db.prisma;
      const srm = api.container.srm;
      const execution = api.container.trading.execution;
      await venue.advanceTo(at("10:07"));
      const facts = await api.container.trading.marketFacts(accountId, "EURUSD");
      const intent = (dedupKey: string) => ({ id: newId(), source: "COPY" as const, dedupKey, accountId, symbol: "EURUSD", side: "BUY" as const, kind: "OPEN" as const, volume: dec("0.1"), signalTime: facts.at!, receivedAt: facts.at! });
      const sentFor = (key: string) => sent.filter((r) => r.clientOrderId === clientOrderIdFor(`${key}:OPEN`));

      // Hot path: approved on the key's claim; the order goes out, then the decision and its execution log are stored.
      const hot = `test:hot:${newId()}`;
      const [first, second] = await Promise.all([srm.decide(intent(hot), facts, { writeBehind: true }), srm.decide(intent(hot), facts, { writeBehind: true })]);
      expect(first.approved?.stored).toBeInstanceOf(Promise);
      // The second decider of the key in this process waited for the first decision to be stored, and replays it.
      expect(second).toMatchObject({ id: first.id, duplicate: true });
      // The caller is told when the order went out and when the venue answered, before the answer is recorded.
      const marks: string[] = [];
      const done = await execution.execute(first.approved!, { quote: facts.quote, onSent: () => marks.push("sent"), onAnswered: () => marks.push("answered") });
      marks.push("returned");
      expect(marks).toEqual(["sent", "answered", "returned"]);
      expect(done).toMatchObject({ status: "FILLED", recovered: false });
      expect(await prisma.srmDecision.count({ where: { id: first.id } })).toBe(1);
      expect(await prisma.executionLog.findUniqueOrThrow({ where: { clientOrderId: clientOrderIdFor(`${hot}:OPEN`) } })).toMatchObject({ status: "FILLED", decisionId: first.id });
      expect(await execution.execute(second.approved!, { quote: facts.quote })).toMatchObject({ duplicate: true });
      expect(sentFor(hot)).toHaveLength(1);

      // An attempt claimed a key, sent its order and died before storing anything: the next one finds the order.
      const sentBefore = `test:died-after-send:${newId()}`;
      await prisma.intentClaim.create({ data: { dedupKey: sentBefore } });
      await venue.submitOrder({ clientOrderId: clientOrderIdFor(`${sentBefore}:OPEN`), symbol: "EURUSD", side: "BUY", type: "MARKET", volume: dec("0.1") });
      const taken = await srm.decide(intent(sentBefore), facts, { writeBehind: true });
      expect(taken.approved).toMatchObject({ mayHaveBeenSent: true });
      expect(taken.approved!.stored).toBeUndefined();
      expect(await execution.execute(taken.approved!, { quote: facts.quote })).toMatchObject({ status: "FILLED", recovered: true });
      expect(sentFor(sentBefore)).toHaveLength(1);

      // One that stored its decision, sent, and died before its execution log: the replayed decision looks first.
      const logLost = `test:died-before-log:${newId()}`;
      const stored = await srm.decide(intent(logLost), facts);
      await venue.submitOrder({ clientOrderId: clientOrderIdFor(`${logLost}:OPEN`), symbol: "EURUSD", side: "BUY", type: "MARKET", volume: dec("0.1") });
      const replayed = await srm.decide(intent(logLost), facts, { writeBehind: true });
      expect(replayed).toMatchObject({ id: stored.id, duplicate: true, approved: { mayHaveBeenSent: true } });
      expect(await execution.execute(replayed.approved!, { quote: facts.quote })).toMatchObject({ status: "FILLED", recovered: true });
      expect(sentFor(logLost)).toHaveLength(1);

      // One that died before sending: the lookup finds nothing, and the order is sent once.
      const diedBefore = `test:died-before-send:${newId()}`;
      await prisma.intentClaim.create({ data: { dedupKey: diedBefore } });
      const again = await srm.decide(intent(diedBefore), facts, { writeBehind: true });
      expect(await execution.execute(again.approved!, { quote: facts.quote })).toMatchObject({ status: "FILLED", recovered: false });
      expect(sentFor(diedBefore)).toHaveLength(1);

      const keys = [hot, sentBefore, logLost, diedBefore].map((k) => clientOrderIdFor(`${k}:OPEN`));
      expect((await venue.fetchPositions()).filter((p) => keys.includes(p.clientOrderId!))).toHaveLength(4);
      for (const row of await prisma.position.findMany({ where: { accountId, clientOrderId: { in: keys } } })) {
        expect((await api.app.inject({ method: "POST", url: `/accounts/${accountId}/positions/${row.id}/close`, headers: user.auth, payload: {} })).statusCode).toBe(200);
      }
    });

    it("claims keys ahead of their decisions: a decision uses the claim, a key claimed before is looked up, and unused claims are given back", async () => {
      const prisma = api.container.db.prisma;
      const srm = api.container.srm;
      const facts = await api.container.trading.marketFacts(accountId, "EURUSD");
      const intent = (dedupKey: string, signalTime = facts.at!) => ({ id: newId(), source: "COPY" as const, dedupKey, accountId, symbol: "EURUSD", side: "BUY" as const, kind: "OPEN" as const, volume: dec("0.1"), signalTime, receivedAt: facts.at! });
      const [won, before, stale, unused] = ["won", "before", "stale", "unused"].map((k) => `test:ahead-${k}:${newId()}`) as [string, string, string, string];
      await prisma.intentClaim.create({ data: { dedupKey: before } });
      srm.claimAhead([won, before, stale, unused]);

      // Won ahead: approved on that claim (no second claim, nothing to look up), stored behind the order.
      const approved = await srm.decide(intent(won), facts, { writeBehind: true });
      expect(approved.approved).toMatchObject({ stored: expect.any(Promise) });
      expect(approved.approved!.mayHaveBeenSent).toBeUndefined();
      const done = await api.container.trading.execution.execute(approved.approved!, { quote: facts.quote });
      expect(done).toMatchObject({ status: "FILLED", recovered: false });
      // Claimed before by an attempt that stopped: taken over, and the venue is asked before anything is sent.
      expect((await srm.decide(intent(before), facts, { writeBehind: true })).approved).toMatchObject({ mayHaveBeenSent: true });
      // A rejection is stored under its claim made ahead.
      const rejected = await srm.decide(intent(stale, facts.at! - 3_600_000), facts, { writeBehind: true });
      expect(rejected).toMatchObject({ approved: null, duplicate: false });
      expect(await prisma.srmDecision.count({ where: { id: rejected.id } })).toBe(1);

      await srm.releaseAhead([won, before, stale, unused]);
      const claims = await prisma.intentClaim.findMany({ where: { dedupKey: { in: [won, before, stale, unused] } }, select: { dedupKey: true } });
      expect(claims.map((c) => c.dedupKey).sort()).toEqual([won, before, stale].sort());
      expect((await api.app.inject({ method: "POST", url: `/accounts/${accountId}/positions/${done.position!.id}/close`, headers: user.auth, payload: {} })).statusCode).toBe(200);
    });

    it("decisions that need one provider at once share one read of its score; a decision after it answered reads it again", async () => {
      const prisma = api.container.db.prisma;
      const provider = await prisma.signalProvider.findFirstOrThrow({ where: { masterAccountId: accountId } });
      expect(provider.scoreState).not.toBeNull();
      const facts = await api.container.trading.marketFacts(accountId, "EURUSD");
      const intent = () => ({ id: newId(), source: "COPY" as const, dedupKey: `test:provider:${newId()}`, accountId, providerId: provider.id, symbol: "EURUSD", side: "BUY" as const, kind: "OPEN" as const, volume: dec("0.1"), signalTime: facts.at!, receivedAt: facts.at! });
      const reads = vi.spyOn(prisma.signalProvider, "findUnique");
      try {
        const together = await Promise.all(Array.from({ length: 20 }, () => api.container.srm.decide(intent(), facts)));
        expect(reads).toHaveBeenCalledTimes(1);
        const scores = new Set(together.map((r) => r.decision.providerScore));
        expect(scores.size).toBe(1);
        expect([...scores][0]).toEqual(expect.any(Number));

        // The score changes (here: it is reset); the next decision sees it, not the earlier read.
        await prisma.signalProvider.update({ where: { id: provider.id }, data: { scoreState: Prisma.DbNull } });
        const later = await api.container.srm.decide(intent(), facts);
        expect(reads).toHaveBeenCalledTimes(2);
        expect(later.decision.providerScore).toBeNull();
      } finally {
        reads.mockRestore();
        await prisma.signalProvider.update({ where: { id: provider.id }, data: { scoreState: provider.scoreState as Prisma.InputJsonValue } });
      }
    });

    it("opens a netting paper account on request: two buys make one position, averaged, at the venue and in the database", async () => {
      const prisma = api.container.db.prisma;
      const owner = await api.user();
      const mt5 = await api.app.inject({ method: "POST", url: "/accounts", headers: owner.auth, payload: { name: "MT5", platform: "MT5", hedging: false } });
      expect(mt5.statusCode).toBe(400);
      expect(mt5.json().error.details.field).toBe("hedging");
      const created = await api.app.inject({ method: "POST", url: "/accounts", headers: owner.auth, payload: { name: "Netting", platform: "PAPER", initialBalance: "10000", hedging: false } });
      expect(created.statusCode).toBe(201);
      const id = created.json().id;
      expect(created.json().hedging).toBe(false);
      // An MT5 account's mode is its broker's, unknown until it connects.
      const mt5Later = await api.app.inject({ method: "POST", url: "/accounts", headers: owner.auth, payload: { name: "MT5", platform: "MT5" } });
      expect([mt5Later.statusCode, mt5Later.json().hedging]).toEqual([201, null]);
      expect((await api.app.inject({ method: "POST", url: `/accounts/${id}/deploy`, headers: owner.auth })).statusCode).toBe(200);
      const netting = api.container.trading.sessions.peek(id)!.paper!;
      expect([netting.capabilities.hedging, (await netting.fetchAccountInfo()).hedging]).toEqual([false, false]);
      expect((await api.app.inject({ method: "GET", url: `/accounts/${accountId}`, headers: user.auth })).json().hedging).toBe(true);
      // The venue's own report is stored when the account is reconciled (how an MT5 account's mode becomes known).
      await prisma.brokerAccount.update({ where: { id }, data: { hedging: null } });
      expect((await api.app.inject({ method: "POST", url: `/accounts/${id}/sync`, headers: owner.auth })).statusCode).toBe(200);
      expect((await prisma.brokerAccount.findUniqueOrThrow({ where: { id } })).hedging).toBe(false);

      const first = await order({}, owner.auth, id);
      const second = await order({ volume: "0.20" }, owner.auth, id);
      expect([first.statusCode, second.statusCode], second.body).toEqual([201, 201]);
      const [held] = await netting.fetchPositions();
      expect(held!.volume.toString()).toBe("0.3");
      const fills = [first, second].map((r) => r.json().execution as { filledPrice: string; volume: string });
      const average = fills.reduce((sum, f) => sum.plus(dec(f.filledPrice).mul(f.volume)), dec(0)).div("0.3");
      expect(held!.openPrice.toNumber()).toBeCloseTo(average.toNumber(), 7);
      await eventually(async () => {
        const rows = await prisma.position.findMany({ where: { accountId: id, status: "OPEN" } });
        expect(rows.map((r) => [r.brokerPositionId, r.volume.toString(), r.openPrice.toNumber()])).toEqual([[held!.id, "0.3", held!.openPrice.toNumber()]]);
      });

      // An order that reached the venue before its attempt died lands in the netted position under another order's
      // client id; the retry finds it through the order and books that order's fill, not the position's.
      const facts = await api.container.trading.marketFacts(id, "EURUSD");
      const key = `test:netting-lost:${newId()}`;
      const intent = () => ({ id: newId(), source: "MANUAL" as const, dedupKey: key, accountId: id, symbol: "EURUSD", side: "BUY" as const, kind: "OPEN" as const, volume: dec("0.1"), signalTime: facts.at!, receivedAt: facts.at! });
      await api.container.srm.decide(intent(), facts);
      const lost = await netting.submitOrder({ clientOrderId: clientOrderIdFor(`${key}:OPEN`), symbol: "EURUSD", side: "BUY", type: "MARKET", volume: dec("0.1") });
      expect(lost.status === "filled" && lost.positionId).toBe(held!.id);
      const replayed = await api.container.srm.decide(intent(), facts, { writeBehind: true });
      expect(replayed.approved).toMatchObject({ mayHaveBeenSent: true });
      const done = await api.container.trading.execution.execute(replayed.approved!, { quote: facts.quote });
      expect(done).toMatchObject({ status: "FILLED", recovered: true });
      expect([done.execution.volume.toString(), done.execution.filledPrice?.toString()]).toEqual(["0.1", lost.status === "filled" ? lost.fillPrice!.toString() : ""]);
      expect((await netting.fetchPositions()).map((p) => p.volume.toString())).toEqual(["0.4"]);
    });

    it("reconciles after a reconnect: a position closed by its stop loss during the outage is closed in the database", async () => {
      const prisma = api.container.db.prisma;
      await venue.advanceTo(at("10:10"));
      const res = await order({ stopLoss: "1.38770", clientRequestId: "sl-outage" });
      expect(res.statusCode, res.body).toBe(201);
      const position = res.json().position;
      const sl = Number(position.stopLoss);
      venue.dropConnection();
      const hit = await venue.runUntil(() => venue.lastQuote("EURUSD")!.bid <= sl, at("12:00"));
      expect(hit).toBe(true);
      await venue.advanceBy(1);
      expect(await prisma.position.findUniqueOrThrow({ where: { id: position.id } })).toMatchObject({ status: "OPEN" });

      await venue.restoreConnection();
      await api.container.trading.sessions.peek(accountId)!.idle();
      expect(await prisma.position.findUniqueOrThrow({ where: { id: position.id } })).toMatchObject({ status: "CLOSED" });
      const trade = await prisma.closedTrade.findFirstOrThrow({ where: { positionId: position.id } });
      expect(trade.closeReason).toBe("SL");
      expect(trade.closePrice.toNumber()).toBeLessThanOrEqual(sl);
      const slFill = await prisma.executionLog.findFirstOrThrow({ where: { positionId: position.id, kind: "SL_FILL" } });
      expect(slFill.slippagePips).toBeCloseTo((sl - trade.closePrice.toNumber()) / PIP, 4);
      const logs = (await api.app.inject({ method: "GET", url: `/accounts/${accountId}/sync-logs`, headers: user.auth })).json();
      expect(logs.items[0]).toMatchObject({ kind: "RECONNECT", status: "OK" });
      expect(logs.items[0].itemsSynced).toBeGreaterThanOrEqual(2);
      expect(logs.items.map((l: { kind: string }) => l.kind)).toContain("STARTUP");
    });

    it("places, fills and cancels pending orders, moves SL/TP and closes part of a position, each through SRM", async () => {
      const prisma = api.container.db.prisma;
      const session = api.container.trading.sessions.peek(accountId)!;
      await venue.advanceBy(10_000);
      const spec = (await api.app.inject({ method: "GET", url: `/accounts/${accountId}/symbols/EURUSD`, headers: user.auth })).json();
      expect(spec).toMatchObject({ symbol: "EURUSD", digits: 5, pipSize: 0.0001, volumeStep: "0.01" });
      const quote = (await api.app.inject({ method: "GET", url: `/accounts/${accountId}/quote/EURUSD`, headers: user.auth })).json();
      expect(quote).toMatchObject({ bid: String(quoteAt(venue.now).bid), ask: String(quoteAt(venue.now).ask), venueTime: new Date(venue.now).toISOString() });

      const far = (Number(quote.ask) - 0.002).toFixed(5);
      const placed = await order({ type: "LIMIT", price: far, stopLoss: (Number(far) - 0.002).toFixed(5), clientRequestId: "limit-far" });
      expect(placed.statusCode, placed.body).toBe(201);
      expect(placed.json()).toMatchObject({ status: "PLACED", order: { type: "BUY_LIMIT", price: far, state: "PLACED" } });
      const orders = (await api.app.inject({ method: "GET", url: `/accounts/${accountId}/orders`, headers: user.auth })).json();
      expect(orders.map((o: { id: string }) => o.id)).toEqual([placed.json().order.id]);
      const cancelled = await api.app.inject({ method: "DELETE", url: `/accounts/${accountId}/orders/${placed.json().order.id}`, headers: user.auth });
      expect(cancelled.statusCode, cancelled.body).toBe(200);
      expect(cancelled.json()).toMatchObject({ status: "DONE", decision: { action: "EXECUTE" }, order: { state: "CANCELLED" } });
      await session.idle();
      expect(await venue.fetchOrders()).toHaveLength(0);
      expect((await prisma.executionLog.findUniqueOrThrow({ where: { id: placed.json().execution.id } })).status).toBe("CANCELLED");

      // A limit half a pip under the ask fills at the venue on its own; its execution log settles from the event.
      const near = (Number(quote.ask) - 0.00005).toFixed(5);
      const resting = await order({ type: "LIMIT", price: near, clientRequestId: "limit-near" });
      expect(resting.statusCode, resting.body).toBe(201);
      expect(await venue.runUntil(() => venue.lastQuote("EURUSD")!.ask <= Number(near), at("12:00"))).toBe(true);
      await venue.advanceBy(1);
      await session.idle();
      const filled = await prisma.executionLog.findUniqueOrThrow({ where: { id: resting.json().execution.id } });
      expect(filled.status).toBe("FILLED");
      expect(filled.slippagePips).toBeLessThanOrEqual(0);
      const limitPosition = await prisma.position.findFirstOrThrow({ where: { accountId, clientOrderId: filled.clientOrderId } });
      expect(limitPosition.srmAdjustedLot?.toString()).toBe("0.1");

      const market = await order({ volume: "0.20", stopLoss: "1.38400", clientRequestId: "to-modify" });
      expect(market.statusCode, market.body).toBe(201);
      const pid = market.json().position.id as string;
      const wrongSide = await api.app.inject({ method: "PATCH", url: `/accounts/${accountId}/positions/${pid}`, headers: user.auth, payload: { stopLoss: "1.39500" } });
      expect(wrongSide.statusCode).toBe(400);
      expect(wrongSide.json().error.details.field).toBe("stopLoss");
      const moved = await api.app.inject({ method: "PATCH", url: `/accounts/${accountId}/positions/${pid}`, headers: user.auth, payload: { stopLoss: "1.38500", takeProfit: "1.39500" } });
      expect(moved.statusCode, moved.body).toBe(200);
      await session.idle();
      const brokerPosition = (await venue.fetchPositions()).find((p) => p.id === market.json().position.brokerPositionId)!;
      expect([brokerPosition.stopLoss?.toString(), brokerPosition.takeProfit?.toString()]).toEqual(["1.385", "1.395"]);
      const row = await prisma.position.findUniqueOrThrow({ where: { id: pid } });
      expect([row.stopLoss?.toString(), row.takeProfit?.toString()]).toEqual(["1.385", "1.395"]);

      // null removes a level, at the venue and in the book; removing one the position does not hold is refused.
      const removed = await api.app.inject({ method: "PATCH", url: `/accounts/${accountId}/positions/${pid}`, headers: user.auth, payload: { takeProfit: null } });
      expect(removed.statusCode, removed.body).toBe(200);
      await session.idle();
      const atVenue = (await venue.fetchPositions()).find((p) => p.id === market.json().position.brokerPositionId)!;
      expect([atVenue.stopLoss?.toString(), atVenue.takeProfit]).toEqual(["1.385", undefined]);
      expect((await prisma.position.findUniqueOrThrow({ where: { id: pid } })).takeProfit).toBeNull();
      const again = await api.app.inject({ method: "PATCH", url: `/accounts/${accountId}/positions/${pid}`, headers: user.auth, payload: { takeProfit: null } });
      expect(again.statusCode).toBe(400);
      expect(again.json().error.details.field).toBe("takeProfit");

      const tooMuch = await api.app.inject({ method: "POST", url: `/accounts/${accountId}/positions/${pid}/close`, headers: user.auth, payload: { volume: "0.25" } });
      expect(tooMuch.statusCode).toBe(400);
      const partial = await api.app.inject({ method: "POST", url: `/accounts/${accountId}/positions/${pid}/close`, headers: user.auth, payload: { volume: "0.05" } });
      expect(partial.statusCode, partial.body).toBe(200);
      expect(partial.json().closedTrade).toMatchObject({ volume: "0.05", closeReason: "MANUAL" });
      await session.idle();
      expect((await prisma.position.findUniqueOrThrow({ where: { id: pid } })).volume.toString()).toBe("0.15");
      for (const id of [pid, limitPosition.id]) {
        expect((await api.app.inject({ method: "POST", url: `/accounts/${accountId}/positions/${id}/close`, headers: user.auth, payload: {} })).statusCode).toBe(200);
      }
      const trades = await prisma.closedTrade.findMany({ where: { positionId: pid }, orderBy: { closeTime: "asc" } });
      expect(trades.map((t) => t.volume.toString())).toEqual(["0.05", "0.15"]);
    });

    it("emergency stop end to end: an equity drawdown past the limit halts the account and closes every position at the venue", async () => {
      const prisma = api.container.db.prisma;
      const session = api.container.trading.sessions.peek(accountId)!;
      await venue.advanceTo(at("10:45"));
      await api.container.trading.refreshAccount(accountId);
      await session.idle();
      // The limit sits $10 below where equity stands now, so only the drawdown this test makes can trip it.
      const now = await prisma.brokerAccount.findUniqueOrThrow({ where: { id: accountId } });
      const hwm = now.equityHighWaterMark!.toNumber();
      const limit = (hwm - now.equity.toNumber() + 10) / hwm;
      await api.container.risk.setLimits(accountId, [{ kind: "emergency-stop", relative: Number(limit.toFixed(6)) }], { userId: user.id });

      const res = await order({ volume: "0.30", stopLoss: "1.38600", clientRequestId: "emergency" });
      expect(res.statusCode, res.body).toBe(201);
      const position = res.json().position;
      await session.idle();
      expect((await prisma.brokerAccount.findUniqueOrThrow({ where: { id: accountId } })).riskState).toBe("ACTIVE");
      expect(await venue.fetchPositions()).toHaveLength(1);

      const open = Number(position.openPrice);
      expect(await venue.runUntil(() => venue.lastQuote("EURUSD")!.bid <= open - 6 * PIP, at("12:00"))).toBe(true);
      await api.container.trading.refreshAccount(accountId);
      await session.idle();

      expect((await prisma.brokerAccount.findUniqueOrThrow({ where: { id: accountId } })).riskState).toBe("HALTED");
      expect(await venue.fetchPositions()).toHaveLength(0);
      expect(await prisma.position.count({ where: { accountId, status: "OPEN" } })).toBe(0);
      expect((await prisma.closedTrade.findFirstOrThrow({ where: { positionId: position.id } })).closeReason).toBe("EMERGENCY");
      expect(await prisma.riskEvent.count({ where: { accountId, rule: "emergency-stop", action: "CLOSE_POSITIONS" } })).toBeGreaterThanOrEqual(1);

      const before = sent.length;
      const refused = await order({ clientRequestId: "after-halt" });
      expect(refused.statusCode).toBe(422);
      expect(refused.json().decision.reasons[0].code).toBe("SRM_ACCOUNT_HALTED");
      expect(sent.length).toBe(before);
    });

    it("shares one queued write among paper state saves, which stores the state as of when it runs", async () => {
      const sessions = api.container.trading.sessions;
      const session = sessions.peek(accountId)!;
      let release!: () => void;
      const held = session.serial(() => new Promise<void>((r) => (release = r)));
      const first = sessions.persist(session);
      await venue.advanceTo(venue.now + 60_000);
      const second = sessions.persist(session);
      expect(second).toBe(first);
      release();
      await Promise.all([held, first]);
      const stored = (await api.container.db.prisma.brokerAccount.findUniqueOrThrow({ where: { id: accountId } })).paperSettings as { state: { now: number } };
      expect(stored.state.now).toBe(venue.now);
      // Once it ran, a later change needs (and gets) a write of its own.
      const third = sessions.persist(session);
      expect(third).not.toBe(first);
      await third;
    });

    it("resumes a paper account from its stored state after the session closes", async () => {
      const trading = api.container.trading;
      const before = { now: venue.now, deals: (await venue.fetchDeals(0, Number.MAX_SAFE_INTEGER)).length };
      await trading.sessions.close(accountId);
      const stored = (await api.container.db.prisma.brokerAccount.findUniqueOrThrow({ where: { id: accountId } })).paperSettings as { state?: { format: number } };
      expect(stored.state?.format).toBe(1);
      const res = await api.app.inject({ method: "GET", url: `/accounts/${accountId}/quote/EURUSD`, headers: user.auth });
      expect(res.statusCode).toBe(200);
      const resumed = trading.sessions.peek(accountId)!.paper!;
      expect(resumed).not.toBe(venue);
      expect(resumed.now).toBe(before.now);
      expect((await resumed.fetchDeals(0, Number.MAX_SAFE_INTEGER)).length).toBe(before.deals);
      expect(await resumed.fetchPositions()).toHaveLength(0);
    });

    it("ends a deleted account's session: its venue stops and nothing more is written for it", async () => {
      const owner = await api.user();
      const created = await api.app.inject({ method: "POST", url: "/accounts", headers: owner.auth, payload: { name: "Short-lived", platform: "PAPER", initialBalance: "1000" } });
      const id = created.json().id as string;
      expect((await api.app.inject({ method: "POST", url: `/accounts/${id}/deploy`, headers: owner.auth })).statusCode).toBe(200);
      expect(api.container.trading.sessions.peek(id)).toBeDefined();
      expect((await api.app.inject({ method: "DELETE", url: `/accounts/${id}`, headers: user.auth })).statusCode).toBe(404);
      expect(api.container.trading.sessions.peek(id)).toBeDefined();
      expect((await api.app.inject({ method: "DELETE", url: `/accounts/${id}`, headers: owner.auth })).statusCode).toBe(204);
      expect(api.container.trading.sessions.peek(id)).toBeUndefined();
      expect(await api.container.db.prisma.brokerAccount.count({ where: { id } })).toBe(0);
    });

    it("limits trading strategies by plan (FREE: one)", async () => {
      const first = await api.app.inject({ method: "POST", url: "/strategies", headers: user.auth, payload: { name: "Breakout", type: "MANUAL", accountId } });
      expect(first.statusCode, first.body).toBe(201);
      const second = await api.app.inject({ method: "POST", url: "/strategies", headers: user.auth, payload: { name: "Second", type: "TEMPLATE" } });
      expect(second.statusCode).toBe(403);
      expect(second.json().error.details.limit).toBe(1);
      expect((await api.app.inject({ method: "GET", url: "/strategies", headers: user.auth })).json()).toHaveLength(1);
    });

    it("deploys and undeploys an MT5 account at MetaApi with the account's own token", async () => {
      const prisma = api.container.db.prisma;
      const mt5 = await api.app.inject({ method: "POST", url: "/accounts", headers: user.auth, payload: { name: "MT5", platform: "MT5", login: "1", server: "Demo", credentials: { metaapiToken: "tok-123" } } });
      expect(mt5.statusCode).toBe(201);
      const id = mt5.json().id as string;
      await prisma.brokerAccount.update({ where: { id }, data: { metaapiAccountId: "meta-1" } });
      const calls: string[] = [];
      let state = "UNDEPLOYED";
      const provisioning = new AccountProvisioning(prisma, api.container.trading.sessions, (a) => api.container.accounts.credentials(a), async (token) => ({
        deployAccount: async (m) => void (calls.push(`deploy ${m} ${token}`), (state = "DEPLOYED")),
        undeployAccount: async (m) => void (calls.push(`undeploy ${m} ${token}`), (state = "UNDEPLOYED")),
        readAccount: async () => ({ state, connectionStatus: "DISCONNECTED" }),
        close: () => undefined,
      }), api.container.logger);
      expect(await provisioning.deploy(id)).toMatchObject({ status: "DEPLOYED", venue: { state: "DEPLOYED" } });
      expect(await provisioning.undeploy(id)).toMatchObject({ status: "UNDEPLOYED", venue: { state: "UNDEPLOYED" } });
      expect(calls).toEqual(["deploy meta-1 tok-123", "undeploy meta-1 tok-123"]);
      const foreign = await api.app.inject({ method: "POST", url: `/accounts/${id}/deploy`, headers: (await api.user()).auth });
      expect(foreign.statusCode).toBe(404);
    });
  });
});
