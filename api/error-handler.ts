import type { FastifyError, FastifyInstance } from "fastify";
import { CoreErrors, RiskloopError, type ErrorKind } from "../core/index.ts";

/** The one mapping from error kind to HTTP status. */
export const STATUS_BY_KIND: Readonly<Record<ErrorKind, number>> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  transient: 503,
  fatal: 500,
  internal: 500,
};

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

function body(code: string, message: string, details?: Record<string, unknown>): ErrorBody {
  return { error: details ? { code, message, details } : { code, message } };
}

interface AjvIssue {
  instancePath: string;
  message?: string;
  params?: { missingProperty?: string; additionalProperty?: string };
}

/** Turns an ajv issue into the dotted name of the offending field, e.g. `body.rules.maxLot`. */
function fieldOf(context: string, issue: AjvIssue): string {
  const path = issue.instancePath.split("/").filter(Boolean);
  const extra = issue.params?.missingProperty ?? issue.params?.additionalProperty;
  if (extra) path.push(extra);
  return [context, ...path].join(".");
}

/** Installs the error shape `{ error: { code, message, details? } }` for every failure, including 404s. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send(body(CoreErrors.CORE_ERR_NOT_FOUND, `route ${req.method} ${req.url.split("?")[0]} not found`));
  });

  app.setErrorHandler((err: FastifyError & { validation?: AjvIssue[]; validationContext?: string }, req, reply) => {
    if (err instanceof RiskloopError) {
      const status = STATUS_BY_KIND[err.kind];
      if (status >= 500) req.log.error({ err }, "request failed");
      return reply.code(status).send(body(err.code, err.message, err.details));
    }
    if (err.validation) {
      const context = err.validationContext ?? "request";
      const issues = err.validation.map((i) => ({ field: fieldOf(context, i), message: i.message ?? "is invalid" }));
      const first = issues[0]!;
      const message = first.message.includes("additional properties") ? `${first.field} is not allowed` : `${first.field} ${first.message}`;
      return reply.code(400).send(body(CoreErrors.CORE_ERR_INVALID, message, { field: first.field, issues }));
    }
    const status = err.statusCode ?? 500;
    if (status === 429) return reply.code(429).send(body(CoreErrors.CORE_ERR_RATE_LIMITED, err.message));
    if (err.code?.startsWith("FST_JWT") || err.code === "FST_ERR_UNAUTHORIZED") {
      return reply.code(401).send(body(CoreErrors.CORE_ERR_UNAUTHENTICATED, "missing, malformed or expired access token"));
    }
    if (status === 413) return reply.code(413).send(body(CoreErrors.CORE_ERR_INVALID, "request body is too large", { field: "body" }));
    if (status >= 400 && status < 500) {
      return reply.code(status).send(body(CoreErrors.CORE_ERR_INVALID, err.message, { field: "body" }));
    }
    req.log.error({ err }, "unexpected error");
    return reply.code(500).send(body(CoreErrors.CORE_ERR_INTERNAL, "internal error; the request was not applied"));
  });
}
