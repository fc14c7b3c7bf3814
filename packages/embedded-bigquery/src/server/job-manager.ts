import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type { Engine } from '../engine/types.js';
import { BigQueryApiError } from '../engine/types.js';
import type { Logger } from '../logger.js';
import { HttpError } from './http-error.js';
import { toHttpError } from './http-io.js';
import { boundedSignal, jobTimeoutOf, shutdownError, cancelledError, timeoutError } from './job-limits.js';
import { NO_JOB_STORE, type JobStore, type StoredJob } from './job-store.js';
import type { JobConfiguration, JobErrorProto, JobReference, JobResource, JobState, QueryOutput } from './job-types.js';
import { jobTypeOf, queryOptions, queryStatistics, runCopyJob, runLoadJob, runQueryJob, type JobOutcome } from './job-runners.js';
import { runExtractJob } from './extract-job.js';
import { runGcsLoadJob } from './gcs-load.js';
import { isExportData, runExportDataJob } from './export-data-job.js';
import type { GcsTarget } from './gcs-upload.js';
import { jsLibraryReader } from './js-libraries.js';

const JOB_ID = /^[A-Za-z0-9_-]{1,1024}$/;

export interface Job {
  resource: JobResource;
  output?: QueryOutput;
  /** Settles when the job reaches DONE (never rejects). */
  done: Promise<void>;
  /** Aborted by jobs.cancel, the job's timeout or shutdown; its reason is the job's error. */
  controller: AbortController;
}

export interface JobManagerOptions {
  location: string;
  userEmail: string;
  /** Jobs running at once; the rest wait in PENDING. */
  concurrency: number;
  /** Finished query results kept in memory; older jobs' rows are dropped (their getQueryResults fails with notFound). */
  retainedResults: number;
  /** Jobs kept at all (memory and records); past it the oldest finished ones are forgotten (then notFound). */
  retainedJobs: number;
  /** Timeout of a job whose configuration sets no jobTimeoutMs. */
  defaultJobTimeoutMs: number;
  /** Largest data a load job may hand the engine (after gunzip). */
  maxUploadBytes: number;
  logger: Logger;
  /** Where extract jobs write `gs://` URIs (none: extract jobs fail with `invalid`). */
  gcs?: GcsTarget;
  /** Where load jobs from `gs://` URIs keep the objects they download (the server's upload directory; default the temp dir). */
  uploadDir?: string;
  /** Where job records outlive the process (a data directory), and the records earlier runs left. */
  store?: JobStore;
  restored?: Map<string, StoredJob>;
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
  private readonly settle = new WeakMap<Job, () => void>();
  private readonly timers = new WeakMap<Job, NodeJS.Timeout>();
  private running = 0;
  private readonly inFlight = new Set<Promise<void>>();
  /** Aborted on shutdown: stops dry runs, which run outside any job. */
  private readonly stopping = new AbortController();
  private readonly store: JobStore;

  constructor(
    private readonly engine: Engine,
    private readonly options: JobManagerOptions,
  ) {
    this.store = options.store ?? NO_JOB_STORE;
    for (const [key, stored] of options.restored ?? []) {
      const job: Job = { resource: stored.resource, done: Promise.resolve(), controller: new AbortController() };
      if (stored.output) this.keepOutput(job, stored.output);
      this.jobs.set(key, job);
      this.order.push(job);
    }
  }

