import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import type { Container } from "../../app/container.ts";
import { errorResponses } from "../schemas.ts";

const AuditEntryView = Type.Object({
  id: Type.String(),
  actorUserId: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Type.String(),
  createdAt: Type.String(),
});

/** Admin-only views. */
export const adminRoutes: FastifyPluginAsyncTypebox<{ container: Container }> = async (app, { container }) => {
  app.addHook("preHandler", app.authenticate);
  app.addHook("preHandler", app.requireRole("ADMIN"));

  app.get(
    "/admin/audit-log",
    {
      schema: {
        tags: ["admin"],
        summary: "Most recent audit entries",
        security: [{ bearer: [] }],
        querystring: Type.Object(
          {
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
            entityType: Type.Optional(Type.String({ maxLength: 64 })),
            entityId: Type.Optional(Type.String({ maxLength: 64 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(AuditEntryView), ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => {
      const rows = await container.db.prisma.auditLog.findMany({
        where: { entityType: req.query.entityType, entityId: req.query.entityId },
        orderBy: { createdAt: "desc" },
        take: req.query.limit,
      });
      return rows.map((r) => ({ id: r.id, actorUserId: r.actorUserId, action: r.action, entityType: r.entityType, entityId: r.entityId, createdAt: r.createdAt.toISOString() }));
    },
  );
};
