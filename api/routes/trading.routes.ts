import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type, type TSchema } from "typebox";
import { dec } from "../../core/index.ts";
import type { Container } from "../../app/container.ts";
import type { TradeOutcome } from "../../trading/execution/index.ts";
import { executionView, orderView, positionView, closedTradeView } from "../../trading/sessions/index.ts";
import { errorResponses, IdParams, Pagination, UnsignedDecimalString } from "../schemas.ts";

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Str = Type.String();
const NStr = Nullable(Str);
const NNum = Nullable(Type.Number());

const PositionView = Type.Object({
  id: Str, accountId: Str, brokerPositionId: Str, symbol: Str, side: Str, volume: Str, openPrice: Str, currentPrice: NStr, stopLoss: NStr, takeProfit: NStr,
  swap: Str, commission: Str, profit: Str, predictedSlippage: NNum, performanceScoreAtEntry: NNum, srmAdjustedLot: NStr, clientOrderId: NStr, copyLinkId: NStr,
  status: Str, openedAt: Str, closedAt: NStr,
});
const OrderView = Type.Object({
  id: Str, accountId: Str, brokerOrderId: Str, clientOrderId: NStr, symbol: Str, type: Str, volume: Str, price: Str, stopLimitPrice: NStr, stopLoss: NStr, takeProfit: NStr,
  state: Str, expiresAt: NStr, createdAt: Str,
});
const ClosedTradeView = Type.Object({
  id: Str, accountId: NStr, positionId: NStr, ticket: Str, symbol: Str, side: Str, volume: Str, openTime: Str, closeTime: Str, openPrice: Str, closePrice: Str,
  stopLoss: NStr, takeProfit: NStr, commission: Str, swap: Str, profit: Str, pips: NNum, closeReason: Str,
});
const ExecutionView = Type.Object({
  id: Str, accountId: Str, decisionId: NStr, clientOrderId: Str, brokerOrderId: NStr, positionId: NStr, symbol: Str, side: Str, kind: Str, volume: Str, status: Str,
  requestedPrice: NStr, filledPrice: NStr, slippagePips: NNum, latencyMs: NNum, marketAtr: NNum, tradingSession: NStr, dayOfWeek: Nullable(Type.Integer()),
  volatilityIndex: NNum, spread: NStr, errorCode: NStr, error: NStr, requestedAt: Str, filledAt: NStr,
});
const DecisionView = Type.Object({
  id: Str, action: Str, lot: Str, baseLot: Str, originalStopLoss: NStr, stopLoss: NStr, takeProfit: NStr,
  predictedSlippage: Nullable(Type.Object({ p50: Type.Number(), p90: Type.Number(), source: Str })), providerScore: NNum,
  reasons: Type.Array(Type.Object({ code: Str, text: Str })), degraded: Type.Boolean(), latencyUs: Type.Integer(), duplicate: Type.Boolean(),
});
const Outcome = Type.Object({
  status: Type.String({ description: "FILLED, PLACED, DONE, REJECTED (by SRM or the venue) or UNKNOWN (outcome being reconciled)." }),
  decision: DecisionView,
  execution: Nullable(ExecutionView),
  position: Nullable(PositionView),
  order: Nullable(OrderView),
  closedTrade: Nullable(ClosedTradeView),
  duplicate: Type.Boolean(),
  recovered: Type.Boolean(),
});
const outcomeResponses = { 200: Outcome, 201: Outcome, 202: Outcome, 422: Outcome, ...errorResponses(400, 401, 403, 404, 409, 503) };

const Health = Type.Object({ state: Str, since: Type.Number(), reconnectAttempts: Type.Integer(), lastError: Type.Optional(Type.Object({ code: Str, message: Str, at: Type.Number() })) });
const ProvisioningView = Type.Object({
  accountId: Str, platform: Str, status: Str, session: Health, ok: Type.Optional(Type.Boolean()), error: Type.Optional(Str),
  venue: Type.Optional(Type.Object({ state: Str, connectionStatus: Str })),
  account: Type.Optional(Type.Object({ balance: Str, equity: Str, currency: Str, leverage: Type.Number(), tradeAllowed: Type.Boolean() })),
});
const SyncLogView = Type.Object({ id: Str, kind: Str, status: Str, startedAt: Str, durationMs: Nullable(Type.Integer()), itemsSynced: Type.Integer(), itemsFailed: Type.Integer(), error: NStr, details: Type.Unknown() });
const PageOf = <T extends TSchema>(t: T) => Type.Object({ items: Type.Array(t), nextCursor: NStr });