  /** jobs.insert: validates, registers and starts the job; a dry run is answered at once and not kept. */
  async insert(request: InsertRequest): Promise<Job> {
    const { configuration } = request;
    if (!configuration || typeof configuration !== 'object') throw new BigQueryApiError('invalid', 'jobs.insert: configuration is required');
    const jobType = jobTypeOf(configuration);
    const timeoutMs = jobTimeoutOf(configuration, this.options.defaultJobTimeoutMs);
    const projectId = request.jobReference?.projectId ?? request.projectId;
    const location = request.jobReference?.location ?? this.options.location;
    const jobId = request.jobReference?.jobId ?? `job_${randomUUID().replace(/-/g, '_')}`;
    if (!JOB_ID.test(jobId)) throw new BigQueryApiError('invalid', `jobs.insert: jobId ${JSON.stringify(jobId)} may hold only letters, digits, underscores and dashes (at most 1024)`);

    if (configuration.dryRun) return this.dryRun(projectId, location, jobType, configuration, timeoutMs);

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
    const job: Job = { resource, done: new Promise((resolve) => (resolveDone = resolve)), controller: new AbortController() };
    this.settle.set(job, resolveDone);
    this.jobs.set(key, job);
    this.order.push(job);
    await this.persist(job);

    // BigQuery counts jobTimeoutMs from the job's creation, time spent waiting included.
    const timer = setTimeout(() => this.stop(job, timeoutError(timeoutMs)), Math.min(timeoutMs, 2 ** 31 - 1));
    timer.unref();
    this.timers.set(job, timer);

    const run = this.schedule(() => this.execute(job, request.uploadFile)).finally(() => {
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
   * jobs.cancel: a PENDING job is DONE at once; a RUNNING one has its DuckDB statement interrupted
   * and is DONE when the engine gave the connection back (its uncommitted changes rolled back).
   */
  cancel(projectId: string, jobId: string): Job {
    const job = this.get(projectId, jobId);
    this.stop(job, cancelledError());
    return job;
  }

  /** jobs.list order: newest first. */
  list(projectId: string, stateFilter: JobState[] | undefined): Job[] {
    return this.order
      .filter((j) => j.resource.jobReference.projectId === projectId)
      .filter((j) => !stateFilter || stateFilter.includes(j.resource.status.state))
      .reverse();
  }

  async delete(projectId: string, jobId: string): Promise<void> {
    const job = this.get(projectId, jobId);
    if (job.resource.status.state !== 'DONE') throw new BigQueryApiError('invalid', `Job ${projectId}:${jobId} is not done and cannot be deleted`);
    const key = `${projectId}:${jobId}`;
    this.jobs.delete(key);
    const i = this.order.indexOf(job);
    if (i >= 0) this.order.splice(i, 1);
    await this.store.remove(key).catch((error: unknown) => this.logStoreError(error));
  }

  /**
   * Shutdown: PENDING jobs end at once; running ones get `graceMs` to finish, then are interrupted.
   * Every job ends DONE (an interrupted one with a retryable backendError) before this resolves.
   */
  async shutdown(graceMs: number): Promise<void> {
    this.stopping.abort(shutdownError('dry run'));
    for (const job of this.order) if (job.resource.status.state === 'PENDING') this.stop(job, shutdownError('PENDING'));
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.allSettled([...this.inFlight]), grace]);
    clearTimeout(timer);
    for (const job of this.order) if (!isDone(job)) this.stop(job, shutdownError(job.resource.status.state));
    await Promise.allSettled([...this.inFlight]);
  }

  /** Ends a job with `error`: at once when it has not started, by interrupting it when it runs. */
  private stop(job: Job, error: HttpError): void {
    if (isDone(job) || job.controller.signal.aborted) return;
    job.controller.abort(error);
    if (job.resource.status.state === 'PENDING') void this.finish(job, {}, error);
  }

  private async schedule(work: () => Promise<void>): Promise<void> {
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
    const { signal } = job.controller;
    if (isDone(job) || signal.aborted) return; // stopped while PENDING: already DONE
    resource.status = { state: 'RUNNING' };
    resource.statistics.startTime = String(Date.now());
    // Not awaited: records are appended in order, and this one only tells a restart what was running.
    void this.persist(job);
    const { projectId } = resource.jobReference;
    const configuration = resource.configuration;
    try {
      let outcome: JobOutcome;
      if (configuration.query && isExportData(configuration.query.query)) {
        outcome = await runExportDataJob(this.engine, projectId, this.options.location, configuration.query, this.options.gcs, signal);
      } else if (configuration.query) outcome = await runQueryJob(this.engine, projectId, configuration.query, signal, this.options.gcs ? jsLibraryReader(this.options.gcs) : undefined);
      else if (configuration.load && !uploadFile && configuration.load.sourceUris?.length) {
        outcome = await runGcsLoadJob(this.engine, projectId, configuration.load, this.options.gcs, { signal, maxBytes: this.options.maxUploadBytes, dir: this.options.uploadDir ?? tmpdir() });
      } else if (configuration.load) outcome = await runLoadJob(this.engine, projectId, configuration.load, uploadFile, { signal, maxBytes: this.options.maxUploadBytes });
      else if (configuration.copy) outcome = await runCopyJob(this.engine, projectId, configuration.copy, signal);
      else if (configuration.extract) outcome = await runExtractJob(this.engine, projectId, configuration.extract, this.options.gcs, signal);
      else throw new BigQueryApiError('invalid', 'configuration must hold one of query, load, copy or extract');
      // A statement that finished just as the job was stopped still counts: its changes are committed.
      await this.finish(job, outcome);
    } catch (error) {
      // DuckDB's "INTERRUPT Error" says nothing a client can act on; the reason the job was stopped does.
      await this.finish(job, {}, signal.aborted ? toHttpError(signal.reason) : toHttpError(error));
    }
  }

  /** Records the job's end (in the store first, so a client never sees a DONE that a restart would undo). */
  private async finish(job: Job, outcome: Partial<JobOutcome>, error?: HttpError): Promise<void> {
    if (isDone(job)) return;
    const { resource } = job;
    clearTimeout(this.timers.get(job));
    const now = String(Date.now());
    const statistics = { ...resource.statistics, startTime: resource.statistics.startTime ?? now, ...outcome.statistics, endTime: now };
    let status: JobResource['status'] = { state: 'DONE' };
    if (error) {
      const proto: JobErrorProto = { reason: error.reason, message: error.message, ...(error.location ? { location: error.location } : {}) };
      status = { state: 'DONE', errorResult: proto, errors: [proto] };
      this.options.logger.debug({ jobId: resource.jobReference.jobId, reason: error.reason, message: error.message }, 'job failed');
    }
    await this.persist({ ...job, resource: { ...resource, statistics, status }, ...(outcome.output ? { output: outcome.output } : {}) });
    resource.statistics = statistics;
    resource.status = status;
    if (outcome.output) this.keepOutput(job, outcome.output);
    this.settle.get(job)?.();
    this.forgetOldest();
  }

  private forgetOldest(): void {
    for (let i = 0; this.jobs.size > this.options.retainedJobs && i < this.order.length; ) {
      const job = this.order[i]!;
      if (!isDone(job)) {
        i += 1;
        continue;
      }
      const { projectId, jobId } = job.resource.jobReference;
      this.order.splice(i, 1);
      this.jobs.delete(`${projectId}:${jobId}`);
      delete job.output;
      this.store.forget(`${projectId}:${jobId}`);
    }
  }

  private keepOutput(job: Job, output: QueryOutput): void {
    job.output = output;
    this.withResults.push(job);
    while (this.withResults.length > this.options.retainedResults) {
      const old = this.withResults.shift();
      if (old) delete old.output;
    }
  }

  private async persist(job: Pick<Job, 'resource' | 'output'>): Promise<void> {
    const { projectId, jobId } = job.resource.jobReference;
    await this.store.save(`${projectId}:${jobId}`, job).catch((error: unknown) => this.logStoreError(error));
  }

  private logStoreError(error: unknown): void {
    // The job still runs; only its record would not survive a restart.
    this.options.logger.debug({ message: (error as Error).message }, 'could not write the job record');
  }

  private async dryRun(projectId: string, location: string, jobType: string, configuration: JobConfiguration, timeoutMs: number): Promise<Job> {
    const stats: JobResource['statistics'] = { creationTime: String(Date.now()) };
    if (configuration.query) {
      // A dry run executes the statement (rolled back after): it gets the same limits as a job.
      const limit = boundedSignal(this.stopping.signal, timeoutMs, () => timeoutError(timeoutMs));
      const { signal } = limit;
      const result = await this.engine
        .query(configuration.query.query, { ...queryOptions(projectId, configuration.query, true), signal, ...(this.options.gcs ? { jsLibrary: jsLibraryReader(this.options.gcs) } : {}) })
        .catch((error: unknown) => {
          if (!signal.aborted) throw error;
          throw signal.reason instanceof HttpError ? signal.reason : timeoutError(timeoutMs);
        })
        .finally(() => limit.release());
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
    return { resource, done: Promise.resolve(), controller: new AbortController() };
  }
}
