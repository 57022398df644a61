import fastifyJwt from "@fastify/jwt";
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from "fastify";
import fp from "fastify-plugin";
import { CoreErrors, RiskloopError, type Actor, type Role } from "../../core/index.ts";
import type { UserService } from "../../app/users.ts";

declare module "fastify" {
  interface FastifyRequest {
    actor: Actor;
  }
  interface FastifyInstance {
    /** preHandler: verifies the bearer token and sets `req.actor`; 401 otherwise. */
    authenticate: preHandlerAsyncHookHandler;
    /** preHandler factory: 403 unless the actor has one of the roles. */
    requireRole(...roles: Role[]): preHandlerAsyncHookHandler;
    issueAccessToken(actor: Actor): string;
  }
}

declare module "@fastify/jwt" {
  interface FastifyJWT {
    payload: { sub: string; role: Role; plan: string };
    user: { sub: string; role: Role; plan: string };
  }
}

export interface AuthOptions {
  secret: string;
  ttlSeconds: number;
  users: UserService;
}

const unauthenticated = () => new RiskloopError(CoreErrors.CORE_ERR_UNAUTHENTICATED, "missing, malformed or expired access token");

/** Bearer-token authentication with short-lived JWTs; the user's current state is re-checked (cached). */
export const authPlugin = fp(async (app: FastifyInstance, opts: AuthOptions) => {
  // Verified tokens are cached (fast-jwt honours their expiry), so each request does not recompute the HMAC.
  await app.register(fastifyJwt, { secret: opts.secret, sign: { expiresIn: opts.ttlSeconds }, verify: { cache: 10_000 } });
  app.decorateRequest("actor", null as unknown as Actor);

  app.decorate("issueAccessToken", (actor: Actor) => app.jwt.sign({ sub: actor.id, role: actor.role, plan: actor.plan }));

  app.decorate("authenticate", async (req: FastifyRequest) => {
    const token = bearerToken(req);
    if (!token) throw unauthenticated();
    let payload: { sub: string };
    try {
      payload = app.jwt.verify<{ sub: string }>(token);
    } catch {
      throw unauthenticated();
    }
    const actor = await opts.users.actor(payload.sub);
    if (!actor) throw unauthenticated();
    req.actor = actor;
  });

  app.decorate("requireRole", (...roles: Role[]) => async (req: FastifyRequest, _reply: FastifyReply) => {
    if (!roles.includes(req.actor.role)) {
      throw new RiskloopError(CoreErrors.CORE_ERR_FORBIDDEN, `requires role ${roles.join(" or ")}`);
    }
  });
});

/** The token from `Authorization: Bearer …`, or from `?access_token=` (browsers cannot set WebSocket headers). */
export function bearerToken(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  if (header) {
    const m = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header);
    return m?.[1];
  }
  const q = (req.query as Record<string, unknown> | undefined)?.access_token;
  return typeof q === "string" ? q : undefined;
}