const AccountParams = IdParams;
const PositionParams = Type.Object({ id: Type.String({ format: "uuid" }), positionId: Type.String({ format: "uuid" }) }, { additionalProperties: false });
const OrderParams = Type.Object({ id: Type.String({ format: "uuid" }), orderId: Type.String({ format: "uuid" }) }, { additionalProperties: false });
const SymbolParams = Type.Object({ id: Type.String({ format: "uuid" }), symbol: Type.String({ pattern: "^[A-Za-z0-9._#-]{2,20}$" }) }, { additionalProperties: false });
const ClientRequestId = Type.String({ minLength: 1, maxLength: 100, description: "Makes retries idempotent: the same id returns the first outcome and sends nothing again." });

const PlaceOrder = Type.Object(
  {
    symbol: Type.String({ pattern: "^[A-Za-z0-9._#-]{2,20}$" }),
    side: Type.Union([Type.Literal("BUY"), Type.Literal("SELL")]),
    type: Type.Union([Type.Literal("MARKET"), Type.Literal("LIMIT"), Type.Literal("STOP"), Type.Literal("STOP_LIMIT")], { default: "MARKET" }),
    volume: UnsignedDecimalString("Lots."),
    price: Type.Optional(UnsignedDecimalString("Limit or stop price of a pending order.")),
    stopLimitPrice: Type.Optional(UnsignedDecimalString("Limit price a STOP_LIMIT places when its stop triggers.")),
    stopLoss: Type.Optional(UnsignedDecimalString("Stop-loss price (SRM may widen it by the predicted slippage).")),
    takeProfit: Type.Optional(UnsignedDecimalString("Take-profit price.")),
    expiresAt: Type.Optional(Type.String({ format: "date-time", description: "Pending orders: expiry (venue time)." })),
    clientRequestId: Type.Optional(ClientRequestId),
  },
  { additionalProperties: false },
);
const ModifyPosition = Type.Object(
  {
    stopLoss: Type.Optional(Type.Union([UnsignedDecimalString("New stop loss."), Type.Null()], { description: "New stop loss; null removes it." })),
    takeProfit: Type.Optional(Type.Union([UnsignedDecimalString("New take profit."), Type.Null()], { description: "New take profit; null removes it." })),
    clientRequestId: Type.Optional(ClientRequestId),
  },
  { additionalProperties: false, minProperties: 1 },
);
const ClosePosition = Type.Object(
  { volume: Type.Optional(UnsignedDecimalString("Lots to close; the whole position when omitted.")), clientRequestId: Type.Optional(ClientRequestId) },
  { additionalProperties: false },
);
const CancelOrder = Type.Object({ clientRequestId: Type.Optional(ClientRequestId) }, { additionalProperties: false });
const HistoryQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ format: "date-time" })),
    to: Type.Optional(Type.String({ format: "date-time" })),
    symbol: Type.Optional(Type.String({ pattern: "^[A-Za-z0-9._#-]{2,20}$" })),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
    cursor: Type.Optional(Type.String({ format: "uuid" })),
  },
  { additionalProperties: false },
);
const CreateStrategy = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    type: Type.Union([Type.Literal("MANUAL"), Type.Literal("AI_GENERATED"), Type.Literal("TEMPLATE")]),
    accountId: Type.Optional(Type.String({ format: "uuid" })),
    parameters: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    riskSettings: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);
const StrategyView = Type.Object({ id: Str, name: Str, type: Str, accountId: NStr, active: Type.Boolean(), parameters: Type.Unknown(), riskSettings: Type.Unknown(), createdAt: Str });

/**
 * Status of a trading command's answer: 201 when a new order executed (200 for exits and changes), 200 for a
 * replayed request (same clientRequestId: nothing was sent again), 202 when the venue's answer was lost and
 * reconciliation will settle it (retrying with the same clientRequestId is safe), and 422 when SRM or the
 * venue refused — the body then carries the decision's reasons or the venue's error code.
 */
function statusOf(t: TradeOutcome, created: 200 | 201): 200 | 201 | 202 | 422 {
  if (!t.outcome) return 422;
  if (t.outcome.duplicate) return 200;
  if (t.outcome.status === "REJECTED") return 422;
  if (t.outcome.status === "UNKNOWN") return 202;
  return created;
}

