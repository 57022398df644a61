/** One table cell: its text (tags removed, entities decoded, trimmed), its span and its `title` attribute. */
export interface HtmlCell {
  text: string;
  colspan: number;
  title: string;
  bold: boolean;
}

/** One table row with the line of the file where its `<tr` starts. */
export interface HtmlRow {
  line: number;
  cells: HtmlCell[];
}

const ENTITIES: Record<string, string> = { nbsp: " ", amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function attribute(attrs: string, name: string): string | undefined {
  const m = new RegExp(`\\b${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, "i").exec(attrs);
  return m ? (m[2] ?? m[3] ?? m[4]) : undefined;
}

/**
 * The rows of every table in an HTML document, in order. Enough of HTML for MT4 statements, which are
 * machine-written: rows may span lines, cells may omit `</td>`, and a row ends at `</tr>` or the next `<tr`.
 */
export function htmlRows(html: string): HtmlRow[] {
  const lineStarts: number[] = [0];
  for (let i = html.indexOf("\n"); i >= 0; i = html.indexOf("\n", i + 1)) lineStarts.push(i + 1);
  const lineOf = (offset: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };

  const rows: HtmlRow[] = [];
  const rowRe = /<tr\b[^>]*>([\s\S]*?)(?=<\/tr\s*>|<tr\b|<\/table\s*>|$)/gi;
  for (let m = rowRe.exec(html); m; m = rowRe.exec(html)) {
    if (m[0].length === 0) {
      rowRe.lastIndex++;
      continue;
    }
    const cells: HtmlCell[] = [];
    const cellRe = /<td\b([^>]*)>([\s\S]*?)(?=<\/td\s*>|<td\b|$)/gi;
    for (let c = cellRe.exec(m[1]!); c; c = cellRe.exec(m[1]!)) {
      if (c[0].length === 0) {
        cellRe.lastIndex++;
        continue;
      }
      const attrs = c[1]!;
      const inner = c[2]!;
      cells.push({
        text: decodeEntities(inner.replace(/<[^>]*>/g, "")).replace(/\s+/g, " ").trim(),
        colspan: Math.max(1, Number(attribute(attrs, "colspan") ?? 1) || 1),
        title: decodeEntities(attribute(attrs, "title") ?? "").trim(),
        bold: /<b\b/i.test(inner),
      });
    }
    rows.push({ line: lineOf(m.index), cells });
  }
  return rows;
}
