import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyRequest } from "fastify";
import { Type } from "typebox";
import type { Container } from "../../app/container.ts";
import { experimentReport } from "../../notebooks/index.ts";
import type { Experiment, ExperimentInput, ExperimentStatus } from "../../srm/experiments/index.ts";
import { errorResponses, IdParams } from "../schemas.ts";

const Arm = Type.Object(
  {
    policy: Type.Optional(Type.Record(Type.String(), Type.Number(), { description: "SRM policy settings this arm overrides, e.g. { \"maxSlippageP90Pips\": 3 }." })),
    modelVersions: Type.Optional(Type.Record(Type.String(), Type.String({ minLength: 1, maxLength: 64 }), { description: "Model versions this arm pins, e.g. { \"slippage\": \"20261101…\" }." })),
  },
  { additionalProperties: false },
);

const CreateExperiment = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    control: Type.Optional(Arm),
    treatment: Arm,
    pilotShare: Type.Number({ description: "Share of the population in treatment, in (0, 0.5]; 0.1–0.2 is typical." }),
    metrics: Type.Optional(Type.Array(Type.String(), { maxItems: 4, description: "pnl_per_trade, max_drawdown, stop_out_count, slippage; the first is primary." })),
    minSamplePerArm: Type.Optional(Type.Integer({ description: "Observations of the primary metric each arm needs before any verdict." })),
    accountIds: Type.Optional(Type.Array(Type.String(), { maxItems: 10_000, description: "The population; omit for all accounts." })),
  },
  { additionalProperties: false },
);

const NullableString = Type.Union([Type.String(), Type.Null()]);
const ExperimentView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: NullableString,
  status: Type.String(),
  control: Type.Unknown(),
  treatment: Type.Unknown(),
  pilotShare: Type.Number(),
  metrics: Type.Array(Type.String()),
  minSamplePerArm: Type.Integer(),
  accountIds: Type.Union([Type.Array(Type.String()), Type.Null()]),
  createdById: NullableString,
  createdAt: Type.String(),
  startedAt: NullableString,
  stoppedAt: NullableString,
  shippedAt: NullableString,
  evaluation: Type.Optional(Type.Unknown({ description: "Per-metric comparison, sample-ratio check and recommendation (ship, keep_running, stop)." })),
});

function view(e: Experiment, evaluation?: unknown) {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    ...e,
    createdAt: e.createdAt.toISOString(),
    startedAt: iso(e.startedAt),
    stoppedAt: iso(e.stoppedAt),
    shippedAt: iso(e.shippedAt),
    ...(evaluation === undefined ? {} : { evaluation }),
  };
}

const actor = (req: FastifyRequest) => ({ userId: req.actor.id, ip: req.ip });

/** A/B experiments on the SRM policy: admins create, start, stop and ship; quants and admins read. */
export const experimentRoutes: FastifyPluginAsyncTypebox<{ container: Container }> = async (app, { container }) => {
  const svc = container.experiments;
  const common = { tags: ["experiments"], security: [{ bearer: [] }] };
  const readers = app.requireRole("QUANT", "ADMIN");
  const admins = app.requireRole("ADMIN");
  app.addHook("preHandler", app.authenticate);

  app.post(
    "/admin/experiments",
    { preHandler: admins, schema: { ...common, summary: "Create an experiment (DRAFT)", body: CreateExperiment, response: { 201: ExperimentView, ...errorResponses(400, 401, 403, 409) } } },
    async (req, reply) => reply.code(201).send(view(await svc.create(req.body as ExperimentInput, actor(req)))),
  );

  app.get(
    "/admin/experiments",
    {
      preHandler: readers,
      schema: {
        ...common,
        summary: "Experiments, newest first",
        querystring: Type.Object(
          {
            status: Type.Optional(Type.Union(["DRAFT", "RUNNING", "STOPPED", "SHIPPED"].map((s) => Type.Literal(s)))),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(ExperimentView), ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => (await svc.list({ status: req.query.status as ExperimentStatus | undefined, limit: req.query.limit })).map((e) => view(e)),
  );

  app.get(
    "/admin/experiments/:id",
    { preHandler: readers, schema: { ...common, summary: "One experiment with its evaluation", params: IdParams, response: { 200: ExperimentView, ...errorResponses(400, 401, 403, 404) } } },
    async (req) => {
      const e = await svc.get(req.params.id);
      return view(e, await svc.evaluate(e));
    },
  );

  app.get(
    "/admin/experiments/:id/report",
    { preHandler: readers, schema: { ...common, summary: "The experiment report (HTML with charts) for the dashboard", params: IdParams, response: { 200: Type.String(), ...errorResponses(400, 401, 403, 404) } } },
    async (req, reply) => {
      const e = await svc.get(req.params.id);
      return reply.type("text/html; charset=utf-8").send(await experimentReport(e, await svc.evaluate(e)));
    },
  );

  const transition = (path: string, summary: string, act: (id: string, req: FastifyRequest) => Promise<Experiment>) =>
    app.post(`/admin/experiments/:id/${path}`, { preHandler: admins, schema: { ...common, summary, params: IdParams, response: { 200: ExperimentView, ...errorResponses(400, 401, 403, 404, 409) } } }, async (req) =>
      view(await act((req.params as { id: string }).id, req)),
    );
  transition("start", "Start a DRAFT experiment (refused when its population overlaps a running one)", (id, req) => svc.start(id, actor(req)));
  transition("stop", "Stop a running experiment; every account returns to the default policy", (id, req) => svc.stop(id, actor(req)));

  app.post(
    "/admin/experiments/:id/ship",
    {
      preHandler: admins,
      schema: {
        ...common,
        summary: "Make the treatment the default policy for every account (audited); refused unless the evaluation says ship, or ?force=true",
        params: IdParams,
        querystring: Type.Object({ force: Type.Boolean({ default: false, description: "Ship although the evaluation does not recommend it." }) }, { additionalProperties: false }),
        response: { 200: ExperimentView, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => view(await svc.ship(req.params.id, actor(req), { force: req.query.force })),
  );
};
