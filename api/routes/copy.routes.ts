import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type, type TSchema } from "typebox";
import type { Container } from "../../app/container.ts";
import { errorResponses, IdParams, Pagination } from "../schemas.ts";

const Str = Type.String();
const NStr = Type.Union([Type.String(), Type.Null()]);
const NNum = Type.Union([Type.Number(), Type.Null()]);
const Rules = Type.Record(Type.String(), Type.Unknown(), {
  description:
    "Copy rules: lotScaling {mode: balanceRatio|equityRatio|multiplier|fixedLot|fixedRisk, multiplier, lot, riskPercent}, minLot, maxLot, maxRiskPerTradePercent, maxLeverage, maxSignalDelaySeconds, maxPriceDeviationPips, symbolMapping {MASTER: SLAVE}, symbolNaming {stripPrefix, stripSuffix, addPrefix, addSuffix}, includeSymbols, excludeSymbols, allowedSides, reverse, copyStopLoss, copyTakeProfit, copyPendingOrders, closeOnly.",
});

const LinkView = Type.Object({
  id: Str,
  masterAccountId: Str,
  slaveAccountId: Str,
  providerId: NStr,
  rules: Type.Unknown(),
  effective: Type.Unknown({ description: "The provider's and this link's settings combined, as copies are planned with them." }),
  status: Type.String({ description: "ACTIVE, PAUSED, CLOSE_ONLY (only exits follow) or STOPPED_BY_RISK (the slave was halted; exits follow)." }),
  statusReason: NStr,
  createdAt: Str,
  updatedAt: Str,
});
const CreateLink = Type.Object(
  {
    masterAccountId: Type.String({ format: "uuid" }),
    slaveAccountId: Type.String({ format: "uuid", description: "Your account that copies the master." }),
    rules: Type.Optional(Rules),
    status: Type.Optional(Type.Union([Type.Literal("ACTIVE"), Type.Literal("PAUSED"), Type.Literal("CLOSE_ONLY")])),
  },
  { additionalProperties: false },
);
const UpdateLink = Type.Object({ rules: Rules }, { additionalProperties: false });
const Pct = Type.Object({ p50: NNum, p99: NNum, n: Type.Integer() });
const Stats = Type.Object({
  copies: Type.Record(Type.String(), Type.Integer()),
  skippedByReason: Type.Record(Type.String(), Type.Integer()),
  failedByReason: Type.Record(Type.String(), Type.Integer()),
  latencyMs: Type.Object({ detection: Pct, queue: Pct, decision: Pct, dispatch: Pct, ack: Pct, internal: Pct, total: Pct }),
  slippagePips: Type.Object({ p50: NNum, p99: NNum, n: Type.Integer(), mean: NNum }),
  window: Type.Object({ events: Type.Integer(), from: NStr, to: NStr }),
});
const EventView = Type.Object({
  id: Str,
  linkId: Str,
  intentId: NStr,
  slaveAccountId: Str,
  masterEventId: NStr,
  status: Str,
  reasons: Type.Array(Type.Object({ code: Str, text: Str })),
  latency: Type.Object({ detectionMs: NNum, queueMs: NNum, decisionMs: NNum, dispatchMs: NNum, ackMs: NNum }),
  slippagePips: NNum,
  createdAt: Str,
});
const EventsQuery = Type.Object(
  {
    limit: Pagination.properties.limit,
    cursor: Pagination.properties.cursor,
    status: Type.Optional(Type.Union([Type.Literal("COPIED"), Type.Literal("SKIPPED"), Type.Literal("ADJUSTED"), Type.Literal("FAILED"), Type.Literal("REPAIRED")])),
  },
  { additionalProperties: false },
);
const PageOf = <T extends TSchema>(t: T) => Type.Object({ items: Type.Array(t), nextCursor: NStr });

/**
 * Copy trading for the slave's owner: links (create with validated rules, change rules, pause, resume, close-only,
 * delete), their statistics and copy logs, and the provider-level settings of the caller's own master accounts.
 * Copies stream on `/ws` as `copy.copied|adjusted|skipped|failed|repaired`, plus `copy.master_disconnected`,
 * `copy.master_reconnected` and `copy.link_status`.
 */
