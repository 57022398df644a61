import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { dec, newId, notFound, ownedBy } from "../../core/index.ts";
import type { Container } from "../../app/container.ts";
import type { DecisionRecord } from "../../srm/index.ts";
import { scoreModelReport, slippageModelReport } from "../../notebooks/index.ts";
import { errorResponses, IdParams, UnsignedDecimalString } from "../schemas.ts";

const DecisionRequest = Type.Object(
  {
    accountId: Type.String({ format: "uuid" }),
    symbol: Type.String({ pattern: "^[A-Za-z0-9._#-]{2,20}$" }),
    side: Type.Union([Type.Literal("BUY"), Type.Literal("SELL")]),
    kind: Type.Optional(Type.Union([Type.Literal("OPEN"), Type.Literal("CLOSE"), Type.Literal("CLOSE_PARTIAL"), Type.Literal("MODIFY")])),
    volume: UnsignedDecimalString("Requested lots."),
    price: Type.Optional(UnsignedDecimalString("Reference price at the signal; omit for market-at-best.")),
    stopLoss: Type.Optional(UnsignedDecimalString("Stop-loss price.")),
    takeProfit: Type.Optional(UnsignedDecimalString("Take-profit price.")),
    providerId: Type.Optional(Type.String({ format: "uuid" })),
    signalTime: Type.Optional(Type.String({ format: "date-time", description: "When the signal was produced; defaults to now." })),
    ttlSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400 })),
    clientRequestId: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: "Makes retries idempotent: the same id returns the same decision." })),
  },
  { additionalProperties: false },
);

const Reason = Type.Object({ code: Type.String(), text: Type.String() });
const DecisionView = Type.Object({
  id: Type.String(),
  intentId: Type.String(),
  accountId: Type.String(),
  action: Type.String(),
  lot: Type.String(),
  baseLot: Type.String(),
  originalStopLoss: Type.Union([Type.String(), Type.Null()]),
  stopLoss: Type.Union([Type.String(), Type.Null()]),
  takeProfit: Type.Union([Type.String(), Type.Null()]),
  predictedSlippage: Type.Union([Type.Object({ p50: Type.Number(), p90: Type.Number(), source: Type.String() }), Type.Null()]),
  providerScore: Type.Union([Type.Number(), Type.Null()]),
  reasons: Type.Array(Reason),
  modelVersions: Type.Record(Type.String(), Type.String()),
  policyVariant: Type.Union([Type.String(), Type.Null()]),
  degraded: Type.Boolean(),
  latencyUs: Type.Integer(),
  createdAt: Type.String(),
  duplicate: Type.Optional(Type.Boolean()),
});

type Row = Awaited<ReturnType<Container["db"]["prisma"]["srmDecision"]["findFirstOrThrow"]>>;

function view(r: Row) {
  const p = r.predictions as { p50?: number; p90?: number; source?: string };
  return {
    id: r.id,
    intentId: r.intentId,
    accountId: r.accountId,
    action: r.action,
    lot: r.adjustedLot.toString(),
    baseLot: r.baseLot.toString(),
    originalStopLoss: r.originalSl?.toString() ?? null,
    stopLoss: r.bufferedSl?.toString() ?? null,
    takeProfit: r.takeProfit?.toString() ?? null,
    predictedSlippage: p.p90 !== undefined ? { p50: p.p50 ?? 0, p90: p.p90, source: p.source ?? "model" } : null,
    providerScore: r.providerScore,
    reasons: r.reasons as { code: string; text: string }[],
    modelVersions: r.modelVersions as Record<string, string>,
    policyVariant: r.policyVariant,
    degraded: r.degraded,
    latencyUs: r.latencyUs,
    createdAt: r.createdAt.toISOString(),
  };
}

/** The API view of a decision just made, without reading it back. */
function recordView(r: DecisionRecord, now: number) {
  const d = r.decision;
  return {
    id: r.id,
    intentId: d.intent.id,
    accountId: d.intent.accountId,
    action: d.action,
    lot: d.lot.toString(),
    baseLot: d.baseLot.toString(),
    originalStopLoss: d.originalStopLoss?.toString() ?? null,
    stopLoss: d.stopLoss?.toString() ?? null,
    takeProfit: d.takeProfit?.toString() ?? null,
    predictedSlippage: d.slippage,
    providerScore: d.providerScore,
    reasons: d.reasons,
    modelVersions: d.modelVersions,
    policyVariant: r.variant,
    degraded: d.degraded,
    latencyUs: r.latencyUs,
    createdAt: new Date(now).toISOString(),
  };
}

