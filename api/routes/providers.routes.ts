import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import type { Container } from "../../app/container.ts";
import { METRIC_PERIOD_TYPES, providerLeaderboard, providerMetricRows } from "../../srm/provider-metrics/index.ts";
import { publishProvider } from "../../srm/statements/index.ts";
import { errorResponses, IdParams } from "../schemas.ts";

const NullableNumber = Type.Union([Type.Number(), Type.Null()]);
const PeriodType = Type.Union(METRIC_PERIOD_TYPES.map((t) => Type.Literal(t)));

const MetricsView = Type.Object({
  periodType: Type.String(),
  periodStart: Type.String(),
  periodEnd: Type.String(),
  totalSignals: Type.Integer({ description: "Distinct signals: closed trades and opening intents, one per master position." }),
  winRate: Type.Union([Type.Number({ description: "Share of trades with a net result ≥ 0 (as MT4 counts)." }), Type.Null()]),
  avgSlippage: Type.Union([Type.Number({ description: "Mean fill slippage of its executions, pips, adverse positive." }), Type.Null()]),
  maxDrawdown: Type.Union([Type.Number({ description: "Deepest fall below the balance peak, fraction of the peak; null when the starting balance is unknown." }), Type.Null()]),
  rewardToRisk: Type.Union([Type.Number({ description: "Average win over average loss." }), Type.Null()]),
  slComplianceRate: NullableNumber,
  performanceScore: Type.Union([Type.Number({ description: "The score (0–100) at the period's end." }), Type.Null()]),
  scoreUncertainty: NullableNumber,
  computedAt: Type.String(),
});

const LeaderboardEntry = Type.Object({
  id: Type.String(),
  name: Type.String(),
  source: Type.String(),
  isDemo: Type.Boolean(),
  own: Type.Boolean(),
  score: Type.Union([Type.Number({ description: "The score now, as SRM's decisions see it (idle decay applied)." }), Type.Null()]),
  uncertainty: NullableNumber,
  interval: Type.Union([Type.Array(Type.Number(), { minItems: 2, maxItems: 2, description: "90% credible interval." }), Type.Null()]),
  mature: Type.Boolean(),
  maturity: Type.Union([Type.Object({ trades: Type.Integer(), minTrades: Type.Integer(), weeks: Type.Number(), minWeeks: Type.Number() }), Type.Null()]),
  tradeCount: Type.Integer(),
  lastTradeAt: Type.Union([Type.String(), Type.Null()]),
  lifetime: Type.Union([MetricsView, Type.Null()]),
  last30Days: Type.Union([MetricsView, Type.Null()]),
});

const PublishBody = Type.Object(
  {
    masterAccountId: Type.String({ format: "uuid", description: "Your account whose trades followers copy." }),
    name: Type.String({ minLength: 1, maxLength: 100 }),
  },
  { additionalProperties: false },
);

const Published = Type.Object({
  id: Type.String(),
  name: Type.String(),
  masterAccountId: Type.String(),
  source: Type.Literal("ACCOUNT"),
  isDemo: Type.Boolean({ description: "A paper account: its fills are simulated." }),
  score: Type.Union([Type.Number({ description: "Scored from the account's closed trades so far." }), Type.Null()]),
  scoreUncertainty: NullableNumber,
  tradeCount: Type.Integer(),
  createdAt: Type.String(),
});

/**
 * Signal providers: the leaderboard (house providers and published accounts for everyone, your own for you),
 * publishing an account, and a provider's metrics for its owner.
 */
export const providerRoutes: FastifyPluginAsyncTypebox<{ container: Container }> = async (app, { container }) => {
  const prisma = container.db.prisma;
  const common = { tags: ["providers"], security: [{ bearer: [] }] };
  app.addHook("preHandler", app.authenticate);

  app.get(
    "/providers",
    {
      schema: {
        ...common,
        summary: "Provider leaderboard: score now, uncertainty, maturity and key lifetime and 30-day metrics, best first",
        querystring: Type.Object(
          {
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
            includeDemo: Type.Boolean({ default: true, description: "Demo accounts fill without slippage, so their records flatter them." }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(LeaderboardEntry), ...errorResponses(400, 401) },
      },
    },
    async (req) => providerLeaderboard(prisma, req.actor, container.clock.now(), { limit: req.query.limit, includeDemo: req.query.includeDemo }),
  );

  app.post(
    "/providers",
    {
      schema: {
        ...common,
        summary: "Publish one of your accounts as a signal provider: on the leaderboard for everyone, followable by copy links",
        body: PublishBody,
        response: { 201: Published, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (req, reply) => reply.code(201).send(await publishProvider(prisma, container.audit, req.actor, req.body, req.ip)),
  );

  app.get(
    "/providers/:id/metrics",
    {
      schema: {
        ...common,
        summary: "A provider's stored metrics per period, newest first (owner or admin)",
        params: IdParams,
        querystring: Type.Object({ periodType: Type.Optional(PeriodType), limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) }, { additionalProperties: false }),
        response: { 200: Type.Array(MetricsView), ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => providerMetricRows(prisma, req.actor, req.params.id, { periodType: req.query.periodType, limit: req.query.limit }),
  );
};
