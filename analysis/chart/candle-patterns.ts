import { CANDLE_SETTINGS as S } from "./candle-average.ts";
import type { CandlePattern } from "./candle-pattern.ts";

/*
 * Each pattern transcribes its TA-Lib 0.6 C function (ta_func/ta_CDL*.c): the same lookback, the same
 * comparisons in the same order, and the same penetration defaults (0.3 for the stars, 0.5 for dark cloud
 * cover and piercing). Comments give the C code's reading of each condition.
 */
const P = (s: { avgPeriod: number }) => s.avgPeriod;

/** The single-candle patterns. */
const SINGLE: CandlePattern[] = [
  {
    name: "DOJI",
    talib: "CDLDOJI",
    span: 1,
    lookback: P(S.BodyDoji),
    averages: [[S.BodyDoji, 0]],
    judge: (b, i, [doji]) => (b.realBody(i) <= doji!.at(i) ? 100 : 0),
  },
  {
    name: "DRAGONFLY_DOJI",
    talib: "CDLDRAGONFLYDOJI",
    span: 1,
    lookback: Math.max(P(S.BodyDoji), P(S.ShadowVeryShort)),
    averages: [[S.BodyDoji, 0], [S.ShadowVeryShort, 0]],
    judge: (b, i, [doji, veryShort]) =>
      b.realBody(i) <= doji!.at(i) && b.upperShadow(i) < veryShort!.at(i) && b.lowerShadow(i) > veryShort!.at(i) ? 100 : 0,
  },
  {
    name: "GRAVESTONE_DOJI",
    talib: "CDLGRAVESTONEDOJI",
    span: 1,
    lookback: Math.max(P(S.BodyDoji), P(S.ShadowVeryShort)),
    averages: [[S.BodyDoji, 0], [S.ShadowVeryShort, 0]],
    judge: (b, i, [doji, veryShort]) =>
      b.realBody(i) <= doji!.at(i) && b.lowerShadow(i) < veryShort!.at(i) && b.upperShadow(i) > veryShort!.at(i) ? 100 : 0,
  },
  {
    // Small body, long lower shadow, (almost) no upper shadow, body near the prior bar's low.
    name: "HAMMER",
    talib: "CDLHAMMER",
    span: 1,
    lookback: Math.max(P(S.BodyShort), P(S.ShadowLong), P(S.ShadowVeryShort), P(S.Near)) + 1,
    averages: [[S.BodyShort, 0], [S.ShadowLong, 0], [S.ShadowVeryShort, 0], [S.Near, 1]],
    judge: (b, i, [short, long, veryShort, near]) =>
      b.realBody(i) < short!.at(i) &&
      b.lowerShadow(i) > long!.at(i) &&
      b.upperShadow(i) < veryShort!.at(i) &&
      b.bodyBottom(i) <= b.o.low[i - 1]! + near!.at(i)
        ? 100
        : 0,
  },
  {
    // The hammer's shape with the body near the prior bar's high.
    name: "HANGING_MAN",
    talib: "CDLHANGINGMAN",
    span: 1,
    lookback: Math.max(P(S.BodyShort), P(S.ShadowLong), P(S.ShadowVeryShort), P(S.Near)) + 1,
    averages: [[S.BodyShort, 0], [S.ShadowLong, 0], [S.ShadowVeryShort, 0], [S.Near, 1]],
    judge: (b, i, [short, long, veryShort, near]) =>
      b.realBody(i) < short!.at(i) &&
      b.lowerShadow(i) > long!.at(i) &&
      b.upperShadow(i) < veryShort!.at(i) &&
      b.bodyBottom(i) >= b.o.high[i - 1]! - near!.at(i)
        ? -100
        : 0,
  },
  {
    // Small body, long upper shadow, (almost) no lower shadow, body gapping down from the prior body.
    name: "INVERTED_HAMMER",
    talib: "CDLINVERTEDHAMMER",
    span: 1,
    lookback: Math.max(P(S.BodyShort), P(S.ShadowLong), P(S.ShadowVeryShort)) + 1,
    averages: [[S.BodyShort, 0], [S.ShadowLong, 0], [S.ShadowVeryShort, 0]],
    judge: (b, i, [short, long, veryShort]) =>
      b.realBody(i) < short!.at(i) && b.upperShadow(i) > long!.at(i) && b.lowerShadow(i) < veryShort!.at(i) && b.bodyGapDown(i, i - 1) ? 100 : 0,
  },
  {
    name: "SHOOTING_STAR",
    talib: "CDLSHOOTINGSTAR",
    span: 1,
    lookback: Math.max(P(S.BodyShort), P(S.ShadowLong), P(S.ShadowVeryShort)) + 1,
    averages: [[S.BodyShort, 0], [S.ShadowLong, 0], [S.ShadowVeryShort, 0]],
    judge: (b, i, [short, long, veryShort]) =>
      b.realBody(i) < short!.at(i) && b.upperShadow(i) > long!.at(i) && b.lowerShadow(i) < veryShort!.at(i) && b.bodyGapUp(i, i - 1) ? -100 : 0,
  },
  {
    name: "MARUBOZU",
    talib: "CDLMARUBOZU",
    span: 1,
    lookback: Math.max(P(S.BodyLong), P(S.ShadowVeryShort)),
    averages: [[S.BodyLong, 0], [S.ShadowVeryShort, 0]],
    judge: (b, i, [long, veryShort]) =>
      b.realBody(i) > long!.at(i) && b.upperShadow(i) < veryShort!.at(i) && b.lowerShadow(i) < veryShort!.at(i) ? b.color(i) * 100 : 0,
  },
  {
    name: "SPINNING_TOP",
    talib: "CDLSPINNINGTOP",
    span: 1,
    lookback: P(S.BodyShort),
    averages: [[S.BodyShort, 0]],
    judge: (b, i, [short]) => {
      const rb = b.realBody(i);
      return rb < short!.at(i) && b.upperShadow(i) > rb && b.lowerShadow(i) > rb ? b.color(i) * 100 : 0;
    },
  },
];

