import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { newId, notFound, RiskloopError } from "../../core/index.ts";
import type { Container } from "../../app/container.ts";
import { jobCatalog } from "../../app/job-catalog.ts";
import type { JobStatus } from "../../jobs/index.ts";
import type { Prisma } from "../../prisma/index.ts";
import { errorResponses } from "../schemas.ts";

const NullableString = Type.Union([Type.String(), Type.Null()]);
const JobParams = Type.Object({ name: Type.String({ pattern: "^[a-z][a-z0-9-]{0,62}$" }) }, { additionalProperties: false });
const DeadLetterParams = Type.Object(
  { name: Type.String({ pattern: "^[a-z][a-z0-9-]{0,62}$" }), id: Type.String({ pattern: "^[A-Za-z0-9._-]{1,300}$" }) },
  { additionalProperties: false },
);
const ErrorInfo = Type.Object({ message: Type.String(), code: Type.Optional(Type.String()), kind: Type.Optional(Type.String()) });

const RunView = Type.Object({
  id: Type.String(),
  jobId: NullableString,
  status: Type.String({ description: "QUEUED, RUNNING, SUCCEEDED, FAILED (a retry follows), DEAD (dead-lettered) or ABANDONED (its process stopped)." }),
  attempts: Type.Integer(),
  progress: Type.Number(),
  startedAt: NullableString,
  finishedAt: NullableString,
  error: NullableString,
  result: Type.Unknown(),
  createdAt: Type.String(),
});

const JobView = Type.Object({
  name: Type.String(),
  registered: Type.Boolean({ description: "False when this process's runtime does not know the job (it was never registered here)." }),
  kind: NullableString,
  schedule: Type.Unknown({ description: "{ cron, timezone } or { everyMs }; null when the job only runs on demand." }),
  counts: Type.Union([
    Type.Object({
      waiting: Type.Integer(),
      active: Type.Integer(),
      delayed: Type.Integer(),
      completed: Type.Integer(),
      failed: Type.Integer(),
      skipped: Type.Integer(),
      dead: Type.Integer(),
    }),
    Type.Null(),
  ]),
  lastRuns: Type.Array(
    Type.Object({
      jobId: Type.String(),
      attempt: Type.Integer(),
      state: Type.String(),
      startedAt: Type.String(),
      finishedAt: Type.Optional(Type.String()),
      progress: Type.Optional(Type.Object({ fraction: Type.Number(), note: Type.Optional(Type.String()) })),
      error: Type.Optional(ErrorInfo),
      partition: Type.Optional(Type.Integer()),
    }),
    { description: "The runtime's recent attempts, active ones first, with live progress." },
  ),
  history: Type.Array(RunView, { description: "The latest rows of job_runs (kept across restarts)." }),
  lanes: Type.Optional(
    Type.Array(Type.Object({ worker: Type.String({ description: "<host>.<pid>.<random>" }), lanes: Type.Array(Type.Integer()) }), {
      description: "A partitioned job on BullMQ: the live worker processes and the lanes each one consumes.",
    }),
  ),
});

const DeadLetterView = Type.Object({
  id: Type.String(),
  jobId: Type.String(),
  attempts: Type.Integer(),
  error: ErrorInfo,
  failedAt: Type.String(),
  data: Type.Optional(Type.Unknown({ description: "The run's data; absent for scheduled runs." })),
  key: Type.Optional(Type.String()),
  partition: Type.Optional(Type.Integer()),
});

const Enqueued = Type.Object({ name: Type.String(), jobId: Type.String(), runId: Type.String(), status: Type.Literal("QUEUED") });

type RunRow = Prisma.JobRunGetPayload<object>;

function runView(r: RunRow) {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return { ...r, startedAt: iso(r.startedAt), finishedAt: iso(r.finishedAt), createdAt: r.createdAt.toISOString(), result: r.result ?? null };
}

/** The runtime's status of a job, or null when this process never registered it (the runtime answers not found). */
async function statusOrNull(container: Container, name: string): Promise<JobStatus | null> {
  try {
    return await container.jobs.status(name);
  } catch (err) {
    if (err instanceof RiskloopError && err.kind === "not_found") return null;
    throw err;
  }
}

