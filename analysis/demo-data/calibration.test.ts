import { describe, expect, it } from "vitest";
import { hasSharedData, SHARED_DATA, describeIfData } from "../../test/kit/shared-data.ts";
import { DEMO_CALIBRATION, DEMO_SYMBOLS } from "./calibration-figures.ts";
import { CALIBRATION_SOURCES, measureCalibration } from "./measure-calibration.ts";

/** Equal to the 4 significant digits the figures are shipped with. */
const same = (a: number, b: number) => a === b || Math.abs(a - b) <= 1e-3 * Math.max(Math.abs(a), Math.abs(b));

describeIfData(hasSharedData("prices", "lean", "oanda_eurusd_m1_bidask.csv.gz"), "the shipped calibration", () => {
  it("is what measureCalibration finds in the real files today", async () => {
    const measured = await measureCalibration(CALIBRATION_SOURCES, SHARED_DATA);
    expect(measured.map((m) => m.symbol)).toEqual([...DEMO_SYMBOLS]);
    for (const m of measured) {
      const shipped = DEMO_CALIBRATION[m.symbol as keyof typeof DEMO_CALIBRATION] as unknown as Record<string, unknown>;
      for (const [key, value] of Object.entries(m)) {
        const want = shipped[key];
        if (typeof value === "number") expect(same(value, want as number), `${m.symbol}.${key}: measured ${value}, shipped ${want}`).toBe(true);
        else if (Array.isArray(value) && typeof value[0] === "number") {
          (value as number[]).forEach((v, i) => expect(same(v, (want as number[])[i]!), `${m.symbol}.${key}[${i}]`).toBe(true));
        } else expect(value, `${m.symbol}.${key}`).toEqual(want);
      }
    }
  });
});
