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

export interface LoggerOptions {
  level?: string;
  /** Where log lines go; defaults to stdout. Tests pass a capturing stream. */
  destination?: DestinationStream;
  name?: string;
}

/** The service logger: JSON lines, secrets redacted by key. */
export function createLogger(opts: LoggerOptions = {}): Logger {
  return pino(
    {
      name: opts.name ?? "riskloop",
      level: opts.level ?? "info",
      redact: { paths: redactPaths, censor: "[redacted]" },
      base: undefined,
    },
    opts.destination,
  );
}
