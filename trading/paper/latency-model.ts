import { invalid } from "../../core/index.ts";

/**
 * How long a market request takes from our call to the venue's matching, in ms: a fixed delay, or a seeded
 * log-normal given by its median and 95th percentile (a right-skewed shape like real order round trips).
 */
export type LatencySpec =
  | { kind: "fixed"; ms: number }
  | { kind: "lognormal"; medianMs: number; p95Ms: number; seed: number; maxMs?: number };

/** The standard normal's 95th percentile. */
const Z95 = 1.6448536269514722;

/** Checks a latency spec once, at construction, naming the offending field. */
export function validateLatencySpec(spec: LatencySpec): LatencySpec {
  if (spec.kind === "fixed") {
    if (!Number.isInteger(spec.ms) || spec.ms < 0) throw invalid("latency.ms", "must be a non-negative integer");
    return spec;
  }
  if (spec.kind !== "lognormal") throw invalid("latency.kind", `unknown latency model ${(spec as { kind: string }).kind}`);
  if (!(spec.medianMs > 0)) throw invalid("latency.medianMs", "must be positive");
  if (!(spec.p95Ms >= spec.medianMs)) throw invalid("latency.p95Ms", "must be at least the median");
  if (!Number.isInteger(spec.seed)) throw invalid("latency.seed", "must be an integer");
  if (spec.maxMs !== undefined && !(spec.maxMs >= spec.medianMs)) throw invalid("latency.maxMs", "must be at least the median");
  return spec;
}

/**
 * Draws request latencies. The generator (mulberry32) keeps its whole state in one 32-bit integer, so a venue
 * snapshot resumes the exact sequence and the same orders get the same latencies, run after run.
 */
export class LatencyModel {
  readonly spec: LatencySpec;
  #state: number;

  constructor(spec: LatencySpec, state?: number) {
    this.spec = validateLatencySpec(spec);
    this.#state = state ?? (spec.kind === "lognormal" ? spec.seed >>> 0 : 0);
  }

  /** The generator state to store in a snapshot. */
  get state(): number {
    return this.#state;
  }

  /** The next latency in whole milliseconds. */
  draw(): number {
    const spec = this.spec;
    if (spec.kind === "fixed") return spec.ms;
    const mu = Math.log(spec.medianMs);
    const sigma = (Math.log(spec.p95Ms) - mu) / Z95;
    // Box–Muller with two fresh uniforms per draw, so the state never holds a cached spare value.
    const u1 = 1 - this.#uniform();
    const u2 = this.#uniform();
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    const ms = Math.round(Math.exp(mu + sigma * z));
    return spec.maxMs === undefined ? ms : Math.min(ms, spec.maxMs);
  }

  #uniform(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}
