import { existsSync } from "node:fs";
import path from "node:path";
import { Decimal, invalid } from "../../core/index.ts";
import { resolveTimeZone } from "../../analysis/market-data/index.ts";
import { parseBrokerTime } from "../score/index.ts";
import { readTextFile, statementStem, type ParsedStatement, type StatementCashflow } from "../statements/index.ts";

/**
 * The statement's cash flows. The HTML statement carries its balance rows; the parsed `.trades.csv` layout keeps
 * them in a sibling `<stem>.cashflows.csv` (`ticket,time,type,comment,amount`), read here with the same time
 * zone as the trades, so both formats of one statement replay identically.
 */
export function statementCashflows(st: ParsedStatement, tz = "UTC"): StatementCashflow[] {
  if (st.cashflows.length > 0 || st.format !== "trades-csv") return st.cashflows;
  const file = path.join(path.dirname(st.file), `${statementStem(st.file)}.cashflows.csv`);
  if (!existsSync(file)) return [];
  const toUtc = resolveTimeZone(tz).toUtc;
  const lines = readTextFile(file).split(/\r?\n/);
  const header = (lines[0] ?? "").split(",");
  const [ticket, time, comment] = ["ticket", "time", "comment"].map((c) => header.indexOf(c));
  if (ticket! < 0 || time! < 0 || header.at(-1) !== "amount") throw invalid("cashflows", `${file}: expected the columns ticket,time,type,comment,amount`);
  return lines.slice(1).flatMap((line, i) => {
    if (line === "") return [];
    const cells = line.split(",");
    const amount = Number(cells.at(-1));
    if (!Number.isFinite(amount)) throw invalid("cashflows", `${file}:${i + 2}: amount is not a number`);
    return [{ ticket: cells[ticket!]!, line: i + 2, time: toUtc(parseBrokerTime(cells[time!]!)), comment: cells.slice(comment!, -1).join(","), amount: new Decimal(cells.at(-1)!) }];
  });
}
