/**
 * Waiting for BigQuery jobs with an end: polls jobs.get (load jobs) or jobs.getQueryResults (query
 * jobs) until done, and past the job deadline cancels the job and fails. A job that vanishes while
 * it is polled (`Not found: Job ...`, as after a restart of a server that kept jobs in memory) is a
 * JobLostError: its outcome is unknown, so the caller decides how to run it again safely. A poll
 * that fails on its own (lost connection, 5xx: the server restarting) is no news about the job:
 * polling goes on until the deadline.
 */
import type { Job, JobMetadata } from '@google-cloud/bigquery';
import type { Logger } from '../../common/logger.js';
import { classifyError } from '../retry.js';
import { LoaderTimeoutError } from '../timeouts.js';

export class JobLostError extends Error {
  /** Classified transient by retry.ts: running the work again is the way out. */
  readonly reason = 'jobLost';

  constructor(readonly jobId: string) {
    super(`BigQuery lost job ${jobId} while it was polled (a restarted server?); its outcome is unknown`);
    this.name = 'JobLostError';
  }
}

/** The embedded BigQuery's words for a job it was running when killed (server/job-limits.ts). */
const OUTCOME_UNKNOWN = /killed or crashed|may have been committed/i;

function isJobNotFound(error: unknown, jobId: string): boolean {
  const shape = error as { code?: unknown; message?: unknown };
  const message = typeof shape.message === 'string' ? shape.message : '';
  return shape.code === 404 && /^Not found: Job\b/i.test(message) && (jobId === '' || message.includes(jobId));
}

async function cancelQuietly(job: Job, logger: Logger | undefined): Promise<void> {
  await job.cancel().catch((error: unknown) => logger?.warn({ jobId: job.id, err: (error as Error).message }, 'could not cancel the job past its deadline'));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A failed poll (not a failed job) is worth another poll while the deadline allows. */
function pollMayContinue(error: unknown, deadline: number): boolean {
  return Date.now() < deadline && classifyError(error).transient && !(error instanceof JobLostError);
}

/**
 * Waits for a job to finish, polling jobs.get from 50 ms up to 250 ms apart for its first 5 s
 * (most load jobs of a part end within that, and the last part's wait is on the batch's critical
 * path: a 1 s step could notice it ~0.5 s late), then up to 1 s apart (the client's own
 * job.promise() polls every 500 ms, which adds up to half a second per part to every load).
 * Rejects with the job's error result, as job.promise() does.
 */
export async function waitForJob(job: Job, jobMs: number, logger?: Logger): Promise<JobMetadata> {
  const started = Date.now();
  const deadline = started + jobMs;
  for (let delay = 50; ; delay = Math.min(Date.now() - started < 5000 ? 250 : 1000, Math.round(delay * 1.5))) {
    let metadata: JobMetadata | undefined;
    try {
      [metadata] = await job.getMetadata();
    } catch (error) {
      if (isJobNotFound(error, job.id ?? '')) throw new JobLostError(job.id ?? '');
      if (!pollMayContinue(error, deadline)) throw error;
      logger?.warn({ jobId: job.id, err: (error as Error).message }, 'polling the job failed; polling on');
    }
    if (!metadata) {
      await sleep(Math.min(1000, Math.max(0, deadline - Date.now())));
      continue;
    }
    const status = metadata.status as { state?: string; errorResult?: { message?: string; reason?: string } } | undefined;
    if (status?.state === 'DONE') {
      // A server killed mid-job cannot say whether the job committed: as good as lost.
      if (status.errorResult && OUTCOME_UNKNOWN.test(status.errorResult.message ?? '')) throw new JobLostError(job.id ?? '');
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

/**
 * Whether a getQueryResults error is about the request rather than the job: no HTTP answer at all
 * (a lost connection, a server restarting) or a 502/503/504 from something in front of it. A job
 * that itself failed with backendError answers 200/4xx/500 with its error, and is the caller's to rerun.
 */
function isPollFailure(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' || code === 502 || code === 503 || code === 504;
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
      // A transient failure of the poll itself: poll on. (A job that failed transiently is rerun by runQuery's retry, as before.)
      const pollFailed = !incomplete && isPollFailure(error) && pollMayContinue(error, deadline);
      if (pollFailed) {
        logger?.warn({ jobId: job.id, err: (error as Error).message }, 'polling the query failed; polling on');
        await sleep(Math.min(1000, Math.max(0, deadline - Date.now())));
        continue;
      }
      if (!incomplete) throw error;
      if (Date.now() >= deadline) {
        await cancelQuietly(job, logger);
        throw new LoaderTimeoutError(`BigQuery query job ${job.id ?? ''}`, jobMs);
      }
    }
  }
}
