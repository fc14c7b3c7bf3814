import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { Engine } from '../engine/types.js';
import { BigQueryApiError } from '../engine/types.js';
import type { Logger } from '../logger.js';
import { toApiError } from './http-io.js';
import type { JobConfiguration, JobReference, JobResource, JobState, QueryOutput } from './job-types.js';
import { jobTypeOf, queryOptions, queryStatistics, runCopyJob, runLoadJob, runQueryJob, type JobOutcome } from './job-runners.js';

const JOB_ID = /^[A-Za-z0-9_-]{1,1024}$/;

export interface Job {
  resource: JobResource;
  output?: QueryOutput;
  /** Settles when the job reaches DONE (never rejects). */
  done: Promise<void>;
  cancelRequested: boolean;
}

export interface JobManagerOptions {
  location: string;
  userEmail: string;
  /** Jobs running at once; the rest wait in PENDING. */
  concurrency: number;
  /** Finished query results kept in memory; older jobs' rows are dropped (their getQueryResults fails with notFound). */
  retainedResults: number;
  logger: Logger;
}

interface InsertRequest {
  projectId: string;
  jobReference?: Partial<JobReference>;
  configuration: JobConfiguration;
  /** Data a load job reads, saved from an upload; deleted when the job ends. */
  uploadFile?: string;
}

function isDone(job: Job): boolean {
  return job.resource.status.state === 'DONE';
}

