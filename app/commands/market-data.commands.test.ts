import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../prisma/index.ts";
import { freshDatabase } from "../../test/kit/db.ts";
import { hasSharedData, sharedDataPath } from "../../test/kit/shared-data.ts";
import { registerMarketDataCommands } from "./market-data.commands.ts";

const tempPath = (name: string) => path.join(mkdtempSync(path.join(os.tmpdir(), "riskloop-cli-")), name);

function writeSample(name: string, lines: string[]): string {
  const file = tempPath(name);
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

class Capture extends Writable {
  text = "";
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

describe("market-data CLI commands", () => {
  let db: Database;
  beforeAll(async () => {
    db = await freshDatabase("pglite");
  });
  afterAll(async () => {
    await db.close();
  });

  async function cli(...args: string[]): Promise<{ out: string; err: string; code: number; closed: number }> {
    const out = new Capture();
    const err = new Capture();
    let code = 0;
    let closed = 0;
    const program = new Command("riskloop").exitOverride();
    registerMarketDataCommands(program, {
      buildContainer: async () => ({ db, close: async () => void closed++ }),
      out,
      err,
      setExitCode: (c) => void (code = c),
    });
    await program.parseAsync(["node", "riskloop", ...args]);
    return { out: out.text, err: err.text, code, closed };
  }

  const BARS = ["<DATE>\t<TIME>\t<OPEN>\t<HIGH>\t<LOW>\t<CLOSE>\t<TICKVOL>\t<VOL>\t<SPREAD>", "2024.07.01\t00:00:00\t1.07120\t1.07150\t1.07100\t1.07130\t412\t0\t8", "2024.07.01\t00:01:00\t1.07130\t1.07160\t1.07120\t1.07140\t388\t0\t9"];

  it("import candles prints a JSON summary with counts, zone and time range, and closes the container", async () => {
    const file = writeSample("EURUSD_M1.csv", BARS);
    const r = await cli("import", "candles", file, "--symbol", "EURUSD", "--tz", "+03:00", "--json");
    expect(r.code).toBe(0);
    expect(r.closed).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ format: "mt5-bars", symbol: "EURUSD", timeframe: "M1", timeZone: "UTC+03:00", timeZoneSource: "--tz", rowsRead: 2, inserted: 2, from: "2024-06-30T21:00:00.000Z" });
    const again = await cli("import", "candles", file, "--symbol", "EURUSD", "--tz", "+03:00");
    expect(again.out).toMatch(/inserted 0, already stored 2/);
    expect(again.out).toMatch(/times read as UTC\+03:00 \[--tz\]/);
  });

  it("a bad row exits 2 with the file and line, and stores nothing", async () => {
    const file = writeSample("bad.csv", [...BARS, "2024.07.01\t00:01:00\t1.07130\t1.07160\t1.07120\t1.07140\t388\t0\t9"]);
    const r = await cli("import", "candles", file, "--symbol", "BADCLI");
    expect(r.code).toBe(2);
    expect(r.err).toBe(`riskloop: ${file}:4: duplicate timestamp (2024-06-30T21:01:00.000Z)\n`);
    expect(await db.prisma.candle.count({ where: { symbol: "BADCLI" } })).toBe(0);
    const skipped = await cli("import", "candles", file, "--symbol", "BADCLI", "--skip-bad", "--json");
    expect(JSON.parse(skipped.out)).toMatchObject({ inserted: 2, badRows: { "duplicate timestamp": 1 } });
  });

  it("import ticks --resample stores bars of the listed timeframes", async () => {
    const file = writeSample("ticks.csv", ["Time (UTC),Ask,Bid,AskVolume,BidVolume", "01.07.2024 00:00:00.123,1.07135,1.07125,1,1", "01.07.2024 00:01:30.000,1.07140,1.07130,1,1"]);
    const r = await cli("import", "ticks", file, "--symbol", "TICKCLI", "--resample", "M1,H1", "--json");
    expect(JSON.parse(r.out)).toMatchObject({ inserted: 2, resampled: [{ timeframe: "M1", bars: 2 }, { timeframe: "H1", bars: 1 }] });
    const bad = await cli("import", "ticks", file, "--symbol", "TICKCLI", "--resample", "M2");
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/unknown timeframe M2/);
  });

  it.skipIf(!hasSharedData("indicators", "talib_golden_fx", "talib060_eurusd_h1.csv.gz"))("indicators writes the bars plus the indicator columns", async () => {
    const out = tempPath("ind.csv");
    const r = await cli("indicators", sharedDataPath("indicators", "talib_golden_fx", "talib060_eurusd_h1.csv.gz"), "--out", out, "--json");
    expect(JSON.parse(r.out)).toMatchObject({ rowsRead: 3000, rowsWritten: 3000 });
    const lines = readFileSync(out, "utf8").trim().split("\n");
    expect(lines[0]).toBe("time,open,high,low,close,volume,SMA_20,EMA_20,RSI_14,ATR_14,NATR_14,MACD,MACD_SIGNAL,MACD_HIST,BB_UPPER,BB_MIDDLE,BB_LOWER,ADX_14,STOCH_K,STOCH_D");
    expect(lines.length).toBe(3001);
  });
});
