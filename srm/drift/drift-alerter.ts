import type { Clock, EventBus, Logger } from "../../core/index.ts";
import type { PrismaClient } from "../../prisma/index.ts";

/** Bus event of every drift alert; `userId: null` sends it to admins only. */
export const DRIFT_ALERT_EVENT = "drift.alert";

/** One reason a drift check alerts. */
export interface DriftAlert {
  code: "SRM_DRIFT_DATASET" | "SRM_DRIFT_ACCURACY_LOW" | "SRM_DRIFT_ACCURACY_OUT_OF_BAND";
  severity: "WARNING" | "CRITICAL";
  message: string;
}

/** Where a run's alerts came from. */
export interface AlertOrigin {
  reportId: string;
  modelKind: string;
  modelVersion: string;
}

/**
 * Delivers a drift check's alerts four ways: `Alert` rows (admin-wide, no user), a `drift.alert` bus event each,
 * a log line each, and one JSON POST to the webhook when configured. The rows are written first; a webhook that
 * fails or times out is logged and never loses an alert.
 */
export class DriftAlerter {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly webhook: { url: string | undefined; timeoutMs: number },
  ) {}

  async raise(alerts: readonly DriftAlert[], origin: AlertOrigin): Promise<void> {
    if (alerts.length === 0) return;
    const at = this.clock.now();
    await this.prisma.alert.createMany({
      data: alerts.map((a) => ({ userId: null, accountId: null, severity: a.severity, code: a.code, message: a.message, details: { ...origin }, createdAt: new Date(at) })),
    });
    for (const a of alerts) {
      this.bus.publish({ type: DRIFT_ALERT_EVENT, userId: null, at, data: { ...a, ...origin } });
      this.logger.warn({ code: a.code, ...origin }, a.message);
    }
    if (this.webhook.url) await this.#post(this.webhook.url, { type: DRIFT_ALERT_EVENT, at: new Date(at).toISOString(), ...origin, alerts });
  }

  async #post(url: string, body: unknown): Promise<void> {
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.webhook.timeoutMs),
      });
      if (!res.ok) this.logger.warn({ status: res.status }, "drift webhook answered with an error status");
    } catch (err) {
      // The URL may carry a token, so only the failure is logged.
      this.logger.warn({ err: { message: (err as Error).message } }, "drift webhook could not be delivered");
    }
  }
}
