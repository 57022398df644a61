import type { FastifyPluginAsync } from "fastify";
import type { WebSocket } from "ws";
import type { Actor, ServiceEvent } from "../../core/index.ts";
import type { Container } from "../../app/container.ts";

/** Whether an event may be shown to an actor: its owner, or any admin. */
export function visibleTo(actor: Actor, event: ServiceEvent): boolean {
  return actor.role === "ADMIN" || (event.userId !== null && event.userId === actor.id);
}

/**
 * The authenticated live feed at `/ws`: decisions, executions, positions, copies and alerts as they
 * happen. Authenticate with `Authorization: Bearer` or `?access_token=`; optional `?types=a,b` filters.
 */
export const liveFeedRoutes: FastifyPluginAsync<{ container: Container }> = async (app, { container }) => {
  app.get("/ws", { websocket: true, preValidation: app.authenticate, schema: { hide: true } }, (socket: WebSocket, req) => {
    const actor = req.actor;
    const typesParam = (req.query as Record<string, string | undefined>).types;
    const types = typesParam ? new Set(typesParam.split(",")) : undefined;
    const unsubscribe = container.bus.subscribe((event) => {
      if (!visibleTo(actor, event) || (types && !types.has(event.type))) return;
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(event));
    });
    socket.send(JSON.stringify({ type: "hello", userId: actor.id, at: container.clock.now(), data: { role: actor.role } }));
    socket.on("close", unsubscribe);
    socket.on("error", unsubscribe);
  });
};
