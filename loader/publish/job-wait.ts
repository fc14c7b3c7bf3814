/**
 * Waiting for BigQuery jobs with an end: polls jobs.get (load jobs) or jobs.getQueryResults (query
 * jobs) until done, and past the job deadline cancels the job and fails. A job that vanishes while
 * it is polled (`Not found: Job ...`, as after a restart of a server that kept jobs in memory) is a
 * JobLostError: its outcome is unknown, so the caller decides how to run it again safely.
 */
import type { Job, JobMetadata } from '@google-cloud/bigquery';
import type { Logger } from '../../common/logger.js';
import { LoaderTimeoutError } from '../timeouts.js';

export class JobLostError extends Error {
  /** Classified transient by retry.ts: running the work again is the way out. */
  readonly reason = 'jobLost';

  constructor(readonly jobId: string) {
    super(`BigQuery lost job ${jobId} while it was polled (a restarted server?); its outcome is unknown`);
    this.name = 'JobLostError';
  }
}

function isJobNotFound(error: unknown, jobId: string): boolean {
  const shape = error as { code?: unknown; message?: unknown };
  const message = typeof shape.message === 'string' ? shape.message : '';
  return shape.code === 404 && /^Not found: Job\b/i.test(message) && (jobId === '' || message.includes(jobId));
}

async function cancelQuietly(job: Job, logger: Logger | undefined): Promise<void> {
  await job.cancel().catch((error: unknown) => logger?.warn({ jobId: job.id, err: (error as Error).message }, 'could not cancel the job past its deadline'));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits for a job to finish, polling jobs.get from 50 ms up to 1 s apart (the client's own
 * job.promise() polls every 500 ms, which adds up to half a second per part to every load).
 * Rejects with the job's error result, as job.promise() does.
 */
export async function waitForJob(job: Job, jobMs: number, logger?: Logger): Promise<JobMetadata> {
  const deadline = Date.now() + jobMs;
  for (let delay = 50; ; delay = Math.min(1000, Math.round(delay * 1.5))) {
    let metadata: JobMetadata;
    try {
      [metadata] = await job.getMetadata();
    } catch (error) {
      if (isJobNotFound(error, job.id ?? '')) throw new JobLostError(job.id ?? '');
      throw error;
    }
    const status = metadata.status as { state?: string; errorResult?: { message?: string; reason?: string } } | undefined;
    if (status?.state === 'DONE') {
      if (status.errorResult) throw Object.assign(new Error(status.errorResult.message ?? 'job failed'), { errors: metadata.status?.errors, reason: status.errorResult.reason, response: metadata });
      return metadata;
    }
    if (Date.now() >= deadline) {
      await cancelQuietly(job, logger);
      throw new LoaderTimeoutError(`BigQuery job ${job.id ?? ''}`, jobMs);
    }
    await sleep(Math.min(delay, Math.max(0, deadline - Date.now())));
  }
}

export interface QueryRows {
  rows: unknown[];
  /** Rows a DML statement changed (jobs.getQueryResults' numDmlAffectedRows), when it says. */
  affected?: number;
}

/** Rows of a query job, waiting at most `jobMs` (the server holds each poll up to 10 s). */
export async function waitForQueryRows(job: Job, jobMs: number, logger?: Logger): Promise<QueryRows> {
  const deadline = Date.now() + jobMs;
  for (;;) {
    const wait = Math.max(1, Math.min(10_000, deadline - Date.now()));
    try {
      const [rows, , response] = await job.getQueryResults({ timeoutMs: wait });
      const affected = (response as { numDmlAffectedRows?: string | number } | undefined)?.numDmlAffectedRows;
      return { rows, ...(affected !== undefined ? { affected: Number(affected) } : {}) };
    } catch (error) {
      if (isJobNotFound(error, job.id ?? '')) throw new JobLostError(job.id ?? '');
      const incomplete = error instanceof Error && /did not complete before/.test(error.message);
      if (!incomplete) throw error;
      if (Date.now() >= deadline) {
        await cancelQuietly(job, logger);
        throw new LoaderTimeoutError(`BigQuery query job ${job.id ?? ''}`, jobMs);
      }
    }
  }
}
