import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { CoreErrors, RiskloopError } from "../../core/index.ts";
import type { Container } from "../../app/container.ts";
import { errorResponses } from "../schemas.ts";

const Credentials = Type.Object(
  {
    email: Type.String({ format: "email", maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);

const UserView = Type.Object({
  id: Type.String(),
  email: Type.String(),
  role: Type.String(),
  plan: Type.String(),
  createdAt: Type.String({ format: "date-time" }),
});

const TokenView = Type.Object({
  accessToken: Type.String(),
  tokenType: Type.Literal("Bearer"),
  expiresIn: Type.Integer(),
  user: UserView,
});

/** Registration, login and the caller's own profile. */
export const authRoutes: FastifyPluginAsyncTypebox<{ container: Container }> = async (app, { container }) => {
  const { users, config } = container;
  const ttl = config.value.api.accessTokenTtlSeconds;
  const strict = { rateLimit: { max: config.value.api.authRateLimitPerMinute, timeWindow: "1 minute" } };

  app.post(
    "/auth/register",
    {
      config: strict,
      schema: {
        tags: ["auth"],
        summary: "Create a user account (role USER, plan FREE)",
        body: Credentials,
        response: { 201: UserView, ...errorResponses(400, 409, 429) },
      },
    },
    async (req, reply) => {
      const user = await users.register(req.body);
      await container.audit.record({ actorUserId: user.id, action: "user.register", entityType: "user", entityId: user.id, ip: req.ip });
      return reply.code(201).send({ ...user, createdAt: user.createdAt.toISOString() });
    },
  );

  app.post(
    "/auth/login",
    {
      config: strict,
      schema: {
        tags: ["auth"],
        summary: "Exchange email and password for a short-lived access token",
        body: Credentials,
        response: { 200: TokenView, ...errorResponses(400, 401, 429) },
      },
    },
    async (req) => {
      const user = await users.verifyLogin(req.body.email, req.body.password);
      if (!user) throw new RiskloopError(CoreErrors.CORE_ERR_UNAUTHENTICATED, "email or password is wrong");
      const accessToken = app.issueAccessToken({ id: user.id, role: user.role, plan: user.plan });
      return { accessToken, tokenType: "Bearer" as const, expiresIn: ttl, user: { ...user, createdAt: user.createdAt.toISOString() } };
    },
  );

  app.get(
    "/me",
    {
      preHandler: app.authenticate,
      schema: { tags: ["auth"], summary: "The caller's profile", security: [{ bearer: [] }], response: { 200: UserView, ...errorResponses(401) } },
    },
    async (req) => {
      const user = await users.get(req.actor.id);
      if (!user) throw new RiskloopError(CoreErrors.CORE_ERR_UNAUTHENTICATED, "user no longer exists");
      return { ...user, createdAt: user.createdAt.toISOString() };
    },
  );
};
