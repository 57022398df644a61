import { field } from "../core/index.ts";

/** HTTP and WebSocket settings. */
export const apiConfig = {
  host: field.string("API_HOST", "Interface the API listens on.", { default: "127.0.0.1" }),
  port: field.int("API_PORT", "Port the API listens on.", { default: 8080, min: 0, max: 65535 }),
  jwtSecret: field.optionalString(
    "API_JWT_SECRET",
    "Secret that signs access tokens (at least 32 characters). Required with DATABASE_URL; the embedded default keeps a generated one under RISKLOOP_HOME.",
    { secret: true },
  ),
  accessTokenTtlSeconds: field.int("API_ACCESS_TOKEN_TTL_SECONDS", "Lifetime of an access token.", { default: 900, min: 60, max: 86_400 }),
  rateLimitPerMinute: field.int("API_RATE_LIMIT_PER_MINUTE", "Requests per minute per caller (user, else IP), counted across all API processes when REDIS_URL is set.", {
    default: 1200,
    min: 1,
  }),
  authRateLimitPerMinute: field.int("API_AUTH_RATE_LIMIT_PER_MINUTE", "Login and register attempts per minute per IP (across all API processes with REDIS_URL).", {
    default: 10,
    min: 1,
  }),
  bodyLimitBytes: field.int("API_BODY_LIMIT_BYTES", "Largest accepted request body.", { default: 262_144, min: 1024 }),
  docs: field.bool("API_DOCS", "Serve the OpenAPI document and UI at /docs.", { default: true }),
};
