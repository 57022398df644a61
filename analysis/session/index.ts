export { sessionAt, type PrimarySession, type SessionOverlap, type SessionState } from "./session-at.ts";
export { FX_WEEK, SESSION_HOURS, SESSION_NAMES, type SessionHours, type SessionName } from "./session-hours.ts";