/** The two- and three-candle patterns. */
const MULTI: CandlePattern[] = [
  {
    // A body engulfing the prior opposite-coloured body: 100, or 80 when the two bodies share one end.
    name: "ENGULFING",
    talib: "CDLENGULFING",
    span: 2,
    lookback: 2,
    averages: [],
    judge: (b, i) => {
      const { open: o, close: c } = b.o;
      const engulfs =
        (b.color(i) === 1 && b.color(i - 1) === -1 && ((c[i]! >= o[i - 1]! && o[i]! < c[i - 1]!) || (c[i]! > o[i - 1]! && o[i]! <= c[i - 1]!))) ||
        (b.color(i) === -1 && b.color(i - 1) === 1 && ((o[i]! >= c[i - 1]! && c[i]! < o[i - 1]!) || (o[i]! > c[i - 1]! && c[i]! <= o[i - 1]!)));
      if (!engulfs) return 0;
      return o[i]! !== c[i - 1]! && c[i]! !== o[i - 1]! ? b.color(i) * 100 : b.color(i) * 80;
    },
  },
  harami("HARAMI", "CDLHARAMI", S.BodyShort),
  harami("HARAMI_CROSS", "CDLHARAMICROSS", S.BodyDoji),
  {
    // A long body, then a doji gapping away from it in the body's direction.
    name: "DOJI_STAR",
    talib: "CDLDOJISTAR",
    span: 2,
    lookback: Math.max(P(S.BodyDoji), P(S.BodyLong)) + 1,
    averages: [[S.BodyLong, 1], [S.BodyDoji, 0]],
    judge: (b, i, [long, doji]) =>
      b.realBody(i - 1) > long!.at(i) &&
      b.realBody(i) <= doji!.at(i) &&
      ((b.color(i - 1) === 1 && b.bodyGapUp(i, i - 1)) || (b.color(i - 1) === -1 && b.bodyGapDown(i, i - 1)))
        ? -b.color(i - 1) * 100
        : 0,
  },
  {
    // A long black body, then a long white one opening below its low and closing above its midpoint.
    name: "PIERCING",
    talib: "CDLPIERCING",
    span: 2,
    lookback: P(S.BodyLong) + 1,
    averages: [[S.BodyLong, 1], [S.BodyLong, 0]],
    judge: (b, i, [first, second]) => {
      const { open: o, low: l, close: c } = b.o;
      return b.color(i - 1) === -1 &&
        b.realBody(i - 1) > first!.at(i) &&
        b.color(i) === 1 &&
        b.realBody(i) > second!.at(i) &&
        o[i]! < l[i - 1]! &&
        c[i]! < o[i - 1]! &&
        c[i]! > c[i - 1]! + b.realBody(i - 1) * 0.5
        ? 100
        : 0;
    },
  },
  {
    // A long white body, then a black one opening above its high and closing below its midpoint.
    name: "DARK_CLOUD_COVER",
    talib: "CDLDARKCLOUDCOVER",
    span: 2,
    lookback: P(S.BodyLong) + 1,
    averages: [[S.BodyLong, 1]],
    judge: (b, i, [first]) => {
      const { open: o, high: h, close: c } = b.o;
      return b.color(i - 1) === 1 &&
        b.realBody(i - 1) > first!.at(i) &&
        b.color(i) === -1 &&
        o[i]! > h[i - 1]! &&
        c[i]! > o[i - 1]! &&
        c[i]! < c[i - 1]! - b.realBody(i - 1) * 0.5
        ? -100
        : 0;
    },
  },
  star("MORNING_STAR", "CDLMORNINGSTAR", 1),
  star("EVENING_STAR", "CDLEVENINGSTAR", -1),
  {
    // Three white bodies with short upper shadows, each opening within or near the prior body and closing higher.
    name: "THREE_WHITE_SOLDIERS",
    talib: "CDL3WHITESOLDIERS",
    span: 3,
    lookback: Math.max(P(S.ShadowVeryShort), P(S.BodyShort), P(S.Far), P(S.Near)) + 2,
    averages: [
      [S.ShadowVeryShort, 2],
      [S.ShadowVeryShort, 1],
      [S.ShadowVeryShort, 0],
      [S.Near, 2],
      [S.Near, 1],
      [S.Far, 2],
      [S.Far, 1],
      [S.BodyShort, 0],
    ],
    judge: (b, i, [vs2, vs1, vs0, near2, near1, far2, far1, short]) => {
      const { open: o, close: c } = b.o;
      return b.color(i - 2) === 1 &&
        b.upperShadow(i - 2) < vs2!.at(i) &&
        b.color(i - 1) === 1 &&
        b.upperShadow(i - 1) < vs1!.at(i) &&
        b.color(i) === 1 &&
        b.upperShadow(i) < vs0!.at(i) &&
        c[i]! > c[i - 1]! &&
        c[i - 1]! > c[i - 2]! &&
        o[i - 1]! > o[i - 2]! &&
        o[i - 1]! <= c[i - 2]! + near2!.at(i) &&
        o[i]! > o[i - 1]! &&
        o[i]! <= c[i - 1]! + near1!.at(i) &&
        b.realBody(i - 1) > b.realBody(i - 2) - far2!.at(i) &&
        b.realBody(i) > b.realBody(i - 1) - far1!.at(i) &&
        b.realBody(i) > short!.at(i)
        ? 100
        : 0;
    },
  },
  {
    // After a white bar, three declining black bodies with short lower shadows, each opening within the prior body.
    name: "THREE_BLACK_CROWS",
    talib: "CDL3BLACKCROWS",
    span: 3,
    lookback: P(S.ShadowVeryShort) + 3,
    averages: [
      [S.ShadowVeryShort, 2],
      [S.ShadowVeryShort, 1],
      [S.ShadowVeryShort, 0],
    ],
    judge: (b, i, [vs2, vs1, vs0]) => {
      const { open: o, high: h, close: c } = b.o;
      return b.color(i - 3) === 1 &&
        b.color(i - 2) === -1 &&
        b.lowerShadow(i - 2) < vs2!.at(i) &&
        b.color(i - 1) === -1 &&
        b.lowerShadow(i - 1) < vs1!.at(i) &&
        b.color(i) === -1 &&
        b.lowerShadow(i) < vs0!.at(i) &&
        o[i - 1]! < o[i - 2]! &&
        o[i - 1]! > c[i - 2]! &&
        o[i]! < o[i - 1]! &&
        o[i]! > c[i - 1]! &&
        h[i - 3]! > c[i - 2]! &&
        c[i - 2]! > c[i - 1]! &&
        c[i - 1]! > c[i]!
        ? -100
        : 0;
    },
  },
];

