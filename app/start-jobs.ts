import { abandonOrphanedRuns } from "../jobs/index.ts";
import type { Container } from "./container.ts";
import { jobCatalog } from "./job-catalog.ts";

/** Registers every job (schedules included); without Redis this process also runs them. Starts copying. */
export async function startJobs(container: Container): Promise<void> {
  await container.jobs.register(jobCatalog(container));
  if (!container.config.value.jobs.redisUrl) {
    // Only one process opens the embedded database, so runs an earlier process left unfinished never will finish.
    if (container.db.kind === "pglite") {
      const abandoned = await abandonOrphanedRuns(container.db.prisma, new Date());
      if (abandoned > 0) container.logger.warn({ abandoned }, "job runs left unfinished by the previous process marked ABANDONED");
    }
    await container.jobs.startWorkers();
  }
  // Copying starts with the process, not at the first supervise pass.
  await container.copy.engine.start();
}
