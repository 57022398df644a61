import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { dec } from "../../core/index.ts";
import type { AnalysisService, StoredAnalysis } from "../../analysis/chart/index.ts";
import { errorResponses } from "../schemas.ts";
import { SymbolParams, TimeframeSchema } from "./market.routes.ts";

/** What the analysis route takes from the container. */
export interface AnalysisRouteServices {
  readonly analysis: AnalysisService;
}

const Section = Type.Object({
  confidence: Type.Number({ minimum: 0, maximum: 1 }),
  recommendations: Type.Array(Type.String()),
  result: Type.Unknown({ description: "The reading behind the sentences (see analysis/chart)." }),
});

const AnalysisView = Type.Object({
  symbol: Type.String(),
  timeframe: Type.String(),
  computedAt: Type.String(),
  cached: Type.Boolean({ description: "Served from the stored analysis (no bar has closed since)." }),
  synthetic: Type.Boolean({ description: "Computed from synthetic candles: not for live decisions." }),
  dataFrom: Type.String({ description: "Open of the first bar analysed." }),
  dataTo: Type.String({ description: "Close of the last bar analysed." }),
  bars: Type.Integer(),
  lastClose: Type.String({ pattern: "^-?\\d+(\\.\\d+)?$" }),
  bias: Type.String(),
  confidence: Type.Number({ minimum: 0, maximum: 1 }),
  recommendations: Type.Array(Type.String()),
  sections: Type.Object({ trend: Section, levels: Section, patterns: Section, regime: Section, summary: Section }),
});

function view(s: StoredAnalysis) {
  const a = s.analysis;
  return {
    symbol: a.symbol,
    timeframe: a.timeframe,
    computedAt: new Date(s.computedAt).toISOString(),
    cached: s.cached,
    synthetic: s.synthetic,
    dataFrom: new Date(a.dataFrom).toISOString(),
    dataTo: new Date(a.dataTo).toISOString(),
    bars: a.bars,
    lastClose: dec(a.lastClose).toFixed(),
    bias: a.summary.result.bias,
    confidence: a.summary.confidence,
    recommendations: a.summary.recommendations,
    sections: { trend: a.trend, levels: a.levels, patterns: a.patterns, regime: a.regime, summary: a.summary },
  };
}

/** Chart analysis of a symbol: served from the stored analysis while no bar has closed since, else computed. */
export const analysisRoutes: FastifyPluginAsyncTypebox<{ container: AnalysisRouteServices }> = async (app, { container }) => {
  const { analysis } = container;
  app.addHook("preHandler", app.authenticate);

  app.get(
    "/analysis/:symbol",
    {
      schema: {
        tags: ["analysis"],
        security: [{ bearer: [] }],
        summary: "Trend, support/resistance, candlestick patterns and regime, with confidence and recommendations",
        params: SymbolParams,
        querystring: Type.Object({ timeframe: Type.Optional(TimeframeSchema) }, { additionalProperties: false }),
        response: { 200: AnalysisView, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => view(await analysis.current(req.params.symbol, req.query.timeframe ?? "H1")),
  );
};
