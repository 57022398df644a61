import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { describeEachDatabase } from "../kit/db.ts";
import { testApi, type TestApi } from "../kit/api.ts";
import { eventually } from "../kit/eventually.ts";
import { REDIS_URL, serviceAvailable } from "../kit/services.ts";

const BROKER_PASSWORD = "Br0ker-Pa55word-unique-7d1f";
const METAAPI_TOKEN = "metaapi-token-unique-9c2e41";

describeEachDatabase("foundation API", (getDb) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await testApi(getDb(), { API_AUTH_RATE_LIMIT_PER_MINUTE: "1000" });
  });
  afterAll(async () => {
    await api?.close();
  });

  it("registers, logs in and shows the caller's profile", async () => {
    const email = `alice-${Date.now()}@example.com`;
    const reg = await api.app.inject({ method: "POST", url: "/auth/register", payload: { email, password: "a-long-enough-passphrase" } });
    expect(reg.statusCode).toBe(201);
    expect(reg.json()).toMatchObject({ email, role: "USER", plan: "FREE" });
    expect(reg.body).not.toContain("passwordHash");

    const dup = await api.app.inject({ method: "POST", url: "/auth/register", payload: { email, password: "a-long-enough-passphrase" } });
    expect(dup.statusCode).toBe(409);

    const bad = await api.app.inject({ method: "POST", url: "/auth/login", payload: { email, password: "wrong-passphrase!" } });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.code).toBe("CORE_ERR_UNAUTHENTICATED");

    const login = await api.app.inject({ method: "POST", url: "/auth/login", payload: { email, password: "a-long-enough-passphrase" } });
    expect(login.statusCode).toBe(200);
    const me = await api.app.inject({ method: "GET", url: "/me", headers: { authorization: `Bearer ${login.json().accessToken}` } });
    expect(me.json()).toMatchObject({ email });
  });

  it("answers bad input with 400 naming the field, and refuses unknown fields", async () => {
    const u = await api.user();
    const cases: Array<[unknown, string]> = [
      [{ email: "not-an-email", password: "x-long-password" }, "body.email"],
      [{ email: "a@example.com" }, "body.password"],
      [{ email: "a@example.com", password: "x-long-password", admin: true }, "body.admin"],
    ];
    for (const [payload, field] of cases) {
      const res = await api.app.inject({ method: "POST", url: "/auth/register", payload: payload as object });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: "CORE_ERR_INVALID", details: { field } });
    }
    const weak = await api.app.inject({ method: "POST", url: "/auth/register", payload: { email: "weak@example.com", password: "short" } });
    expect(weak.json().error.details.field).toBe("password");

    const badAccount = await api.app.inject({
      method: "POST",
      url: "/accounts",
      headers: u.auth,
      payload: { name: "x", platform: "MT4", leverage: 0 },
    });
    expect(badAccount.statusCode).toBe(400);
    expect(badAccount.json().error.details.field).toBe("body.leverage");

    const badId = await api.app.inject({ method: "GET", url: "/accounts/not-a-uuid", headers: u.auth });
    expect(badId.statusCode).toBe(400);
    expect(badId.json().error.details.field).toBe("params.id");
  });

  it("refuses oversized bodies and malformed JSON", async () => {
    const big = await api.app.inject({
      method: "POST",
      url: "/auth/register",
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({ email: "a@example.com", password: "x".repeat(300_000) }),
    });
    expect(big.statusCode).toBe(413);
    const malformed = await api.app.inject({ method: "POST", url: "/auth/login", headers: { "content-type": "application/json" }, payload: "{not json" });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe("CORE_ERR_INVALID");
  });

  it("rejects missing, malformed and forged tokens with 401 and wrong roles with 403", async () => {
    const u = await api.user();
    expect((await api.app.inject({ method: "GET", url: "/me" })).statusCode).toBe(401);
    expect((await api.app.inject({ method: "GET", url: "/me", headers: { authorization: "Bearer abc.def" } })).statusCode).toBe(401);
    expect((await api.app.inject({ method: "GET", url: "/me", headers: { authorization: "Basic Zm9vOmJhcg==" } })).statusCode).toBe(401);
    const [h, p] = u.token.split(".");
    const forged = `${h}.${p}.${"A".repeat(43)}`;
    expect((await api.app.inject({ method: "GET", url: "/me", headers: { authorization: `Bearer ${forged}` } })).statusCode).toBe(401);

    const forbidden = await api.app.inject({ method: "GET", url: "/admin/audit-log", headers: u.auth });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe("CORE_ERR_FORBIDDEN");
    const admin = await api.user(undefined, "ADMIN");
    expect((await api.app.inject({ method: "GET", url: "/admin/audit-log", headers: admin.auth })).statusCode).toBe(200);
  });

  it("keeps each user's accounts private: another user's reads and writes answer 404", async () => {
    const alice = await api.user();
    const bob = await api.user();
    const created = await api.app.inject({ method: "POST", url: "/accounts", headers: alice.auth, payload: { name: "Alice MT5", platform: "MT5", login: "1001" } });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;

    for (const req of [
      { method: "GET" as const, url: `/accounts/${id}` },
      { method: "PATCH" as const, url: `/accounts/${id}`, payload: { name: "pwned" } },
      { method: "DELETE" as const, url: `/accounts/${id}` },
    ]) {
      const res = await api.app.inject({ ...req, headers: bob.auth });
      expect(res.statusCode, `${req.method} ${req.url}`).toBe(404);
    }
    const bobList = await api.app.inject({ method: "GET", url: "/accounts", headers: bob.auth });
    expect(bobList.json().map((a: { id: string }) => a.id)).not.toContain(id);

    const still = await api.app.inject({ method: "GET", url: `/accounts/${id}`, headers: alice.auth });
    expect(still.json().name).toBe("Alice MT5");
    const admin = await api.user(undefined, "ADMIN");
    expect((await api.app.inject({ method: "GET", url: `/accounts/${id}`, headers: admin.auth })).statusCode).toBe(200);
  });

  it("encrypts credentials at rest and never shows them in responses or logs", async () => {
    const u = await api.user();
    const res = await api.app.inject({
      method: "POST",
      url: "/accounts",
      headers: u.auth,
      payload: { name: "Secret", platform: "MT4", login: "42", server: "Broker-Live", credentials: { password: BROKER_PASSWORD, metaapiToken: METAAPI_TOKEN } },
    });
    expect(res.statusCode).toBe(201);
    const id = res.json().id as string;
    expect(res.json().hasCredentials).toBe(true);
    const list = await api.app.inject({ method: "GET", url: "/accounts", headers: u.auth });
    const row = await api.container.db.prisma.brokerAccount.findUniqueOrThrow({ where: { id } });
    const audit = await api.container.db.prisma.auditLog.findMany({ where: { entityId: id } });

    for (const secret of [BROKER_PASSWORD, METAAPI_TOKEN]) {
      expect(res.body).not.toContain(secret);
      expect(list.body).not.toContain(secret);
      expect(row.credentials).not.toContain(secret);
      expect(JSON.stringify(audit)).not.toContain(secret);
      expect(api.logs()).not.toContain(secret);
    }
    expect(await api.container.accounts.credentials(id)).toEqual({ password: BROKER_PASSWORD, metaapiToken: METAAPI_TOKEN });
    expect(api.logs()).not.toContain(u.token);
  });

  it("leaves no partial rows when a request fails (plan limit)", async () => {
    const u = await api.user();
    for (let i = 0; i < 2; i++) {
      expect((await api.app.inject({ method: "POST", url: "/accounts", headers: u.auth, payload: { name: `a${i}`, platform: "PAPER" } })).statusCode).toBe(201);
    }
    const over = await api.app.inject({ method: "POST", url: "/accounts", headers: u.auth, payload: { name: "third", platform: "PAPER" } });
    expect(over.statusCode).toBe(403);
    const prisma = api.container.db.prisma;
    expect(await prisma.brokerAccount.count({ where: { userId: u.id } })).toBe(2);
    expect(await prisma.auditLog.count({ where: { actorUserId: u.id, action: "account.create" } })).toBe(2);
  });

  it("serves readiness, metrics and the OpenAPI document", async () => {
    const ready = await api.app.inject({ method: "GET", url: "/readyz" });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: "ok", database: { status: "ok" } });
    const metrics = await api.app.inject({ method: "GET", url: "/metrics" });
    expect(metrics.body).toContain("riskloop_http_request_duration_seconds_bucket");
    const spec = await api.app.inject({ method: "GET", url: "/docs/json" });
    expect(spec.statusCode).toBe(200);
    expect(Object.keys(spec.json().paths)).toEqual(expect.arrayContaining(["/auth/login", "/accounts", "/accounts/{id}"]));
    const headers = (await api.app.inject({ method: "GET", url: "/healthz" })).headers;
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect((await api.app.inject({ method: "GET", url: "/nope" })).json().error.code).toBe("CORE_ERR_NOT_FOUND");
  });

  it("streams only the caller's own events on the authenticated WebSocket", async () => {
    const alice = await api.user();
    const bob = await api.user();
    const address = await api.app.listen({ host: "127.0.0.1", port: 0 });
    const wsUrl = address.replace("http", "ws");

    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${wsUrl}/ws`);
      ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      ws.on("open", () => resolve(101));
    });
    expect(refused).toBe(401);

    const received: Array<{ type: string; data: unknown }> = [];
    const ws = new WebSocket(`${wsUrl}/ws?access_token=${alice.token}`);
    ws.on("message", (m) => received.push(JSON.parse(m.toString())));
    await eventually(() => expect(received.some((e) => e.type === "hello")).toBe(true));
    const bus = api.container.bus;
    bus.publish({ type: "decision", userId: bob.id, at: Date.now(), data: { n: 1 } });
    bus.publish({ type: "decision", userId: alice.id, at: Date.now(), data: { n: 2 } });
    bus.publish({ type: "alert", userId: null, at: Date.now(), data: { n: 3 } });
    await eventually(() => expect(received.filter((e) => e.type === "decision")).toHaveLength(1));
    expect(received.find((e) => e.type === "decision")?.data).toEqual({ n: 2 });
    expect(received.some((e) => e.type === "alert")).toBe(false);
    ws.close();
    expect(api.logs()).toContain("/ws");
    expect(api.logs()).not.toContain(alice.token);
  });
});

describeEachDatabase("API rate limiting", (getDb) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await testApi(getDb(), { API_AUTH_RATE_LIMIT_PER_MINUTE: "3" });
  });
  afterAll(async () => {
    await api?.close();
  });

  it("limits login attempts per minute and says so with 429", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await api.app.inject({ method: "POST", url: "/auth/login", payload: { email: "x@example.com", password: "whatever-123" } })).statusCode);
    }
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.slice(3)).toEqual([429, 429]);
  });
});

describe.skipIf(!(await serviceAvailable("redis")))("API rate limiting across API processes (Redis)", () => {
  describeEachDatabase("shared limit", (getDb) => {
    let apis: TestApi[] = [];
    beforeAll(async () => {
      // Two API processes of one deployment: one Redis, one key prefix.
      const env = { API_AUTH_RATE_LIMIT_PER_MINUTE: "3", REDIS_URL, JOBS_PREFIX: `rlrate-${process.pid}-${randomBytes(4).toString("hex")}` };
      apis = [await testApi(getDb(), env), await testApi(getDb(), env)];
    });
    afterAll(async () => {
      await Promise.all(apis.map((a) => a.close()));
    });

    it("counts requests to every process against one limit", async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const api = apis[i % 2]!;
        statuses.push((await api.app.inject({ method: "POST", url: "/auth/login", payload: { email: "x@example.com", password: "whatever-123" } })).statusCode);
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    });
  });
});