/** Runs jobs in-process (PENDING → RUNNING → DONE), keeps their resources and results, answers waits. */
export class JobManager {
  private readonly jobs = new Map<string, Job>();
  private readonly order: Job[] = [];
  private readonly queue: (() => void)[] = [];
  private readonly withResults: Job[] = [];
  private running = 0;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly engine: Engine,
    private readonly options: JobManagerOptions,
  ) {}

  /** jobs.insert: validates, registers and starts the job; a dry run is answered at once and not kept. */
  async insert(request: InsertRequest): Promise<Job> {
    const { configuration } = request;
    if (!configuration || typeof configuration !== 'object') throw new BigQueryApiError('invalid', 'jobs.insert: configuration is required');
    const jobType = jobTypeOf(configuration);
    const projectId = request.jobReference?.projectId ?? request.projectId;
    const location = request.jobReference?.location ?? this.options.location;
    const jobId = request.jobReference?.jobId ?? `job_${randomUUID().replace(/-/g, '_')}`;
    if (!JOB_ID.test(jobId)) throw new BigQueryApiError('invalid', `jobs.insert: jobId ${JSON.stringify(jobId)} may hold only letters, digits, underscores and dashes (at most 1024)`);

    if (configuration.dryRun) return this.dryRun(projectId, location, jobType, configuration);

    const key = `${projectId}:${jobId}`;
    if (this.jobs.has(key)) throw new BigQueryApiError('duplicate', `Already Exists: Job ${projectId}:${location}.${jobId}`);

    const now = String(Date.now());
    const resource: JobResource = {
      kind: 'bigquery#job',
      id: `${projectId}:${location}.${jobId}`,
      etag: Buffer.from(jobId).toString('base64').slice(0, 24),
      selfLink: `/bigquery/v2/projects/${projectId}/jobs/${jobId}?location=${location}`,
      user_email: this.options.userEmail,
      jobReference: { projectId, jobId, location },
      configuration: { ...configuration, jobType },
      status: { state: 'PENDING' },
      statistics: { creationTime: now },
    };
    let resolveDone!: () => void;
    const job: Job = { resource, done: new Promise((resolve) => (resolveDone = resolve)), cancelRequested: false };
    this.jobs.set(key, job);
    this.order.push(job);

    const run = this.schedule(job, () => this.execute(job, request.uploadFile)).finally(() => {
      resolveDone();
      if (request.uploadFile) void rm(request.uploadFile, { force: true });
    });
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
    return job;
  }

  get(projectId: string, jobId: string): Job {
    const job = this.jobs.get(`${projectId}:${jobId}`);
    if (!job) throw new BigQueryApiError('notFound', `Not found: Job ${projectId}:${this.options.location}.${jobId}`);
    return job;
  }

  /** True once the job is DONE, waiting at most timeoutMs for it. */
  async waitDone(job: Job, timeoutMs: number): Promise<boolean> {
    if (isDone(job)) return true;
    if (timeoutMs <= 0) return false;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([job.done, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    return isDone(job);
  }

  /**
   * jobs.cancel: a PENDING job stops before it starts; a RUNNING one runs to its end (the engine
   * cannot interrupt a statement), as BigQuery documents that a cancelled job may still succeed.
   */
  cancel(projectId: string, jobId: string): Job {
    const job = this.get(projectId, jobId);
    if (job.resource.status.state !== 'DONE') job.cancelRequested = true;
    return job;
  }

  /** jobs.list order: newest first. */
  list(projectId: string, stateFilter: JobState[] | undefined): Job[] {
    return this.order
      .filter((j) => j.resource.jobReference.projectId === projectId)
      .filter((j) => !stateFilter || stateFilter.includes(j.resource.status.state))
      .reverse();
  }

  delete(projectId: string, jobId: string): void {
    const job = this.get(projectId, jobId);
    if (job.resource.status.state !== 'DONE') throw new BigQueryApiError('invalid', `Job ${projectId}:${jobId} is not done and cannot be deleted`);
    this.jobs.delete(`${projectId}:${jobId}`);
    const i = this.order.indexOf(job);
    if (i >= 0) this.order.splice(i, 1);
  }

  /** Waits for every started job (used on shutdown, so no statement is cut off mid-write). */
  async drain(): Promise<void> {
    for (const job of this.order) if (job.resource.status.state === 'PENDING') job.cancelRequested = true;
    await Promise.allSettled([...this.inFlight]);
  }

  private async schedule(job: Job, work: () => Promise<void>): Promise<void> {
    if (this.running >= this.options.concurrency) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.running += 1;
    try {
      await work();
    } finally {
      this.running -= 1;
      this.queue.shift()?.();
    }
  }

  private async execute(job: Job, uploadFile: string | undefined): Promise<void> {
    const { resource } = job;
    if (job.cancelRequested) {
      this.finish(job, {}, new BigQueryApiError('stopped', 'Job execution was cancelled: User requested cancellation'));
      return;
    }
    resource.status = { state: 'RUNNING' };
    resource.statistics.startTime = String(Date.now());
    const { projectId } = resource.jobReference;
    const configuration = resource.configuration;
    try {
      let outcome: JobOutcome;
      if (configuration.query) outcome = await runQueryJob(this.engine, projectId, configuration.query);
      else if (configuration.load) outcome = await runLoadJob(this.engine, projectId, configuration.load, uploadFile);
      else if (configuration.copy) outcome = await runCopyJob(this.engine, projectId, configuration.copy);
      else throw new BigQueryApiError('invalid', 'configuration must hold one of query, load or copy');
      this.finish(job, outcome);
    } catch (error) {
      this.finish(job, {}, toApiError(error));
    }
  }

  private finish(job: Job, outcome: Partial<JobOutcome>, error?: BigQueryApiError): void {
    const { resource } = job;
    const now = String(Date.now());
    resource.statistics = { ...resource.statistics, startTime: resource.statistics.startTime ?? now, ...outcome.statistics, endTime: now };
    if (error) {
      const proto = { reason: error.reason, message: error.message, ...(error.location ? { location: error.location } : {}) };
      resource.status = { state: 'DONE', errorResult: proto, errors: [proto] };
      this.options.logger.debug({ jobId: resource.jobReference.jobId, reason: error.reason, message: error.message }, 'job failed');
    } else {
      resource.status = { state: 'DONE' };
    }
    if (outcome.output) {
      job.output = outcome.output;
      this.withResults.push(job);
      while (this.withResults.length > this.options.retainedResults) {
        const old = this.withResults.shift();
        if (old) delete old.output;
      }
    }
  }

  private async dryRun(projectId: string, location: string, jobType: string, configuration: JobConfiguration): Promise<Job> {
    const stats: JobResource['statistics'] = { creationTime: String(Date.now()) };
    if (configuration.query) {
      const result = await this.engine.query(configuration.query.query, queryOptions(projectId, configuration.query, true));
      Object.assign(stats, queryStatistics(result));
      if (stats.query) stats.query.totalBytesBilled = '0';
    }
    const resource: JobResource = {
      kind: 'bigquery#job',
      id: '',
      etag: '',
      selfLink: '',
      user_email: this.options.userEmail,
      // BigQuery does not keep dry-run jobs: their reference carries no usable id.
      jobReference: { projectId, location, jobId: '' },
      configuration: { ...configuration, jobType: jobType as JobConfiguration['jobType'] },
      status: { state: 'DONE' },
      statistics: stats,
    };
    return { resource, done: Promise.resolve(), cancelRequested: false };
  }
}
