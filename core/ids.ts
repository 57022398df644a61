import { randomUUID } from "node:crypto";

/** A new random identifier (UUID v4) for rows created by the service. */
export function newId(): string {
  return randomUUID();
}
