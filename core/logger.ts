import { pino, type Logger, type DestinationStream } from "pino";

export type { Logger };

/** Field names whose values are replaced by "[redacted]" wherever they appear (up to three levels deep). */
export const SECRET_KEYS = [
  "password",
  "passwordHash",
  "newPassword",
  "token",
  "accessToken",
  "refreshToken",
  "secret",
  "apiKey",
  "credentials",
  "authorization",
  "cookie",
  "investorPassword",
  "ciphertext",
] as const;

const redactPaths = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`]).concat([
  'req.headers["authorization"]',
  'req.headers["cookie"]',
  'req.headers["sec-websocket-protocol"]',
]);

/** Query parameters whose values never reach a log line (browsers pass WebSocket tokens in the URL). */
const SECRET_QUERY = /([?&](?:access_token|token|password|secret|api_key)=)[^&#]*/gi;

/** Removes secret query values from a URL before it is logged. */
export function scrubUrl(url: string): string {
  return url.replace(SECRET_QUERY, "$1[redacted]");
}

interface LoggableRequest {
  method?: string;
  url?: string;
  id?: string;
  ip?: string;
  routeOptions?: { url?: string };
}

function serializeRequest(req: LoggableRequest) {
  return { id: req.id, method: req.method, url: req.url ? scrubUrl(req.url) : undefined, route: req.routeOptions?.url, ip: req.ip };
}

export interface LoggerOptions {
  level?: string;
  /** Where log lines go; defaults to stdout. Tests pass a capturing stream. */
  destination?: DestinationStream;
  /** Log to stderr, so a command's stdout carries only its output (e.g. JSON). */
  stderr?: boolean;
  name?: string;
}

/** The service logger: JSON lines, secrets redacted by key. */
export function createLogger(opts: LoggerOptions = {}): Logger {
  return pino(
    {
      name: opts.name ?? "riskloop",
      level: opts.level ?? "info",
      redact: { paths: redactPaths, censor: "[redacted]" },
      serializers: { req: serializeRequest, err: pino.stdSerializers.err },
      base: undefined,
    },
    opts.destination ?? (opts.stderr ? pino.destination(2) : undefined),
  );
}
