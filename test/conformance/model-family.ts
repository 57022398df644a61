import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RiskloopError } from "../../core/index.ts";
import {
  globalQuantileBaseline,
  loadPredictor,
  pinballLoss,
  readManifest,
  seededRandom,
  sliceDataset,
  type Dataset,
  type FitOptions,
  type FitProgress,
  type FittedModel,
  type ModelFamily,
} from "../../models/index.ts";

/**
 * y = 1 + 2a − b + (0.3 + 1.5u)·ε with ε ~ N(0, 1) and a pure-noise column: the centre and the spread both
 * depend on the row, and every conditional quantile is linear in the features, so any sound family can fit it.
 */
export function heteroscedasticDataset(n: number, seed: number): Dataset {
  const rng = seededRandom(seed);
  const d = 4;
  const X = new Float32Array(n * d);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = rng.next() * 2 - 1;
    const b = rng.next() * 2 - 1;
    const u = rng.next();
    X.set([a, b, u, rng.normal()], i * d);
    y[i] = 1 + 2 * a - b + (0.3 + 1.5 * u) * rng.normal();
  }
  return { X, y, n, d, featureNames: ["a", "b", "spread", "noise"] };
}

const expectInvalid = (fn: () => unknown, message: RegExp): void => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(RiskloopError);
    expect((err as RiskloopError).code).toBe("CORE_ERR_INVALID");
    expect((err as Error).message).toMatch(message);
    return;
  }
  throw new Error(`expected an invalid-input error matching ${message}`);
};

