import type { EventBus, Logger } from "../../core/index.ts";
import type { SlippageModel } from "../decision/decide.ts";
import { DEFAULT_SCORE_PARAMS, type ScoreParams } from "../score/index.ts";
import { MODEL_PROMOTED_EVENT, type ModelRegistry } from "./model-registry.ts";
import { loadSlippageModel } from "./slippage-model-loader.ts";

/**
 * The live champions, loaded at start and swapped when a promotion is announced on the bus (from this process
 * or, through the Redis bridge, from any other). A failed load keeps the previous champion serving.
 */
export class ChampionCache {
  #slippage: SlippageModel | null = null;
  #scoreParams: ScoreParams = DEFAULT_SCORE_PARAMS;
  readonly #pinned = new Map<string, Promise<SlippageModel | null>>();
  #unsubscribe: (() => void) | undefined;
  /** The reload a promotion started, if it is under way (`stop` waits for it). */
  #reloading: Promise<void> | undefined;

  constructor(
    private readonly registry: ModelRegistry,
    private readonly bus: EventBus,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    await this.refresh();
    this.#unsubscribe = this.bus.subscribe((e) => {
      if (e.type !== MODEL_PROMOTED_EVENT) return;
      const reload = this.refresh().finally(() => {
        if (this.#reloading === reload) this.#reloading = undefined;
      });
      this.#reloading = reload;
    });
  }

  /** Stops following promotions; resolves once a reload under way is done (the database may close after it). */
  async stop(): Promise<void> {
    this.#unsubscribe?.();
    await this.#reloading;
  }

  get slippage(): SlippageModel | null {
    return this.#slippage;
  }

  /** The provider score's parameters: the score champion's fitted priors over the configured defaults. */
  get scoreParams(): ScoreParams {
    return this.#scoreParams;
  }

  /** A specific version (an experiment arm's pin), loaded once. */
  pinned(version: string): Promise<SlippageModel | null> {
    let p = this.#pinned.get(version);
    if (!p) {
      p = this.registry
        .get("slippage", version)
        .then(loadSlippageModel)
        .catch((err: unknown) => {
          this.logger.warn({ err, version }, "pinned slippage model unavailable");
          return null;
        });
      this.#pinned.set(version, p);
    }
    return p;
  }

  async refresh(): Promise<void> {
    try {
      const score = await this.registry.champion("score");
      const fitted = (score?.metrics as { params?: Partial<ScoreParams> } | undefined)?.params;
      this.#scoreParams = fitted ? { ...DEFAULT_SCORE_PARAMS, ...fitted } : DEFAULT_SCORE_PARAMS;
    } catch (err) {
      this.logger.error({ err }, "score champion could not be loaded; keeping the previous parameters");
    }
    try {
      const row = await this.registry.champion("slippage");
      if (!row) {
        this.#slippage = null;
        return;
      }
      if (this.#slippage?.version === row.version) return;
      this.#slippage = await loadSlippageModel(row);
      this.logger.info({ version: row.version }, "slippage champion loaded");
    } catch (err) {
      this.logger.error({ err }, "slippage champion could not be loaded; keeping the previous one");
    }
  }
}
