import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import type { Container } from "../../app/container.ts";
import { errorResponses } from "../schemas.ts";

const DriftReportView = Type.Object({
  id: Type.String(),
  modelKind: Type.String(),
  modelVersionId: Type.Union([Type.String(), Type.Null()]),
  windowStart: Type.String(),
  windowEnd: Type.String(),
  referenceRows: Type.Integer(),
  currentRows: Type.Integer(),
  drifted: Type.Boolean(),
  driftedShare: Type.Number(),
  features: Type.Unknown({ description: "Per column: detector, statistic, p-value, threshold, verdict, sizes and missing shares." }),
  performance: Type.Unknown({ description: "Recent accuracy within 0.5 pip, the reference band, alerts and notes." }),
  createdAt: Type.String(),
});

/** Drift reports of the SRM models, for quants and admins. */
export const driftRoutes: FastifyPluginAsyncTypebox<{ container: Container }> = async (app, { container }) => {
  app.addHook("preHandler", app.authenticate);
  app.addHook("preHandler", app.requireRole("QUANT", "ADMIN"));

  app.get(
    "/srm/drift-reports",
    {
      schema: {
        tags: ["srm"],
        security: [{ bearer: [] }],
        summary: "Drift reports, newest first",
        querystring: Type.Object(
          {
            kind: Type.Optional(Type.String({ pattern: "^[a-z_]{1,32}$", description: "Model kind, e.g. slippage." })),
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(DriftReportView), ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => {
      const rows = await container.db.prisma.driftReport.findMany({ where: { modelKind: req.query.kind }, orderBy: { createdAt: "desc" }, take: req.query.limit });
      return rows.map((r) => ({
        ...r,
        windowStart: r.windowStart.toISOString(),
        windowEnd: r.windowEnd.toISOString(),
        createdAt: r.createdAt.toISOString(),
      }));
    },
  );
};