/** The suite every model family passes; call it once from the family's test file. */
export function runModelFamilyConformance(family: ModelFamily, overrides: Partial<FitOptions> = {}): void {
  describe(`model family conformance: ${family.id}`, () => {
    const all = heteroscedasticDataset(3000, 11);
    const train = sliceDataset(all, 0, 1600);
    const validation = sliceDataset(all, 1600, 2000);
    const holdout = sliceDataset(all, 2000, 3000);
    const options: FitOptions = { seed: 7, validation, ...overrides };
    const progress: FitProgress[] = [];
    let fitted: FittedModel;
    let dir: string;

    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), `riskloop-${family.id}-`));
      fitted = await family.fit(train, options, (p) => progress.push(p));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it("beats the constant-quantile baseline on hold-out pinball loss for every quantile", () => {
      const baseline = globalQuantileBaseline(train).predictBatch(holdout.X, holdout.n);
      const pred = fitted.predictor.predictBatch(holdout.X, holdout.n);
      expect(fitted.predictor.quantiles).toEqual([0.5, 0.9]);
      for (const tau of [0.5, 0.9]) {
        // The true conditional quantiles score about 0.6× the baseline here; 0.8× leaves room for noise.
        expect(pinballLoss(holdout.y, pred, [0.5, 0.9], tau)).toBeLessThan(0.8 * pinballLoss(holdout.y, baseline, [0.5, 0.9], tau));
      }
    });

    it("keeps p90 ≥ p50 on every row, including rows far outside the training range", () => {
      const pred = fitted.predictor.predictBatch(holdout.X, holdout.n);
      for (let i = 0; i < holdout.n; i++) expect(pred[2 * i + 1]).toBeGreaterThanOrEqual(pred[2 * i] as number);
      const rng = seededRandom(3);
      const out = new Float64Array(2);
      for (let i = 0; i < 500; i++) {
        fitted.predictor.predictInto([0, 1, 2, 3].map(() => rng.normal() * 50), out);
        expect(out[1]).toBeGreaterThanOrEqual(out[0] as number);
      }
    });

    it("predictBatch equals predictInto row by row", () => {
      const batch = fitted.predictor.predictBatch(holdout.X, holdout.n);
      const out = new Float64Array(2);
      for (let i = 0; i < holdout.n; i++) {
        fitted.predictor.predictInto(holdout.X.subarray(i * 4, i * 4 + 4), out);
        expect([out[0], out[1]]).toEqual([batch[2 * i], batch[2 * i + 1]]);
      }
    });

    it("gives bit-identical predictions after save → loadPredictor, with the manifest describing the model", async () => {
      const manifest = await fitted.save(dir, { metrics: { holdoutPinballP90: 0.25 }, configHash: "abc123" });
      const loaded = await loadPredictor(dir);
      expect(loaded.quantiles).toEqual(fitted.predictor.quantiles);
      expect(loaded.d).toBe(4);
      const before = fitted.predictor.predictBatch(holdout.X, holdout.n);
      const after = loaded.predictBatch(holdout.X, holdout.n);
      expect(Buffer.from(after.buffer).equals(Buffer.from(before.buffer))).toBe(true);
      expect(await readManifest(dir)).toEqual(manifest);
      expect(manifest).toMatchObject({
        familyId: family.id,
        formatVersion: 1,
        featureNames: ["a", "b", "spread", "noise"],
        quantiles: [0.5, 0.9],
        metrics: { holdoutPinballP90: 0.25 },
        configHash: "abc123",
        summary: { familyId: family.id, trainedRows: 1600 },
      });
    });

    it("is deterministic for a seed: the same data and seed give byte-identical weights", async () => {
      const again = await family.fit(train, options);
      const dir2 = await mkdtemp(path.join(tmpdir(), `riskloop-${family.id}-`));
      try {
        await again.save(dir2);
        await fitted.save(dir);
        const [a, b] = await Promise.all([readFile(path.join(dir, "weights.bin")), readFile(path.join(dir2, "weights.bin"))]);
        expect(a.equals(b)).toBe(true);
        expect(again.predictor.predictBatch(holdout.X, holdout.n)).toEqual(fitted.predictor.predictBatch(holdout.X, holdout.n));
      } finally {
        await rm(dir2, { recursive: true, force: true });
      }
    });

    it("rejects a wrong row width and non-finite input with errors naming the problem", async () => {
      const out = new Float64Array(2);
      expectInvalid(() => fitted.predictor.predictInto([1, 2, 3], out), /3 values, expected d = 4/);
      expectInvalid(() => fitted.predictor.predictInto([1, Number.NaN, 3, 4], out), /column 1 .*NaN/);
      expectInvalid(() => fitted.predictor.predictBatch(new Float32Array(10), 3), /expected n×d = 3×4/);
      const X = Float32Array.from(train.X);
      X[5 * 4 + 2] = Number.NaN;
      await expect(family.fit({ ...train, X }, options)).rejects.toThrow(/row 5 column 2 \(spread\) is NaN/);
      await expect(family.fit({ ...train, d: 3 }, options)).rejects.toThrow(RiskloopError);
      await expect(family.fit(train, { ...options, quantiles: [0.9, 0.5] })).rejects.toThrow(/strictly increasing/);
      const narrow = { ...validation, d: 3, X: validation.X.subarray(0, validation.n * 3), featureNames: ["a", "b", "spread"] };
      await expect(family.fit(train, { ...options, validation: narrow })).rejects.toThrow(/validation/);
    });

    it("reports progress and summarises the fit", () => {
      expect(progress.length).toBeGreaterThan(0);
      progress.forEach((p, i) => {
        expect(p.familyId).toBe(family.id);
        expect(p.epoch).toBe(i + 1);
        expect(Number.isFinite(p.trainLoss)).toBe(true);
      });
      expect(fitted.summary).toMatchObject({ familyId: family.id, trainedRows: 1600 });
      expect(fitted.summary.epochsRun).toBeGreaterThan(0);
      expect(Number.isFinite(fitted.summary.trainLoss)).toBe(true);
    });

    it("stops when its abort signal fires", async () => {
      await expect(family.fit(train, { ...options, signal: AbortSignal.abort(new Error("cancelled")) })).rejects.toThrow(/cancelled/);
    });
  });
}