export const copyRoutes: FastifyPluginAsyncTypebox<{ container: Container }> = async (app, { container }) => {
  const { copy } = container;
  const common = { tags: ["copy"], security: [{ bearer: [] }] };
  app.addHook("preHandler", app.authenticate);

  app.get("/copy/links", { schema: { ...common, summary: "Your copy links (as the slave's owner)", response: { 200: Type.Array(LinkView) } } }, async (req) => copy.links.list(req.actor));
  app.post(
    "/copy/links",
    {
      schema: {
        ...common,
        summary: "Follow a master: your slave account copies its trades by these rules",
        description: "400 names the field of an invalid or contradictory rule (details.reason says why); 409 for a link that exists or would close a copy loop.",
        body: CreateLink,
        response: { 201: LinkView, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (req, reply) => reply.code(201).send(await copy.links.create(req.actor, req.body, req.ip)),
  );
  app.get("/copy/links/:id", { schema: { ...common, summary: "A copy link with its combined settings", params: IdParams, response: { 200: LinkView, ...errorResponses(400, 401, 404) } } }, async (req) =>
    copy.links.get(req.actor, req.params.id),
  );
  app.patch("/copy/links/:id", { schema: { ...common, summary: "Replace a link's copy rules", params: IdParams, body: UpdateLink, response: { 200: LinkView, ...errorResponses(400, 401, 404, 409) } } }, async (req) =>
    copy.links.updateRules(req.actor, req.params.id, req.body.rules, req.ip),
  );
  for (const [action, status, summary] of [
    ["pause", "PAUSED", "Pause: nothing is copied until resumed"],
    ["resume", "ACTIVE", "Resume: copying starts again, and copies missed while paused are repaired within the signal's time to live"],
    ["close-only", "CLOSE_ONLY", "Wind down: only closes, partial closes and modifications of copied positions follow"],
  ] as const) {
    app.post(`/copy/links/:id/${action}`, { schema: { ...common, summary, params: IdParams, response: { 200: LinkView, ...errorResponses(400, 401, 404) } } }, async (req) =>
      copy.links.setStatus(req.actor, req.params.id, status, req.ip),
    );
  }
  app.delete("/copy/links/:id", { schema: { ...common, summary: "Delete a link (copied positions stay open)", params: IdParams, response: { 204: Type.Null(), ...errorResponses(400, 401, 404) } } }, async (req, reply) => {
    await copy.links.remove(req.actor, req.params.id, req.ip);
    return reply.code(204).send(null);
  });
  app.post("/copy/links/:id/repair", { schema: { ...common, summary: "Compare the slave with its master now and repair the difference", params: IdParams, response: { 202: Type.Object({ queued: Type.Integer() }), ...errorResponses(400, 401, 404, 503) } } }, async (req, reply) => {
    await copy.links.owned(req.actor, req.params.id);
    return reply.code(202).send({ queued: await copy.engine.repair("request", { id: req.params.id }) });
  });
  app.get("/copy/links/:id/stats", { schema: { ...common, summary: "Copies, skips by reason, p50/p99 latency per stage, slippage", params: IdParams, response: { 200: Stats, ...errorResponses(400, 401, 404) } } }, async (req) =>
    copy.linkStats(req.actor, req.params.id),
  );
  app.get("/copy/links/:id/events", { schema: { ...common, summary: "The copy log, newest first, with the reasons of every skip and adjustment", params: IdParams, querystring: EventsQuery, response: { 200: PageOf(EventView), ...errorResponses(400, 401, 404) } } }, async (req) =>
    copy.log(req.actor, req.params.id, { limit: req.query.limit, ...(req.query.cursor ? { cursor: req.query.cursor } : {}), ...(req.query.status ? { status: req.query.status } : {}) }),
  );
  app.get("/copy/stats", { schema: { ...common, summary: "Statistics over all your copy links", response: { 200: Stats } } }, async (req) => copy.allStats(req.actor));
  app.get("/copy/providers/:id/settings", { schema: { ...common, summary: "Provider-level copy settings of your master account", params: IdParams, response: { 200: Rules, ...errorResponses(400, 401, 404) } } }, async (req) =>
    ({ ...(await copy.links.providerSettings(req.actor, req.params.id)) }),
  );
  app.put(
    "/copy/providers/:id/settings",
    { schema: { ...common, summary: "Set the provider-level copy settings of your master account (combined with each subscriber's rules)", params: IdParams, body: Rules, response: { 200: Rules, ...errorResponses(400, 401, 404, 409) } } },
    async (req) => ({ ...(await copy.links.setProviderSettings(req.actor, req.params.id, req.body, req.ip)) }),
  );
};
