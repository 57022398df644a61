/**
 * Errors are named for what happens next. Each kind maps once to an HTTP status (in `api/`) and once to a
 * job outcome (in `jobs/`); codes are stable strings (`SRM_ERR_…`, `TRD_ERR_…`) that are never reused.
 */
export type ErrorKind =
  | "invalid"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "rate_limited"
  | "transient"
  | "fatal"
  | "internal";

/** A registered error code with its kind and a one-line description (the documentation test reads these). */
export interface ErrorCodeSpec {
  kind: ErrorKind;
  description: string;
}

const registry = new Map<string, ErrorCodeSpec>();

/** Registers an area's error codes; a code can be declared only once in the whole service. */
export function defineErrorCodes<const T extends Record<string, ErrorCodeSpec>>(codes: T): { [K in keyof T]: K } {
  const out = {} as { [K in keyof T]: K };
  for (const [code, spec] of Object.entries(codes)) {
    if (!/^[A-Z]+_ERR_[A-Z0-9_]+$/.test(code)) throw new Error(`error code ${code} must look like AREA_ERR_NAME`);
    const existing = registry.get(code);
    if (existing && existing.description !== spec.description) throw new Error(`error code ${code} declared twice`);
    registry.set(code, spec);
    (out as Record<string, string>)[code] = code;
  }
  return out;
}

/** Every error code registered so far, for documentation and tests. */
export function registeredErrorCodes(): ReadonlyMap<string, ErrorCodeSpec> {
  return registry;
}

/** The one error type the service throws across boundaries. */
export class RiskloopError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    const spec = registry.get(code);
    if (!spec) throw new Error(`unregistered error code ${code}: ${message}`);
    this.name = "RiskloopError";
    this.code = code;
    this.kind = spec.kind;
    this.details = details;
  }
}

export const CoreErrors = defineErrorCodes({
  CORE_ERR_CONFIG: { kind: "fatal", description: "A configuration variable is missing or invalid; the service cannot start." },
  CORE_ERR_INVALID: { kind: "invalid", description: "Input failed validation; details name the field." },
  CORE_ERR_NOT_FOUND: { kind: "not_found", description: "The requested resource does not exist or is not visible to the caller." },
  CORE_ERR_CONFLICT: { kind: "conflict", description: "The request conflicts with the current state (duplicate or concurrent change)." },
  CORE_ERR_UNAUTHENTICATED: { kind: "unauthenticated", description: "Missing, malformed or expired credentials." },
  CORE_ERR_FORBIDDEN: { kind: "forbidden", description: "The caller's role does not allow this action." },
  CORE_ERR_RATE_LIMITED: { kind: "rate_limited", description: "Too many requests; retry after the indicated delay." },
  CORE_ERR_UNAVAILABLE: { kind: "transient", description: "A dependency (database, Redis, broker) is temporarily unavailable." },
  CORE_ERR_INTERNAL: { kind: "internal", description: "An unexpected failure; the request was not applied." },
  CORE_ERR_VAULT: { kind: "fatal", description: "A secret could not be encrypted or decrypted (missing or wrong key)." },
});

/** Shorthand for the most common boundary error: a named field is invalid. */
export function invalid(field: string, message: string, details?: Record<string, unknown>): RiskloopError {
  return new RiskloopError(CoreErrors.CORE_ERR_INVALID, `${field}: ${message}`, { field, ...details });
}

export function notFound(what: string, id?: string): RiskloopError {
  return new RiskloopError(CoreErrors.CORE_ERR_NOT_FOUND, id ? `${what} ${id} not found` : `${what} not found`, { resource: what });
}