function outcomeView(t: TradeOutcome) {
  const d = t.decision.decision;
  const o = t.outcome;
  return {
    status: o ? o.status : "REJECTED",
    decision: {
      id: t.decision.id,
      action: d.action,
      lot: d.lot.toString(),
      baseLot: d.baseLot.toString(),
      originalStopLoss: d.originalStopLoss?.toString() ?? null,
      stopLoss: d.stopLoss?.toString() ?? null,
      takeProfit: d.takeProfit?.toString() ?? null,
      predictedSlippage: d.slippage,
      providerScore: d.providerScore,
      reasons: d.reasons,
      degraded: d.degraded,
      latencyUs: t.decision.latencyUs,
      duplicate: t.decision.duplicate,
    },
    execution: o ? executionView(o.execution) : null,
    position: o?.position ? positionView(o.position) : null,
    order: o?.order ? orderView(o.order) : null,
    closedTrade: o?.closedTrade ? closedTradeView(o.closedTrade) : null,
    duplicate: o?.duplicate ?? t.decision.duplicate,
    recovered: o?.recovered ?? false,
  };
}

/** Trading on the caller's broker accounts: every order passes SRM; another user's account answers 404. */
export const tradingRoutes: FastifyPluginAsyncTypebox<{ container: Container }> = async (app, { container }) => {
  const { trading, strategies } = container;
  const common = { tags: ["trading"], security: [{ bearer: [] }] };
  app.addHook("preHandler", app.authenticate);

  for (const action of ["deploy", "undeploy", "test"] as const) {
    app.post(
      `/accounts/:id/${action}`,
      { schema: { ...common, summary: `${action === "test" ? "Test the connection of" : action === "deploy" ? "Deploy (connect)" : "Undeploy (disconnect)"} a broker account`, params: AccountParams, response: { 200: ProvisioningView, ...errorResponses(400, 401, 404, 503) } } },
      async (req) => {
        await trading.read.assertOwned(req.actor, req.params.id);
        return trading.provisioning[action](req.params.id);
      },
    );
  }

  app.get("/accounts/:id/positions", { schema: { ...common, summary: "Open positions (live prices when connected)", params: AccountParams, response: { 200: Type.Array(PositionView), ...errorResponses(400, 401, 404) } } }, async (req) =>
    trading.read.positions(req.actor, req.params.id),
  );
  app.get("/accounts/:id/orders", { schema: { ...common, summary: "Working pending orders", params: AccountParams, response: { 200: Type.Array(OrderView), ...errorResponses(400, 401, 404) } } }, async (req) =>
    trading.read.orders(req.actor, req.params.id),
  );
  app.post("/accounts/:id/sync", { schema: { ...common, summary: "Reconcile the account with its venue now", params: AccountParams, response: { 200: SyncLogView, ...errorResponses(400, 401, 404, 503) } } }, async (req) => {
    const log = await trading.syncNow(req.actor, req.params.id);
    return { id: log.id, kind: log.kind, status: log.status, startedAt: log.startedAt.toISOString(), durationMs: log.durationMs, itemsSynced: log.itemsSynced, itemsFailed: log.itemsFailed, error: log.error, details: log.details };
  });
  app.get("/accounts/:id/sync-logs", { schema: { ...common, summary: "Reconciliation history, newest first", params: AccountParams, querystring: Pagination, response: { 200: PageOf(SyncLogView), ...errorResponses(400, 401, 404) } } }, async (req) =>
    trading.read.syncLogs(req.actor, req.params.id, { limit: req.query.limit, ...(req.query.cursor ? { cursor: req.query.cursor } : {}) }),
  );
  app.get("/accounts/:id/executions", { schema: { ...common, summary: "Execution log, newest first", params: AccountParams, querystring: Pagination, response: { 200: PageOf(ExecutionView), ...errorResponses(400, 401, 404) } } }, async (req) =>
    trading.read.executions(req.actor, req.params.id, { limit: req.query.limit, ...(req.query.cursor ? { cursor: req.query.cursor } : {}) }),
  );

  app.post(
    "/accounts/:id/orders",
    { schema: { ...common, summary: "Place a market or pending order (decided by SRM first)", params: AccountParams, body: PlaceOrder, response: outcomeResponses } },
    async (req, reply) => {
      const b = req.body;
      const result = await trading.placeOrder(req.actor, req.params.id, {
        symbol: b.symbol,
        side: b.side,
        type: b.type,
        volume: dec(b.volume),
        ...(b.price ? { price: dec(b.price) } : {}),
        ...(b.stopLimitPrice ? { stopLimitPrice: dec(b.stopLimitPrice) } : {}),
        ...(b.stopLoss ? { stopLoss: dec(b.stopLoss) } : {}),
        ...(b.takeProfit ? { takeProfit: dec(b.takeProfit) } : {}),
        ...(b.expiresAt ? { expiresAt: Date.parse(b.expiresAt) } : {}),
        ...(b.clientRequestId ? { clientRequestId: b.clientRequestId } : {}),
      });
      return reply.code(statusOf(result, 201)).send(outcomeView(result));
    },
  );

  app.patch(
    "/accounts/:id/positions/:positionId",
    { schema: { ...common, summary: "Move or remove (null) a position's stop loss / take profit (decided by SRM)", params: PositionParams, body: ModifyPosition, response: outcomeResponses } },
    async (req, reply) => {
      const b = req.body;
      const level = (v: string | null) => (v === null ? null : dec(v));
      const result = await trading.modifyPosition(req.actor, req.params.id, req.params.positionId, {
        ...(b.stopLoss !== undefined ? { stopLoss: level(b.stopLoss) } : {}),
        ...(b.takeProfit !== undefined ? { takeProfit: level(b.takeProfit) } : {}),
        ...(b.clientRequestId ? { clientRequestId: b.clientRequestId } : {}),
      });
      return reply.code(statusOf(result, 200)).send(outcomeView(result));
    },
  );

  app.post(
    "/accounts/:id/positions/:positionId/close",
    { schema: { ...common, summary: "Close a position, fully or partly (exits always pass SRM); send {} to close it all", params: PositionParams, body: ClosePosition, response: outcomeResponses } },
    async (req, reply) => {
      const b = req.body;
      const result = await trading.closePosition(req.actor, req.params.id, req.params.positionId, {
        ...(b.volume ? { volume: dec(b.volume) } : {}),
        ...(b.clientRequestId ? { clientRequestId: b.clientRequestId } : {}),
      });
      return reply.code(statusOf(result, 200)).send(outcomeView(result));
    },
  );

  app.delete(
    "/accounts/:id/orders/:orderId",
    { schema: { ...common, summary: "Cancel a pending order", params: OrderParams, querystring: CancelOrder, response: outcomeResponses } },
    async (req, reply) => {
      const result = await trading.cancelOrder(req.actor, req.params.id, req.params.orderId, req.query.clientRequestId ? { clientRequestId: req.query.clientRequestId } : {});
      return reply.code(statusOf(result, 200)).send(outcomeView(result));
    },
  );

  app.get(
    "/accounts/:id/history",
    { schema: { ...common, summary: "Closed trades, newest first", params: AccountParams, querystring: HistoryQuery, response: { 200: PageOf(ClosedTradeView), ...errorResponses(400, 401, 404) } } },
    async (req) => {
      const q = req.query;
      return trading.read.history(req.actor, req.params.id, {
        limit: q.limit,
        ...(q.from ? { from: Date.parse(q.from) } : {}),
        ...(q.to ? { to: Date.parse(q.to) } : {}),
        ...(q.symbol ? { symbol: q.symbol } : {}),
        ...(q.cursor ? { cursor: q.cursor } : {}),
      });
    },
  );

  const SpecView = Type.Object({ symbol: Str, digits: Type.Integer(), pipSize: Type.Number(), contractSize: Type.Number(), minVolume: Str, maxVolume: Str, volumeStep: Str, marginRate: Type.Number(), baseCurrency: NStr, quoteCurrency: Str });
  app.get("/accounts/:id/symbols/:symbol", { schema: { ...common, summary: "A symbol's specification at the account's venue", params: SymbolParams, response: { 200: SpecView, ...errorResponses(400, 401, 404, 503) } } }, async (req) =>
    trading.read.symbol(req.actor, req.params.id, req.params.symbol),
  );
  const QuoteView = Type.Object({ symbol: Str, bid: Str, ask: Str, time: Str, venueTime: Str, ageMs: Type.Number() });
  app.get("/accounts/:id/quote/:symbol", { schema: { ...common, summary: "The venue's current quote", params: SymbolParams, response: { 200: QuoteView, ...errorResponses(400, 401, 404, 409, 503) } } }, async (req) =>
    trading.read.quote(req.actor, req.params.id, req.params.symbol),
  );

  const strategyView = (s: Awaited<ReturnType<typeof strategies.create>>) => ({ id: s.id, name: s.name, type: s.type, accountId: s.accountId, active: s.active, parameters: s.parameters, riskSettings: s.riskSettings, createdAt: s.createdAt.toISOString() });
  app.post("/strategies", { schema: { ...common, summary: "Create a trading strategy (plan limit: FREE 1, PRO 10, ENTERPRISE 100)", body: CreateStrategy, response: { 201: StrategyView, ...errorResponses(400, 401, 403, 404) } } }, async (req, reply) =>
    reply.code(201).send(strategyView(await strategies.create(req.actor, req.body, req.ip))),
  );
  app.get("/strategies", { schema: { ...common, summary: "Your trading strategies", response: { 200: Type.Array(StrategyView) } } }, async (req) => (await strategies.list(req.actor)).map(strategyView));
};
