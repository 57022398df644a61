import type { FastifyInstance } from "fastify";
import type { Container } from "../app/container.ts";
import { buildApi } from "./build-api.ts";

/** Builds the API and listens on the configured host and port; returns the app and its address. */
export async function startServer(container: Container, port?: number): Promise<{ app: FastifyInstance; url: string }> {
  const app = await buildApi(container, { logRequests: true });
  const cfg = container.config.value.api;
  const address = await app.listen({ host: cfg.host, port: port ?? cfg.port });
  return { app, url: address };
}
