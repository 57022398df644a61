import helmet from "@fastify/helmet";
import rateLimit from "@fastify/rate-limit";
import { Redis } from "ioredis";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import websocket from "@fastify/websocket";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Container } from "../app/container.ts";
import { authPlugin, bearerToken } from "./auth/auth.plugin.ts";
import { installErrorHandler } from "./error-handler.ts";
import { installMetrics } from "./metrics.ts";
import { accountRoutes } from "./routes/accounts.routes.ts";
import { adminRoutes } from "./routes/admin.routes.ts";
import { authRoutes } from "./routes/auth.routes.ts";
import { healthRoutes } from "./routes/health.routes.ts";
import { liveFeedRoutes } from "./routes/live-feed.routes.ts";
import { srmRoutes } from "./routes/srm.routes.ts";
import { experimentRoutes } from "./routes/experiments.routes.ts";
import { driftRoutes } from "./routes/drift.routes.ts";
import { marketRoutes } from "./routes/market.routes.ts";
import { analysisRoutes } from "./routes/analysis.routes.ts";
import { tradingRoutes } from "./routes/trading.routes.ts";
import { copyRoutes } from "./routes/copy.routes.ts";
import { jobRoutes } from "./routes/jobs.routes.ts";
import { providerRoutes } from "./routes/providers.routes.ts";
import { ErrorResponse } from "./schemas.ts";

export interface BuildApiOptions {
  /** Request logging (off in benchmarks and most tests). */
  logRequests?: boolean;
}

/** Builds the Fastify app on a container; it never listens by itself (see server.ts). */
export async function buildApi(container: Container, opts: BuildApiOptions = {}): Promise<FastifyInstance> {
  const cfg = container.config.value.api;
  const app = Fastify({
    loggerInstance: container.logger.child({ area: "api" }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: !opts.logRequests }),
    bodyLimit: cfg.bodyLimitBytes,
    trustProxy: false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: "array", useDefaults: true, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addSchema(ErrorResponse);
  installErrorHandler(app);
  const metrics = installMetrics(app);

  await app.register(helmet, { contentSecurityPolicy: false, global: true });
  // With Redis, every API process counts in one store, so N processes do not allow N times the limit.
  const { redisUrl, prefix } = container.config.value.jobs;
  const shared = redisUrl ? new Redis(redisUrl, { connectTimeout: 500, maxRetriesPerRequest: 1, lazyConnect: true }) : undefined;
  if (shared) {
    shared.on("error", (err) => app.log.warn({ err }, "rate-limit store error; requests pass unlimited while Redis is away"));
    app.addHook("onClose", async () => {
      await shared.quit().catch(() => shared.disconnect());
    });
  }
  await app.register(rateLimit, {
    global: true,
    max: cfg.rateLimitPerMinute,
    timeWindow: "1 minute",
    ...(shared ? { redis: shared, nameSpace: `${prefix}:rate-limit:`, skipOnError: true } : {}),
    // Authenticated callers are limited per token subject so users behind one NAT do not share a budget.
    keyGenerator: (req) => {
      const token = bearerToken(req);
      return token ? `t:${token.slice(-24)}` : `ip:${req.ip}`;
    },
  });
  if (cfg.docs) {
    await app.register(swagger, {
      openapi: {
        info: { title: "Riskloop API", version: "0.1.0", description: "Risk engine for copy trading and automated FX/CFD trading." },
        components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } } },
      },
    });
    await app.register(swaggerUi, { routePrefix: "/docs" });
  }
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  await app.register(authPlugin, { secret: container.secrets.jwtSecret, ttlSeconds: cfg.accessTokenTtlSeconds, users: container.users });

  await app.register(healthRoutes, { container, metrics });
  await app.register(authRoutes, { container });
  await app.register(accountRoutes, { container });
  await app.register(adminRoutes, { container });
  await app.register(srmRoutes, { container });
  await app.register(experimentRoutes, { container });
  await app.register(driftRoutes, { container });
  await app.register(marketRoutes, { container });
  await app.register(analysisRoutes, { container });
  await app.register(tradingRoutes, { container });
  await app.register(copyRoutes, { container });
  await app.register(jobRoutes, { container });
  await app.register(providerRoutes, { container });
  await app.register(liveFeedRoutes, { container });

  await app.ready();
  return app;
}
