import type { BrokerEventMap, BrokerEventName } from "./broker-types.ts";

/** A listener for one event name. */
export type BrokerListener<K extends BrokerEventName> = (event: BrokerEventMap[K]) => void;

/** The subscribing side of an adapter's event stream. */
export interface BrokerEvents {
  /** Adds a listener; returns the function that removes it. */
  on<K extends BrokerEventName>(name: K, listener: BrokerListener<K>): () => void;
  off<K extends BrokerEventName>(name: K, listener: BrokerListener<K>): void;
  /** Resolves with the first event of `name` that passes `filter`. */
  next<K extends BrokerEventName>(name: K, filter?: (event: BrokerEventMap[K]) => boolean): Promise<BrokerEventMap[K]>;
}

type ErrorSink = (name: BrokerEventName, err: unknown) => void;

/**
 * A small synchronous typed emitter. A throwing listener is reported to `onListenerError` and never stops
 * delivery to the others, so one faulty consumer cannot starve execution of fills.
 */
export class BrokerEventEmitter implements BrokerEvents {
  readonly #listeners = new Map<BrokerEventName, Set<(event: never) => void>>();
  readonly #onListenerError: ErrorSink;

  constructor(onListenerError: ErrorSink = () => {}) {
    this.#onListenerError = onListenerError;
  }

  on<K extends BrokerEventName>(name: K, listener: BrokerListener<K>): () => void {
    let set = this.#listeners.get(name);
    if (!set) {
      set = new Set();
      this.#listeners.set(name, set);
    }
    set.add(listener as (event: never) => void);
    return () => this.off(name, listener);
  }

  off<K extends BrokerEventName>(name: K, listener: BrokerListener<K>): void {
    this.#listeners.get(name)?.delete(listener as (event: never) => void);
  }

  next<K extends BrokerEventName>(name: K, filter: (event: BrokerEventMap[K]) => boolean = () => true): Promise<BrokerEventMap[K]> {
    return new Promise((resolve) => {
      const off = this.on(name, (event) => {
        if (!filter(event)) return;
        off();
        resolve(event);
      });
    });
  }

  emit<K extends BrokerEventName>(name: K, event: BrokerEventMap[K]): void {
    const set = this.#listeners.get(name);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as BrokerListener<K>)(event);
      } catch (err) {
        this.#onListenerError(name, err);
      }
    }
  }

  listenerCount(name: BrokerEventName): number {
    return this.#listeners.get(name)?.size ?? 0;
  }
}
