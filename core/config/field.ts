/** One environment variable: its name, meaning, default and parser. Declared beside the code that owns it. */
export interface Field<T> {
  readonly env: string;
  readonly description: string;
  readonly default: T | undefined;
  /** Secrets are never logged, never hashed into model metadata and never echoed in errors. */
  readonly secret: boolean;
  parse(raw: string): T;
}

/** A named group of fields, e.g. the API's or SRM's configuration. */
export type Section = Record<string, Field<unknown>>;

export type SectionValue<S extends Section> = {
  readonly [K in keyof S]: S[K] extends Field<infer T> ? T : never;
};

interface Common<T> {
  default?: T;
  secret?: boolean;
}

function make<T>(env: string, description: string, opts: Common<T>, parse: (raw: string) => T): Field<T> {
  return { env, description, default: opts.default, secret: opts.secret ?? false, parse };
}

function numeric(raw: string, integer: boolean, min?: number, max?: number): number {
  const n = Number(raw.trim());
  if (raw.trim() === "" || !Number.isFinite(n)) throw new Error(`expected a number, got "${raw}"`);
  if (integer && !Number.isInteger(n)) throw new Error(`expected an integer, got "${raw}"`);
  if (min !== undefined && n < min) throw new Error(`must be at least ${min}, got ${n}`);
  if (max !== undefined && n > max) throw new Error(`must be at most ${max}, got ${n}`);
  return n;
}

/** Field builders: each validates its raw string and says what was expected. */
export const field = {
  string(env: string, description: string, opts: Common<string> & { pattern?: RegExp } = {}): Field<string> {
    return make(env, description, opts, (raw) => {
      if (opts.pattern && !opts.pattern.test(raw)) throw new Error(`does not match ${opts.pattern}`);
      return raw;
    });
  },
  optionalString(env: string, description: string, opts: { secret?: boolean } = {}): Field<string | undefined> {
    return { env, description, default: undefined, secret: opts.secret ?? false, parse: (raw) => (raw === "" ? undefined : raw) };
  },
  int(env: string, description: string, opts: Common<number> & { min?: number; max?: number } = {}): Field<number> {
    return make(env, description, opts, (raw) => numeric(raw, true, opts.min, opts.max));
  },
  number(env: string, description: string, opts: Common<number> & { min?: number; max?: number } = {}): Field<number> {
    return make(env, description, opts, (raw) => numeric(raw, false, opts.min, opts.max));
  },
  bool(env: string, description: string, opts: Common<boolean> = {}): Field<boolean> {
    return make(env, description, opts, (raw) => {
      const v = raw.trim().toLowerCase();
      if (["1", "true", "yes", "on"].includes(v)) return true;
      if (["0", "false", "no", "off", ""].includes(v)) return false;
      throw new Error(`expected true/false, got "${raw}"`);
    });
  },
  oneOf<const V extends string>(env: string, description: string, values: readonly V[], opts: Common<V> = {}): Field<V> {
    return make(env, description, opts, (raw) => {
      if (!(values as readonly string[]).includes(raw)) throw new Error(`expected one of ${values.join(", ")}, got "${raw}"`);
      return raw as V;
    });
  },
  url(env: string, description: string, protocols: string[], opts: Common<string | undefined> = {}): Field<string | undefined> {
    return make(env, description, opts, (raw) => {
      if (raw === "") return undefined;
      let u: URL;
      try {
        u = new URL(raw);
      } catch {
        throw new Error("is not a valid URL");
      }
      if (!protocols.includes(u.protocol.replace(/:$/, ""))) throw new Error(`protocol must be one of ${protocols.join(", ")}`);
      return raw;
    });
  },
};
