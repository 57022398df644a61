import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Registry } from "prom-client";
import { Type } from "typebox";
import type { Container } from "../../app/container.ts";

const Check = Type.Object({ status: Type.Union([Type.Literal("ok"), Type.Literal("failed"), Type.Literal("not_configured")]), error: Type.Optional(Type.String()) });

/** Liveness, readiness (database and, when configured, Redis) and Prometheus metrics. */
export const healthRoutes: FastifyPluginAsyncTypebox<{ container: Container; metrics: Registry }> = async (app, { container, metrics }) => {
  app.get("/healthz", { schema: { tags: ["health"], summary: "Liveness", response: { 200: Type.Object({ status: Type.Literal("ok") }) } } }, async () => ({
    status: "ok" as const,
  }));

  app.get(
    "/healthz/authenticated",
    {
      preHandler: app.authenticate,
      schema: {
        tags: ["health"],
        summary: "Liveness behind authentication (checks a token end to end)",
        security: [{ bearer: [] }],
        response: { 200: Type.Object({ status: Type.Literal("ok"), userId: Type.String() }) },
      },
    },
    async (req) => ({ status: "ok" as const, userId: req.actor.id }),
  );

  app.get(
    "/readyz",
    {
      schema: {
        tags: ["health"],
        summary: "Readiness: database and Redis reachable",
        response: { 200: Type.Object({ status: Type.String(), database: Check, redis: Check }), 503: Type.Object({ status: Type.String(), database: Check, redis: Check }) },
      },
    },
    async (_req, reply) => {
      const { checks } = container;
      const [database, redis] = await Promise.all([
        probe(checks.database),
        checks.redis ? probe(checks.redis) : Promise.resolve({ status: "not_configured" as const }),
      ]);
      const ok = database.status === "ok" && redis.status !== "failed";
      return reply.code(ok ? 200 : 503).send({ status: ok ? "ok" : "failed", database, redis });
    },
  );

  app.get("/metrics", { schema: { hide: true } }, async (_req, reply) => {
    reply.header("content-type", metrics.contentType);
    return metrics.metrics();
  });
};

async function probe(fn: () => Promise<unknown>): Promise<{ status: "ok" | "failed"; error?: string }> {
  try {
    await fn();
    return { status: "ok" };
  } catch (err) {
    return { status: "failed", error: (err as Error).message };
  }
}
