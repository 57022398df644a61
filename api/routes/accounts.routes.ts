import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import type { Container } from "../../app/container.ts";
import { DecimalString, errorResponses, IdParams } from "../schemas.ts";

const Platform = Type.Union([Type.Literal("MT4"), Type.Literal("MT5"), Type.Literal("PAPER")]);
const Role = Type.Union([Type.Literal("MASTER"), Type.Literal("SLAVE"), Type.Literal("STANDALONE")]);
const Credentials = Type.Object(
  {
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    investorPassword: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    metaapiToken: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
  },
  { additionalProperties: false, description: "Encrypted at rest; never returned." },
);

const CreateAccount = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    platform: Platform,
    role: Type.Optional(Role),
    broker: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    server: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    login: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    currency: Type.Optional(Type.String({ pattern: "^[A-Z]{3}$" })),
    leverage: Type.Optional(Type.Integer({ minimum: 1, maximum: 3000 })),
    initialBalance: Type.Optional(DecimalString("Starting balance of a paper account.")),
    hedging: Type.Optional(Type.Boolean({ description: "A paper account only: false makes it a netting account (one position per symbol, as MT5 netting). MetaTrader accounts report their broker's mode." })),
    credentials: Type.Optional(Credentials),
  },
  { additionalProperties: false },
);

const UpdateAccount = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    role: Type.Optional(Role),
    server: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    login: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    leverage: Type.Optional(Type.Integer({ minimum: 1, maximum: 3000 })),
    credentials: Type.Optional(Credentials),
  },
  { additionalProperties: false, minProperties: 1 },
);

const AccountView = Type.Object({
  id: Type.String(),
  userId: Type.String(),
  name: Type.String(),
  platform: Type.String(),
  role: Type.String(),
  broker: Type.Union([Type.String(), Type.Null()]),
  server: Type.Union([Type.String(), Type.Null()]),
  login: Type.Union([Type.String(), Type.Null()]),
  status: Type.String(),
  riskState: Type.String(),
  currency: Type.String(),
  leverage: Type.Integer(),
  hedging: Type.Union([Type.Boolean(), Type.Null()], { description: "False for a netting account (one position per symbol); null until an MT5 account's broker reported it." }),
  balance: Type.String(),
  equity: Type.String(),
  hasCredentials: Type.Boolean(),
  metaapiAccountId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});

/** Broker accounts of the caller (admins see all); credentials go into the vault. */
export const accountRoutes: FastifyPluginAsyncTypebox<{ container: Container }> = async (app, { container }) => {
  const { accounts } = container;
  const common = { tags: ["accounts"], security: [{ bearer: [] }] };
  app.addHook("preHandler", app.authenticate);

  app.post(
    "/accounts",
    { schema: { ...common, summary: "Add a broker account", body: CreateAccount, response: { 201: AccountView, ...errorResponses(400, 401, 403) } } },
    async (req, reply) => reply.code(201).send(await accounts.create(req.actor, req.body, req.ip)),
  );

  app.get("/accounts", { schema: { ...common, summary: "List your broker accounts", response: { 200: Type.Array(AccountView) } } }, async (req) =>
    accounts.list(req.actor),
  );

  app.get(
    "/accounts/:id",
    { schema: { ...common, summary: "Get one broker account", params: IdParams, response: { 200: AccountView, ...errorResponses(400, 401, 404) } } },
    async (req) => accounts.get(req.actor, req.params.id),
  );

  app.patch(
    "/accounts/:id",
    {
      schema: {
        ...common,
        summary: "Update a broker account",
        params: IdParams,
        body: UpdateAccount,
        response: { 200: AccountView, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => accounts.update(req.actor, req.params.id, req.body, req.ip),
  );

  app.delete(
    "/accounts/:id",
    { schema: { ...common, summary: "Delete a broker account", params: IdParams, response: { 204: Type.Null(), ...errorResponses(400, 401, 404) } } },
    async (req, reply) => {
      await container.trading.read.assertOwned(req.actor, req.params.id);
      // Its session (broker connection, paper replay, risk checks) ends first: nothing may go on trading or
      // writing for an account that is gone.
      await container.trading.sessions.close(req.params.id);
      await accounts.remove(req.actor, req.params.id, req.ip);
      return reply.code(204).send(null);
    },
  );
};
