export type { BrokerPort } from "./broker-port.ts";
export type * from "./broker-types.ts";
export { BrokerEventEmitter, type BrokerEvents, type BrokerListener } from "./broker-events.ts";
export {
  BrokerErrors,
  brokerError,
  brokerErrorKind,
  isBrokerError,
  rejection,
  type BrokerErrorCode,
  type BrokerErrorDetails,
} from "./broker-errors.ts";
export {
  BrokerRegistry,
  type BrokerAccountConfig,
  type BrokerDeps,
  type BrokerFactory,
  type BrokerPlatform,
} from "./broker-registry.ts";
export { ConnectionSupervisor, type LinkUp, type SupervisorOptions } from "./connection-supervisor.ts";
export { backoffDelay, type BackoffPolicy } from "./backoff.ts";
export { systemTimers, delay, withTimeout, type Timers } from "./timers.ts";
export { pipSizeFor, isFxOrMetal } from "./pip-size.ts";
export { clientOrderIdFor, CLIENT_ORDER_ID_LENGTH } from "./client-order-id.ts";