/** SRM decisions: ask for one (no order is sent), read one, list an account's, and see the live models. */
export const srmRoutes: FastifyPluginAsyncTypebox<{ container: Container }> = async (app, { container }) => {
  const { srm, db } = container;
  const common = { tags: ["srm"], security: [{ bearer: [] }] };
  app.addHook("preHandler", app.authenticate);

  app.post(
    "/srm/decisions",
    {
      schema: {
        ...common,
        summary: "Decide a trade intent (execute or reject, lot, buffered SL, and why); nothing is sent to a broker",
        body: DecisionRequest,
        response: { 201: DecisionView, 200: DecisionView, ...errorResponses(400, 401, 404) },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const account = await db.prisma.brokerAccount.findFirst({ where: { id: b.accountId, ...ownedBy(req.actor) } });
      if (!account) throw notFound("account", b.accountId);
      const facts = await container.marketFacts(account.id, b.symbol);
      const now = facts.at ?? container.clock.now();
      const id = newId();
      const record = await srm.decide(
        {
          id,
          source: "MANUAL",
          dedupKey: b.clientRequestId ? `api:${req.actor.id}:${b.clientRequestId}` : `api:${id}`,
          accountId: account.id,
          symbol: facts.spec.symbol,
          side: b.side,
          kind: b.kind ?? "OPEN",
          volume: dec(b.volume),
          price: b.price ? dec(b.price) : undefined,
          stopLoss: b.stopLoss ? dec(b.stopLoss) : undefined,
          takeProfit: b.takeProfit ? dec(b.takeProfit) : undefined,
          providerId: b.providerId,
          signalTime: b.signalTime ? Date.parse(b.signalTime) : now,
          receivedAt: now,
          ttlSeconds: b.ttlSeconds,
        },
        facts,
        { account },
      );
      return reply.code(record.duplicate ? 200 : 201).send({ ...recordView(record, container.clock.now()), duplicate: record.duplicate });
    },
  );

  app.get(
    "/srm/decisions/:id",
    { schema: { ...common, summary: "One decision with its reasons", params: IdParams, response: { 200: DecisionView, ...errorResponses(400, 401, 404) } } },
    async (req) => {
      const row = await db.prisma.srmDecision.findFirst({ where: { id: req.params.id, account: ownedBy(req.actor) } });
      if (!row) throw notFound("decision", req.params.id);
      return view(row);
    },
  );

  app.get(
    "/srm/decisions",
    {
      schema: {
        ...common,
        summary: "Recent decisions of your accounts, newest first",
        querystring: Type.Object(
          {
            accountId: Type.Optional(Type.String({ format: "uuid" })),
            action: Type.Optional(Type.Union([Type.Literal("EXECUTE"), Type.Literal("REJECT")])),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(DecisionView), ...errorResponses(400, 401) },
      },
    },
    async (req) => {
      const rows = await db.prisma.srmDecision.findMany({
        where: { account: ownedBy(req.actor), accountId: req.query.accountId, action: req.query.action },
        orderBy: { createdAt: "desc" },
        take: req.query.limit,
      });
      return rows.map(view);
    },
  );

  app.get(
    "/srm/models/:kind/report",
    {
      preHandler: app.requireRole("QUANT", "ADMIN"),
      schema: {
        ...common,
        summary: "The model report (HTML with charts) for the dashboard",
        params: Type.Object({ kind: Type.Union([Type.Literal("slippage"), Type.Literal("score")]) }, { additionalProperties: false }),
        querystring: Type.Object({ version: Type.Optional(Type.String({ maxLength: 40 })) }, { additionalProperties: false }),
        response: { 200: Type.String(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const html = req.params.kind === "score" ? await scoreModelReport(db.prisma) : await slippageModelReport(db.prisma, container.registry, req.query.version);
      return reply.type("text/html; charset=utf-8").send(html);
    },
  );

  app.get(
    "/srm/models",
    {
      schema: {
        ...common,
        summary: "Model versions per kind, with the live champion",
        querystring: Type.Object({ kind: Type.Union([Type.Literal("slippage"), Type.Literal("score")], { default: "slippage" }) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            kind: Type.String(),
            champion: Type.Union([Type.String(), Type.Null()]),
            versions: Type.Array(Type.Object({ version: Type.String(), status: Type.String(), createdAt: Type.String(), rowCount: Type.Integer(), metrics: Type.Unknown() })),
          }),
        },
      },
    },
    async (req) => {
      const kind = req.query.kind;
      const [champion, versions] = await Promise.all([container.registry.champion(kind), container.registry.list(kind)]);
      return {
        kind,
        champion: champion?.version ?? null,
        versions: versions.map((v) => ({ version: v.version, status: v.status, createdAt: v.createdAt.toISOString(), rowCount: v.rowCount, metrics: v.metrics })),
      };
    },
  );
};
