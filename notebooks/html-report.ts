export interface ReportSection {
  heading: string;
  /** Trusted HTML built by the report code (charts as inline SVG, tables from `htmlTable`). */
  html: string;
  note?: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** A table from rows of plain values; numbers are shown with `digits` decimals. */
export function htmlTable(columns: string[], rows: Array<Array<string | number | null>>, digits = 4): string {
  const cell = (v: string | number | null) => (v === null ? "—" : typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(digits)) : escapeHtml(v));
  return `<table><thead><tr>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("")}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((v) => `<td>${cell(v)}</td>`).join("")}</tr>`)
    .join("")}</tbody></table>`;
}

/** One self-contained HTML page: inline CSS and SVG, no scripts, no external requests. */
export function htmlReport(title: string, subtitle: string, sections: ReportSection[]): string {
  const body = sections
    .map((s) => `<section><h2>${escapeHtml(s.heading)}</h2>${s.note ? `<p class="note">${escapeHtml(s.note)}</p>` : ""}${s.html}</section>`)
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#1d2330;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #dde;padding-bottom:.2rem}
.sub{color:#5b6275}.note{color:#5b6275;font-size:.9rem}table{border-collapse:collapse;margin:.5rem 0}
td,th{border:1px solid #dde;padding:.25rem .6rem;text-align:right}th{background:#f4f5f9}td:first-child,th:first-child{text-align:left}
svg{max-width:100%;height:auto}
</style></head><body>
<h1>${escapeHtml(title)}</h1><p class="sub">${escapeHtml(subtitle)}</p>
${body}
</body></html>
`;
}
