/**
 * Service events (decisions, executions, positions, alerts) published by any area and delivered to the
 * WebSocket feed, jobs and other processes. Each event names the user it belongs to, so the feed can
 * enforce ownership; `userId: null` means admins only.
 */
export interface ServiceEvent {
  type: string;
  userId: string | null;
  accountId?: string;
  at: number;
  data: unknown;
}

export type EventListener = (event: ServiceEvent) => void;

export interface EventBus {
  publish(event: ServiceEvent): void;
  /** Returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void;
}

/** In-process bus; a Redis bridge (in `jobs/`) relays it across processes when Redis is configured. */
export class LocalEventBus implements EventBus {
  readonly #listeners = new Set<EventListener>();

  publish(event: ServiceEvent): void {
    for (const l of this.#listeners) {
      try {
        l(event);
      } catch {
        // A failing subscriber must not stop delivery to the others or break the publisher's hot path.
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
