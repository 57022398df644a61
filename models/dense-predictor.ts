import { invalid } from "../core/index.ts";
import type { QuantilePredictor } from "./model-family.ts";
import type { Standardiser, TargetScale } from "./standardiser.ts";

/** One fully connected layer; `kernel` is inputs×units row-major, as tfjs `getWeights()` returns it. */
export interface DenseLayer {
  kernel: Float32Array;
  bias: Float32Array;
  inputs: number;
  units: number;
  activation: "relu" | "linear";
}

/** Everything a dense quantile model needs at serve time. */
export interface DenseSpec {
  familyId: string;
  quantiles: number[];
  featureNames: string[];
  standardiser: Standardiser;
  layers: DenseLayer[];
  head: "softplus-gaps" | "sorted";
  target: TargetScale;
}

/** ln(1 + eˣ) without overflow; the gap between consecutive quantiles, so it must never be negative. */
function softplus(x: number): number {
  return x > 30 ? x : Math.log1p(Math.exp(x));
}

/** Throws `CORE_ERR_INVALID` when the layer shapes, standardiser or target scale do not fit together. */
export function validateDenseSpec(spec: DenseSpec): void {
  const d = spec.featureNames.length;
  if (spec.standardiser.mean.length !== d || spec.standardiser.scale.length !== d) {
    throw invalid("standardiser", `must have ${d} means and scales`);
  }
  if (!(spec.target.scale > 0) || !Number.isFinite(spec.target.shift)) throw invalid("target", "scale must be positive and shift finite");
  const last = spec.layers[spec.layers.length - 1];
  if (!last || last.units !== spec.quantiles.length) throw invalid("layers", "the last layer must have one unit per quantile");
  spec.layers.forEach((l, i) => {
    const inputs = i === 0 ? d : (spec.layers[i - 1] as DenseLayer).units;
    if (l.inputs !== inputs || l.kernel.length !== l.inputs * l.units || l.bias.length !== l.units) {
      throw invalid(`layers[${i}]`, `shape does not match (inputs ${l.inputs}, units ${l.units})`);
    }
  });
}

/** The typed-array forward pass over exported weights: ~µs per row, no tfjs, scratch buffers allocated once. */
export class DensePredictor implements QuantilePredictor {
  readonly quantiles: readonly number[];
  readonly d: number;
  readonly spec: DenseSpec;
  private readonly z: Float64Array;
  private readonly acts: Float64Array[];

  constructor(spec: DenseSpec) {
    validateDenseSpec(spec);
    this.spec = spec;
    this.quantiles = Object.freeze([...spec.quantiles]);
    this.d = spec.featureNames.length;
    this.z = new Float64Array(this.d);
    this.acts = spec.layers.map((l) => new Float64Array(l.units));
  }

  predictInto(row: ArrayLike<number>, out: Float64Array): void {
    if (row.length !== this.d) throw invalid("row", `has ${row.length} values, expected d = ${this.d}`);
    if (out.length < this.quantiles.length) throw invalid("out", `has room for ${out.length} values, needs ${this.quantiles.length}`);
    this.forward(row, 0, out, 0);
  }

  predictBatch(X: ArrayLike<number>, n: number): Float64Array {
    if (!Number.isInteger(n) || n < 0 || X.length !== n * this.d) {
      throw invalid("X", `has ${X.length} values, expected n×d = ${n}×${this.d}`);
    }
    const q = this.quantiles.length;
    const out = new Float64Array(n * q);
    for (let r = 0; r < n; r++) this.forward(X, r * this.d, out, r * q);
    return out;
  }

  private forward(src: ArrayLike<number>, at: number, out: Float64Array, outAt: number): void {
    const { mean, scale } = this.spec.standardiser;
    const z = this.z;
    for (let i = 0; i < this.d; i++) {
      const v = src[at + i] as number;
      if (!Number.isFinite(v)) throw invalid("row", `column ${i} (${this.spec.featureNames[i]}) is ${v}`, { column: i });
      z[i] = (v - (mean[i] as number)) / (scale[i] as number);
    }
    let input: Float64Array = z;
    for (let l = 0; l < this.spec.layers.length; l++) {
      const layer = this.spec.layers[l] as DenseLayer;
      const act = this.acts[l] as Float64Array;
      const { kernel, bias, units } = layer;
      for (let j = 0; j < units; j++) act[j] = bias[j] as number;
      // Row-major kernel: walking outputs innermost keeps memory access contiguous.
      for (let i = 0; i < layer.inputs; i++) {
        const a = input[i] as number;
        if (a === 0) continue;
        const base = i * units;
        for (let j = 0; j < units; j++) act[j] = (act[j] as number) + a * (kernel[base + j] as number);
      }
      if (layer.activation === "relu") for (let j = 0; j < units; j++) if ((act[j] as number) < 0) act[j] = 0;
      input = act;
    }
    this.head(input, out, outAt);
  }

  private head(raw: Float64Array, out: Float64Array, at: number): void {
    const { shift, scale } = this.spec.target;
    const q = this.quantiles.length;
    if (this.spec.head === "softplus-gaps") {
      let acc = raw[0] as number;
      out[at] = shift + scale * acc;
      for (let k = 1; k < q; k++) {
        acc += softplus(raw[k] as number);
        out[at + k] = shift + scale * acc;
      }
      return;
    }
    // "sorted": independent per-quantile fits are rearranged, which never increases pinball loss.
    for (let k = 0; k < q; k++) {
      const v = shift + scale * (raw[k] as number);
      let m = k;
      while (m > 0 && (out[at + m - 1] as number) > v) {
        out[at + m] = out[at + m - 1] as number;
        m--;
      }
      out[at + m] = v;
    }
  }
}
