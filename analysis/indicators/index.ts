export type { CloseBar, HlcBar, IndicatorStream } from "./indicator-stream.ts";
export { sma, smaLookback, SmaStream } from "./sma.ts";
export { ema, emaLookback, EmaStream } from "./ema.ts";
export { trueRange, TRANGE_LOOKBACK, TrueRangeStream } from "./true-range.ts";
export { atr, atrLookback, AtrStream } from "./atr.ts";
export { natr, natrLookback, NatrStream } from "./natr.ts";
export { rsi, rsiLookback, RsiStream } from "./rsi.ts";
export { macd, macdLookback, MacdStream, type MacdOptions, type MacdResult } from "./macd.ts";
export {
  bollingerBands,
  bollingerLookback,
  BollingerStream,
  type BollingerOptions,
  type BollingerResult,
} from "./bollinger-bands.ts";
export { adx, adxLookback, directionalLookback, AdxStream, type AdxResult } from "./adx.ts";
export {
  stochastic,
  stochasticLookback,
  StochasticStream,
  type StochasticOptions,
  type StochasticResult,
} from "./stochastic.ts";
export { stddev, stddevLookback, StddevStream } from "./stddev.ts";
export { realizedVolatility, realizedVolatilityLookback, RealizedVolatilityStream } from "./realized-volatility.ts";