/** A long body, then a short (`second`) body inside it: −colour × 100, or × 80 when one end matches. */
function harami(name: string, talib: string, second: typeof S.BodyShort | typeof S.BodyDoji): CandlePattern {
  return {
    name,
    talib,
    span: 2,
    lookback: Math.max(P(second), P(S.BodyLong)) + 1,
    averages: [
      [S.BodyLong, 1],
      [second, 0],
    ],
    judge: (b, i, [long, small]) => {
      if (!(b.realBody(i - 1) > long!.at(i) && b.realBody(i) <= small!.at(i))) return 0;
      const top = b.bodyTop(i);
      const bottom = b.bodyBottom(i);
      const priorTop = b.bodyTop(i - 1);
      const priorBottom = b.bodyBottom(i - 1);
      if (top < priorTop && bottom > priorBottom) return -b.color(i - 1) * 100;
      return top <= priorTop && bottom >= priorBottom ? -b.color(i - 1) * 80 : 0;
    },
  };
}

/** A long body, a short body gapping away from it, then an opposite body closing well into the first (penetration 0.3). */
function star(name: string, talib: string, direction: 1 | -1): CandlePattern {
  return {
    name,
    talib,
    span: 3,
    lookback: Math.max(P(S.BodyShort), P(S.BodyLong)) + 2,
    averages: [
      [S.BodyLong, 2],
      [S.BodyShort, 1],
      [S.BodyShort, 0],
    ],
    judge: (b, i, [long, short, third]) => {
      const c = b.o.close;
      const gap = direction === 1 ? b.bodyGapDown(i - 1, i - 2) : b.bodyGapUp(i - 1, i - 2);
      const closesIn = direction === 1 ? c[i]! > c[i - 2]! + b.realBody(i - 2) * 0.3 : c[i]! < c[i - 2]! - b.realBody(i - 2) * 0.3;
      return b.realBody(i - 2) > long!.at(i) &&
        b.color(i - 2) === -direction &&
        b.realBody(i - 1) <= short!.at(i) &&
        gap &&
        b.realBody(i) > third!.at(i) &&
        b.color(i) === direction &&
        closesIn
        ? direction * 100
        : 0;
    },
  };
}

/** Every pattern reproduced, single-candle first. */
export const CANDLE_PATTERNS: readonly CandlePattern[] = [...SINGLE, ...MULTI];
