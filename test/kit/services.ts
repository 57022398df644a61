import net from "node:net";

/**
 * Real-service suites (PostgreSQL, Redis) run when the service answers. When it does not, they are skipped
 * with a printed reason, unless RISKLOOP_REQUIRE_SERVICES=1 (set by CI), which turns the skip into a failure.
 */
export const requireServices = process.env.RISKLOOP_REQUIRE_SERVICES === "1";

export const POSTGRES_URL = process.env.RISKLOOP_TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
export const REDIS_URL = process.env.RISKLOOP_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

const cache = new Map<string, Promise<boolean>>();

/** Whether a TCP server answers at the URL's host and port (cached per URL). */
export function reachable(url: string): Promise<boolean> {
  let p = cache.get(url);
  if (!p) {
    const u = new URL(url);
    p = new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: u.hostname, port: Number(u.port || (u.protocol === "redis:" ? 6379 : 5432)) }, () => {
        socket.end();
        resolve(true);
      });
      socket.setTimeout(1000, () => {
        socket.destroy();
        resolve(false);
      });
      socket.on("error", () => resolve(false));
    });
    cache.set(url, p);
  }
  return p;
}

/** Whether a suite for `service` should run; prints why not, or throws when services are required. */
export async function serviceAvailable(service: "postgres" | "redis"): Promise<boolean> {
  const url = service === "postgres" ? POSTGRES_URL : REDIS_URL;
  if (await reachable(url)) return true;
  const reason = `${service} is not reachable at ${new URL(url).host}`;
  if (requireServices) throw new Error(`${reason}, and RISKLOOP_REQUIRE_SERVICES=1 forbids skipping`);
  console.warn(`[skipped] ${service} suites: ${reason}`);
  return false;
}