/** Job operations for admins: status of every job, its run history, dead letters and their retry, and a run on demand. */
export const jobRoutes: FastifyPluginAsyncTypebox<{ container: Container }> = async (app, { container }) => {
  const prisma = container.db.prisma;
  const common = { tags: ["jobs"], security: [{ bearer: [] }] };
  app.addHook("preHandler", app.authenticate);
  app.addHook("preHandler", app.requireRole("ADMIN"));

  /** A QUEUED row first, so the run's recorder takes it over whichever worker starts it; removed again if the enqueue fails. */
  const enqueueRecorded = async (name: string, jobId: string, enqueue: () => Promise<unknown>) => {
    const row = await prisma.jobRun.create({ data: { name, jobId, status: "QUEUED" }, select: { id: true } });
    try {
      await enqueue();
    } catch (err) {
      await prisma.jobRun.delete({ where: { id: row.id } });
      throw err;
    }
    return row.id;
  };

  app.get(
    "/jobs",
    { schema: { ...common, summary: "Every job: queue counts, schedule, recent attempts with progress and errors, and stored run history", response: { 200: Type.Array(JobView), ...errorResponses(401, 403) } } },
    async () => {
      const names = jobCatalog(container).map((d) => d.name);
      return Promise.all(
        names.map(async (name) => {
          const [status, history] = await Promise.all([statusOrNull(container, name), prisma.jobRun.findMany({ where: { name }, orderBy: { createdAt: "desc" }, take: 5 })]);
          return {
            name,
            registered: status !== null,
            kind: status?.kind ?? null,
            schedule: status?.schedule ?? null,
            counts: status?.counts ?? null,
            lastRuns: (status?.lastRuns ?? []).map(({ finishedAt, ...r }) => ({
              ...r,
              startedAt: new Date(r.startedAt).toISOString(),
              ...(finishedAt === undefined ? {} : { finishedAt: new Date(finishedAt).toISOString() }),
            })),
            history: history.map(runView),
            ...(status?.lanes ? { lanes: status.lanes } : {}),
          };
        }),
      );
    },
  );

  app.get(
    "/jobs/:name/runs",
    {
      schema: {
        ...common,
        summary: "A job's runs from job_runs, newest first",
        params: JobParams,
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 200, default: 20 }) }, { additionalProperties: false }),
        response: { 200: Type.Array(RunView), ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => (await prisma.jobRun.findMany({ where: { name: req.params.name }, orderBy: { createdAt: "desc" }, take: req.query.limit })).map(runView),
  );

  app.get(
    "/jobs/:name/dead-letters",
    { schema: { ...common, summary: "Runs that failed for good, newest first", params: JobParams, response: { 200: Type.Array(DeadLetterView), ...errorResponses(400, 401, 403, 404) } } },
    async (req) => (await container.jobs.deadLetters(req.params.name)).map((d) => ({ ...d, failedAt: new Date(d.failedAt).toISOString() })),
  );

  app.post(
    "/jobs/:name/dead-letters/:id/retry",
    { schema: { ...common, summary: "Run a dead-lettered job again from attempt 1, under its original job id (audited)", params: DeadLetterParams, response: { 202: Enqueued, ...errorResponses(400, 401, 403, 404) } } },
    async (req, reply) => {
      const { name, id } = req.params;
      const letter = (await container.jobs.deadLetters(name)).find((d) => d.id === id);
      if (!letter) throw notFound("dead letter", id);
      const runId = await enqueueRecorded(name, letter.jobId, () => container.jobs.retryDead(name, id));
      await container.audit.record({ actorUserId: req.actor.id, action: "job.dead_letter_retried", entityType: "job", entityId: name, after: { deadLetter: id, jobId: letter.jobId, runId }, ip: req.ip });
      return reply.code(202).send({ name, jobId: letter.jobId, runId, status: "QUEUED" as const });
    },
  );

  app.post(
    "/jobs/:name/run",
    {
      schema: {
        ...common,
        summary: "Enqueue a run now, e.g. retrain-slippage (audited); poll GET /jobs/:name/runs for its outcome",
        params: JobParams,
        body: Type.Optional(Type.Object({ data: Type.Optional(Type.Unknown({ description: "Passed to the handler; scheduled runs get none." })) }, { additionalProperties: false })),
        response: { 202: Enqueued, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const { name } = req.params;
      if (!jobCatalog(container).some((d) => d.name === name)) throw notFound("job", name);
      const jobId = `api-${newId()}`;
      const runId = await enqueueRecorded(name, jobId, () => container.jobs.enqueue(name, req.body?.data, { jobId }));
      await container.audit.record({ actorUserId: req.actor.id, action: "job.run_requested", entityType: "job", entityId: name, after: { jobId, runId }, ip: req.ip });
      return reply.code(202).send({ name, jobId, runId, status: "QUEUED" as const });
    },
  );
};
