import { field, loadConfig, type SectionValue } from "../../core/index.ts";

/** Priors, forgetting half-lives, maturity thresholds and weights of the provider performance score. */
export const scoreConfig = {
  winPriorAlpha: field.number("SRM_SCORE_WIN_PRIOR_ALPHA", "Beta prior α (pseudo-wins) of the win rate.", { default: 2, min: 0.01 }),
  winPriorBeta: field.number("SRM_SCORE_WIN_PRIOR_BETA", "Beta prior β (pseudo-losses) of the win rate.", { default: 2, min: 0.01 }),
  slPriorAlpha: field.number("SRM_SCORE_SL_PRIOR_ALPHA", "Beta prior α (pseudo-compliant trades) of SL compliance.", { default: 1, min: 0.01 }),
  slPriorBeta: field.number("SRM_SCORE_SL_PRIOR_BETA", "Beta prior β (pseudo-non-compliant trades) of SL compliance.", { default: 1, min: 0.01 }),
  payoffPriorLogSd: field.number(
    "SRM_SCORE_PAYOFF_PRIOR_LOG_SD",
    "Prior standard deviation of log(reward-to-risk) around 0 (reward-to-risk 1); smaller pulls harder toward 1.",
    { default: 1, min: 0.01 },
  ),
  payoffPriorTrades: field.number(
    "SRM_SCORE_PAYOFF_PRIOR_TRADES",
    "Pseudo-trades pulling the spread of win and loss sizes toward an exponential distribution's (coefficient of variation 1).",
    { default: 5, min: 0.01 },
  ),
  drawdownPriorTrades: field.number("SRM_SCORE_DRAWDOWN_PRIOR_TRADES", "Pseudo-trades behind the drawdown prior.", { default: 10, min: 0.01 }),
  drawdownPriorR: field.number("SRM_SCORE_DRAWDOWN_PRIOR_R", "Prior max drawdown in R multiples (used when the balance is unknown).", {
    default: 10,
    min: 0,
  }),
  drawdownPriorFraction: field.number("SRM_SCORE_DRAWDOWN_PRIOR_FRACTION", "Prior max drawdown as a fraction of peak balance.", {
    default: 0.25,
    min: 0,
    max: 1,
  }),
  drawdownHalfR: field.number("SRM_SCORE_DRAWDOWN_HALF_R", "Max drawdown in R multiples that scores 50 points.", { default: 10, min: 0.01 }),
  drawdownHalfFraction: field.number("SRM_SCORE_DRAWDOWN_HALF_FRACTION", "Max drawdown as a fraction of peak balance that scores 50 points.", {
    default: 0.25,
    min: 0.001,
  }),
  memoryHalfLifeTrades: field.number(
    "SRM_SCORE_MEMORY_HALF_LIFE_TRADES",
    "Half-life, in trades, of past evidence: each closed trade multiplies all earlier evidence by 2^(-1/this).",
    { default: 50, min: 1 },
  ),
  recoveryHalfLifeTrades: field.number(
    "SRM_SCORE_RECOVERY_HALF_LIFE_TRADES",
    "Half-life, in non-losing trades, of the gap between a fallen score and its evidence (0 = no lag, symmetric).",
    { default: 10, min: 0 },
  ),
  idleHalfLifeDays: field.number("SRM_SCORE_IDLE_HALF_LIFE_DAYS", "Half-life, in days without a closed trade, of all evidence (pulls idle providers to the prior).", {
    default: 30,
    min: 0.01,
  }),
  minTrades: field.int("SRM_SCORE_MIN_TRADES", "Closed trades needed before the score is uncapped.", { default: 30, min: 0 }),
  minWeeks: field.number("SRM_SCORE_MIN_WEEKS", "Weeks between the first trade and now needed before the score is uncapped.", { default: 4, min: 0 }),
  immatureCap: field.number("SRM_SCORE_IMMATURE_CAP", "Highest score an immature provider can get.", { default: 60, min: 0, max: 100 }),
  winRateScale: field.number(
    "SRM_SCORE_WIN_RATE_SCALE",
    "Win-rate margin over break-even that scores 84 points (one normal standard deviation).",
    { default: 0.1, min: 0.001 },
  ),
  slTolerance: field.number(
    "SRM_SCORE_SL_TOLERANCE",
    "Fraction of the SL distance a close may lie beyond the SL (slippage) and still count as respecting it.",
    { default: 0.25, min: 0 },
  ),
  maxWinR: field.number("SRM_SCORE_MAX_WIN_R", "Largest R multiple a single win adds to the drawdown curve (guards against tiny SLs).", {
    default: 10,
    min: 1,
  }),
  lossStreakReason: field.int("SRM_SCORE_LOSS_STREAK_REASON", "Consecutive losses from which the result names the streak.", { default: 3, min: 1 }),
  weightWinRate: field.number("SRM_SCORE_WEIGHT_WIN_RATE", "Weight of the win-rate component.", { default: 0.35, min: 0 }),
  weightDrawdown: field.number("SRM_SCORE_WEIGHT_DRAWDOWN", "Weight of the drawdown component.", { default: 0.3, min: 0 }),
  weightRewardToRisk: field.number("SRM_SCORE_WEIGHT_REWARD_TO_RISK", "Weight of the reward-to-risk component.", { default: 0.2, min: 0 }),
  weightSlCompliance: field.number("SRM_SCORE_WEIGHT_SL_COMPLIANCE", "Weight of the SL-compliance component.", { default: 0.15, min: 0 }),
};

/** The score's parameters as loaded (or the defaults). */
export type ScoreParams = SectionValue<typeof scoreConfig>;

/** The declared defaults, for callers and tests that do not load the environment. */
export const DEFAULT_SCORE_PARAMS: ScoreParams = loadConfig({ score: scoreConfig }, {}, []).value.score;
