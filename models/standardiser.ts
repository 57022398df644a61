/** Per-column affine scaling applied before the first layer: z = (x − mean) / scale. */
export interface Standardiser {
  mean: Float64Array;
  scale: Float64Array;
}

/** Column means and standard deviations of row-major X; constant columns get scale 1 so they map to 0. */
export function fitStandardiser(X: ArrayLike<number>, n: number, d: number): Standardiser {
  const mean = new Float64Array(d);
  const scale = new Float64Array(d);
  for (let r = 0; r < n; r++) for (let c = 0; c < d; c++) mean[c] = (mean[c] as number) + (X[r * d + c] as number);
  for (let c = 0; c < d; c++) mean[c] = (mean[c] as number) / n;
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < d; c++) {
      const e = (X[r * d + c] as number) - (mean[c] as number);
      scale[c] = (scale[c] as number) + e * e;
    }
  }
  for (let c = 0; c < d; c++) {
    const sd = Math.sqrt((scale[c] as number) / n);
    scale[c] = sd > 1e-12 ? sd : 1;
  }
  return { mean, scale };
}

/** Writes the standardised copy of row-major X into `out` (Float32, as the network consumes it). */
export function standardiseInto(X: ArrayLike<number>, n: number, s: Standardiser, out: Float32Array): Float32Array {
  const d = s.mean.length;
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < d; c++) {
      const i = r * d + c;
      out[i] = ((X[i] as number) - (s.mean[c] as number)) / (s.scale[c] as number);
    }
  }
  return out;
}

/** Target scaling: models learn (y − shift) / scale, so one learning rate suits pips of any magnitude. */
export interface TargetScale {
  shift: number;
  scale: number;
}

/**
 * Median shift and mean absolute deviation from it: robust to a heavy tail, and non-zero for zero-inflated
 * targets where the median absolute deviation would be 0.
 */
export function fitTargetScale(y: ArrayLike<number>): TargetScale {
  const sorted = Float64Array.from(y).sort();
  const n = sorted.length;
  const mid = n >> 1;
  const shift = n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  let mad = 0;
  for (let i = 0; i < n; i++) mad += Math.abs((sorted[i] as number) - shift);
  mad /= n;
  return { shift, scale: mad > 1e-12 ? mad : 1 };
}

/** Rows as a model trains on them: standardised features and scaled target, both Float32. */
export interface ScaledRows {
  X: Float32Array;
  y: Float32Array;
  n: number;
  d: number;
}

/** Applies a standardiser and target scale to a whole dataset (copies; the dataset is untouched). */
export function scaleRows(ds: { X: Float32Array; y: Float32Array; n: number; d: number }, s: Standardiser, t: TargetScale): ScaledRows {
  const y = new Float32Array(ds.n);
  for (let i = 0; i < ds.n; i++) y[i] = ((ds.y[i] as number) - t.shift) / t.scale;
  return { X: standardiseInto(ds.X, ds.n, s, new Float32Array(ds.n * ds.d)), y, n: ds.n, d: ds.d };
}
