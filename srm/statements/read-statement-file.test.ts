import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { hasSharedData, sharedDataPath, describeIfData } from "../../test/kit/shared-data.ts";
import { parseStatementTrades } from "../score/index.ts";
import { scoreTradeOf } from "./provider-score.ts";
import { readStatementFile } from "./read-statement-file.ts";
import { netOf, type StatementTrade } from "./statement.ts";
import { summaryNumber } from "./statement-fields.ts";

const tmp = mkdtempSync(path.join(tmpdir(), "riskloop-statements-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const write = (name: string, text: string | Buffer): string => {
  const file = path.join(tmp, name);
  writeFileSync(file, text);
  return file;
};

const HEAD = `<tr align=center><td>Ticket</td><td>Open Time</td><td>Type</td><td>Size</td><td>Item</td><td>Price</td><td>S / L</td><td>T / P</td><td>Close Time</td><td>Price</td><td>Commission</td><td>Taxes</td><td>Swap</td><td>Profit</td></tr>`;
const trade = (ticket: number, type: string, title: string, rest: string) =>
  `<tr align=right><td title="${title}">${ticket}</td><td>2024.03.11 10:00:00</td><td>${type}</td>${rest}</tr>`;

/** A hand-written statement in MT4's layout: a trade closed at its SL, its comment row, a TP exit labelled only in the comment row, a balance row, a cancelled order, an aggregate row and an open position. */
function statementHtml(extraRow = ""): string {
  return `<html><body><div style="font: 20pt Times New Roman"><b>Example Broker</b></div>
<table><tr align=left><td colspan=2><b>Account: 1234</b></td><td colspan=2><b>Currency: USD</b></td><td colspan=2><b>Leverage: 1:100</b></td></tr>
<tr align=left><td colspan=13><b>Closed Transactions:</b></td></tr>
${HEAD}
<tr align=right><td title="Deposit">1</td><td>2024.03.10 09:00:00</td><td>balance</td><td colspan=10 align=left>Deposit</td><td>1 000.00</td></tr>
${trade(2, "buy", "[sl]", "<td>0.10</td><td>eurusd</td><td>1.09000</td><td>1.08800</td><td>0.00000</td><td>2024.03.11 12:00:00</td><td>1.08790</td><td>-0.70</td><td>0.00</td><td>0.00</td><td>-21.00</td>")}
<tr align=right><td colspan=9>&nbsp;</td><td>&nbsp;</td><td colspan=3>[sl]</td></tr>
${trade(3, "sell", "", "<td>1.00</td><td>xauusd@</td><td>2150.00</td><td>0.00</td><td>2140.00</td><td>2024.03.11 13:00:00</td><td>2140.05</td><td>0.00</td><td>0.00</td><td>-1.50</td><td>995.00</td>")}
<tr align=right><td colspan=9>&nbsp;</td><td>&nbsp;</td><td colspan=3>[tp]</td></tr>
${trade(4, "buy limit", "cancelled", "<td>0.10</td><td>eurusd</td><td>1.08000</td><td>0.00000</td><td>0.00000</td><td>2024.03.11 14:00:00</td><td>1.09100</td><td colspan=4>cancelled</td>")}
${trade(5, "buy", "Summary trade result", "<td>0.01</td><td>profit</td><td>0.00000</td><td>0.00000</td><td>0.00000</td><td>2024.03.11 23:59:59</td><td>0.00000</td><td>0.00</td><td>0.00</td><td>0.00</td><td>-3.00</td>")}
${extraRow}
<tr align=right><td colspan=12 align=right><b>Closed P/L:</b></td><td colspan=2 align=right><b>968.80</b></td></tr>
<tr align=left><td colspan=14><b>Open Trades:</b></td></tr>
${HEAD.replace("Close Time", "&nbsp;")}
${trade(6, "sell", "", "<td>0.10</td><td>eurusd</td><td>1.09000</td><td>0.00000</td><td>0.00000</td><td>&nbsp;</td><td>1.08900</td><td>0.00</td><td>0.00</td><td>0.00</td><td>10.00</td>")}
<tr align=left><td colspan=14><b>Summary:</b></td></tr>
<tr align=left><td colspan=2><b>Closed Trade P/L:</b></td><td colspan=2><b>968.80</b></td><td colspan=2><b>Balance:</b></td><td colspan=2><b>1 968.80</b></td></tr>
</table></body></html>`;
}

describe("readStatementFile on a hand-written MT4 statement", () => {
  it("reads trades, labels exits from titles and comment rows, and counts what it skips", () => {
    const st = readStatementFile(write("example.htm", statementHtml()));
    expect(st.format).toBe("mt4-html");
    expect(st.stem).toBe("example");
    expect(st.header).toEqual({ broker: "Example Broker", account: "1234", currency: "USD", leverage: "1:100" });
    expect(st.trades.map((t) => [t.ticket, t.type, t.symbol, t.closeReason])).toEqual([
      ["2", "buy", "eurusd", "SL"],
      ["3", "sell", "xauusd@", "TP"],
    ]);
    expect(st.trades[0]!.line).toBe(6);
    expect(st.trades[0]!.closePrice.toFixed()).toBe("1.0879");
    expect(st.trades[1]!.profit.toFixed()).toBe("995");
    expect(st.skipped).toEqual({ aggregate: 1, open: 1, cancelled: 1, working: 0, cashflow: 1 });
    expect(st.cashflows[0]!.amount.toFixed()).toBe("1000");
    expect(st.summary["Closed Trade P/L"]).toBe("968.80");
    const net = [...st.trades, ...st.aggregates].reduce((s, t) => s.plus(netOf(t)), summaryNumber("0")!);
    expect(net.toFixed()).toBe("968.8");
  });

  it("reads gzip'd files transparently and converts broker time with --tz", () => {
    const html = statementHtml();
    const utc = readStatementFile(write("plain.htm", html));
    const gz = readStatementFile(write("zipped.htm.gz", gzipSync(html)), { tz: "+02:00" });
    expect(gz.stem).toBe("zipped");
    expect(gz.timeZone).toBe("UTC+02:00");
    expect(gz.trades[0]!.closeTime).toBe(utc.trades[0]!.closeTime - 2 * 3_600_000);
    // nyclose is New York + 7 h: UTC+2 in March 2024 before the US switch (10 March), UTC+3 after it.
    const ny = readStatementFile(write("ny.htm", html), { tz: "nyclose" });
    expect(utc.trades[0]!.closeTime - ny.trades[0]!.closeTime).toBe(3 * 3_600_000);
  });

  it("names the file, line and field of a bad row", () => {
    const bad = write("bad.htm", statementHtml(trade(7, "sell", "", "<td>0.10</td><td>eurusd</td><td>1.09000</td><td>0.00000</td><td>0.00000</td><td>2024.03.11 15:00:00</td><td>1,0850</td><td>0.00</td><td>0.00</td><td>0.00</td><td>5.00</td>")));
    expect(() => readStatementFile(bad)).toThrow(/bad\.htm:12: close price is not a number: "1,0850"/);
    const type = write("type.htm", statementHtml(trade(8, "swap", "", "<td>0.10</td>")));
    expect(() => readStatementFile(type)).toThrow(/type\.htm:12: type is not a known transaction type: "swap"/);
    const dup = write("dup.htm", statementHtml(trade(2, "buy", "", "<td>0.10</td><td>eurusd</td><td>1.09000</td><td>0.00000</td><td>0.00000</td><td>2024.03.11 15:00:00</td><td>1.09100</td><td>0.00</td><td>0.00</td><td>0.00</td><td>10.00</td>")));
    expect(() => readStatementFile(dup)).toThrow(/dup\.htm:12: ticket 2 repeats the row at line 6/);
    expect(() => readStatementFile(write("other.htm", "<html><table><tr><td>hello</td></tr></table></html>"))).toThrow(/not an MT4 statement/);
    expect(() => readStatementFile(write("notes.txt", "just some notes\n"))).toThrow(/neither an MT4 HTML statement nor a parsed \*\.trades\.csv/);
    expect(() => readStatementFile(path.join(tmp, "missing.htm"))).toThrow(/no such file/);
  });

  it("reads the .trades.csv layout and names the line of a bad value", () => {
    const header = "status,ticket,open_time,type,size,symbol,open_price,sl,tp,close_time,close_price,commission,taxes,swap,profit,close_reason,magic,comment";
    const good = "closed,9,2024.01.02 10:00:00,buy,0.5,eurusd,1.1,1.095,0.0,2024.01.02 12:30:15,1.0948,-3.5,0.0,-1.25,-260.0,sl,7,note, with a comma [sl]";
    const st = readStatementFile(write("x.trades.csv", `${header}\r\n${good}\r\nopen,10,2024.01.03 10:00:00,sell,1,eurusd,1.1,0,0,,1.1,0,0,0,5,,,\r\n`));
    expect(st.format).toBe("trades-csv");
    expect(st.trades[0]!.comment).toBe("note, with a comma [sl]");
    expect(st.trades[0]!.closeReason).toBe("SL");
    expect(st.skipped.open).toBe(1);
    expect(() => readStatementFile(write("y.trades.csv", `${header}\n${good}\n${good.replace("closed,9", "closed,11").replace("-260.0", "n/a")}\n`))).toThrow(
      /y\.trades\.csv:3: profit is not a number: "n\/a"/,
    );
  });
});

const RAW = ["trades", "_raw"] as const;
const PARSED = ["trades", "parsed"] as const;

describeIfData(hasSharedData(...RAW) && hasSharedData(...PARSED), "readStatementFile on the 12 real MT4 statements", () => {
  const stems = readdirSync(sharedDataPath(...RAW)).map((f) => f.replace(/\.htm\.gz$/, ""));
  const fields = (t: StatementTrade) => [
    t.ticket,
    t.openTime,
    t.closeTime,
    t.type,
    t.size.toFixed(),
    t.symbol,
    t.openPrice.toFixed(),
    t.sl.toFixed(),
    t.tp.toFixed(),
    t.closePrice.toFixed(),
    t.commission.toFixed(),
    t.taxes.toFixed(),
    t.swap.toFixed(),
    t.profit.toFixed(),
    t.closeReason,
  ];

  it.each(stems)("%s: the HTML and its parsed CSV agree row for row, and the net profit reconciles", (stem) => {
    const html = readStatementFile(sharedDataPath(...RAW, `${stem}.htm.gz`));
    const csv = readStatementFile(sharedDataPath(...PARSED, `${stem}.trades.csv`));
    expect(html.trades.length).toBeGreaterThan(0);
    expect(html.trades.map(fields)).toEqual(csv.trades.map(fields));
    expect(html.aggregates.map(fields)).toEqual(csv.aggregates.map(fields));
    expect(html.skipped.open).toBe(csv.skipped.open);
    expect(html.header).toEqual(csv.header);

    const meta = JSON.parse(readFileSync(sharedDataPath(...PARSED, `${stem}.summary.json`), "utf8")) as Record<string, number>;
    expect(html.trades.length + html.aggregates.length).toBe(meta.n_trades_closed);
    expect([html.skipped.open, html.skipped.cashflow, html.skipped.cancelled]).toEqual([meta.n_open, meta.n_cashflows, meta.n_cancelled]);

    // MT4's own figure, read from the HTML itself: "Total Net Profit" where the statement has statistics.
    const printed = summaryNumber(html.summary["Total Net Profit"] ?? html.summary["Closed Trade P/L"]);
    const net = [...html.trades, ...html.aggregates].reduce((s, t) => s.plus(netOf(t)), summaryNumber("0")!);
    expect(printed).not.toBeNull();
    expect(net.eq(printed!)).toBe(true);
  });

  it.each(stems)("%s: the score sees the same trades as the score area's own CSV reader", (stem) => {
    const file = sharedDataPath(...PARSED, `${stem}.trades.csv`);
    const mine = readStatementFile(file).trades.map(scoreTradeOf);
    const theirs = parseStatementTrades(readFileSync(file, "utf8"));
    expect(mine.map(({ symbol: _s, ...t }) => t)).toEqual(theirs.map(({ symbol: _s, ...t }) => ({ ...t, costs: expect.closeTo(t.costs ?? 0, 9) })));
  });
});
