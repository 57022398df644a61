import * as vega from "vega";
import * as vl from "vega-lite";

/** A Vega-Lite spec without its data-independent boilerplate; `renderSvg` fills in the schema. */
export type ChartSpec = Record<string, unknown>;

/** Renders a Vega-Lite chart to a standalone SVG string on the server (no browser, no canvas). */
export async function renderSvg(spec: ChartSpec): Promise<string> {
  const full = { $schema: "https://vega.github.io/schema/vega-lite/v6.json", width: 520, height: 260, ...spec } as vl.TopLevelSpec;
  const view = new vega.View(vega.parse(vl.compile(full).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
