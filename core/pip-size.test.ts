import { describe, expect, it } from "vitest";
import { conventionalPipSize } from "./pip-size.ts";

describe("conventionalPipSize", () => {
  it.each([
    ["EURUSD", 0.0001],
    ["eurusd-2", 0.0001],
    ["USDJPY", 0.01],
    ["gbpjpy_m", 0.01],
    ["XAUUSD", 0.01],
    ["xauusd@", 0.01],
    ["XAGUSD", 0.001],
    ["US30", 1],
    ["BRN", 1],
  ])("%s → %f", (symbol, pip) => {
    expect(conventionalPipSize(symbol)).toBe(pip);
  });
});
