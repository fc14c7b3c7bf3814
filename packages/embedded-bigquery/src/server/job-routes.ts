import { BigQueryApiError } from '../engine/types.js';
import { readJson, sendEmpty, sendJson } from './http-io.js';
import type { Job } from './job-manager.js';
import type { JobConfiguration, JobReference, JobResource, JobState, QueryJobConfig } from './job-types.js';
import { paginate, parseMaxResults, parseOffset } from './paging.js';
import { resultsPage } from './query-results.js';
import type { Router } from './router.js';
import type { ServerContext } from './server-context.js';

/** BigQuery's default wait for getQueryResults and jobs.query. */
const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_TIMEOUT_MS = 60_000;
/** jobs.query requestIds remembered for idempotent retries. */
const REQUEST_ID_MEMORY = 10_000;

export function jobView(job: Job): JobResource {
  const { resource } = job;
  if (resource.jobReference.jobId !== '') return resource;
  const reference: Partial<JobReference> = { ...resource.jobReference };
  delete reference.jobId;
  return { ...resource, jobReference: reference as JobReference };
}

function timeoutOf(value: unknown): number {
  if (value === undefined || value === null || value === '') return DEFAULT_TIMEOUT_MS;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new BigQueryApiError('invalid', `invalid timeoutMs ${JSON.stringify(value)}`);
  return Math.min(n, MAX_TIMEOUT_MS);
}

/** jobs.insert/get/list/cancel/delete, jobs.getQueryResults and jobs.query. */
export function addJobRoutes(router: Router, ctx: ServerContext, insertWaitMs: number): void {
  const { jobs, engine } = ctx;
  // jobs.query carries a requestId so a retried request (the client retries 5xx and network errors)
  // returns the first request's job instead of running the statement twice.
  const jobsByRequestId = new Map<string, Job>();

  router.add('POST', '/projects/:projectId/jobs', async ({ req, res, params }) => {
    const body = await readJson(req, ctx.limits.maxJsonBodyBytes);
    const job = await jobs.insert({
      projectId: params.projectId ?? '',
      jobReference: body.jobReference as Partial<JobReference> | undefined,
      configuration: body.configuration as JobConfiguration,
    });
    // Short jobs answer DONE straight away, which spares clients a 500 ms poll (BigQuery does the same for fast jobs).
    await jobs.waitDone(job, insertWaitMs);
    sendJson(res, 200, jobView(job));
  });

  router.add('GET', '/projects/:projectId/jobs', async ({ res, params, query }) => {
    const filter = query.getAll('stateFilter').map((s) => s.toUpperCase()) as JobState[];
    const all = jobs.list(params.projectId ?? '', filter.length ? filter : undefined);
    const { page, nextPageToken } = paginate(all, query, 1000);
    sendJson(res, 200, {
      kind: 'bigquery#jobList',
      jobs: page.map((j) => {
        const r = jobView(j);
        return { kind: r.kind, id: r.id, jobReference: r.jobReference, state: r.status.state, configuration: r.configuration, status: r.status, statistics: r.statistics, user_email: r.user_email };
      }),
      ...(nextPageToken ? { nextPageToken } : {}),
    });
  });

  router.add('GET', '/projects/:projectId/jobs/:jobId', async ({ res, params }) => {
    sendJson(res, 200, jobView(jobs.get(params.projectId ?? '', params.jobId ?? '')));
  });

  router.add('POST', '/projects/:projectId/jobs/:jobId/cancel', async ({ res, params }) => {
    const job = jobs.cancel(params.projectId ?? '', params.jobId ?? '');
    await jobs.waitDone(job, 0);
    sendJson(res, 200, { kind: 'bigquery#jobCancelResponse', job: jobView(job) });
  });

  router.add('DELETE', '/projects/:projectId/jobs/:jobId/delete', async ({ res, params }) => {
    await jobs.delete(params.projectId ?? '', params.jobId ?? '');
    sendEmpty(res, 204);
  });

  router.add('GET', '/projects/:projectId/queries/:jobId', async ({ res, params, query }) => {
    const job = jobs.get(params.projectId ?? '', params.jobId ?? '');
    const complete = await jobs.waitDone(job, timeoutOf(query.get('timeoutMs')));
    if (!complete) {
      sendJson(res, 200, { kind: 'bigquery#getQueryResultsResponse', jobReference: job.resource.jobReference, jobComplete: false });
      return;
    }
    const maxResults = query.get('maxResults');
    const page = await resultsPage(engine, job, {
      startIndex: parseOffset(query.get('pageToken'), query.get('startIndex')),
      ...(maxResults !== null && maxResults !== '' ? { maxResults: parseMaxResults(maxResults, 0) } : {}),
      useInt64Timestamp: query.get('formatOptions.useInt64Timestamp') === 'true',
    });
    sendJson(res, 200, { kind: 'bigquery#getQueryResultsResponse', ...page });
  });

  router.add('POST', '/projects/:projectId/queries', async ({ req, res, params }) => {
    const body = await readJson(req, ctx.limits.maxJsonBodyBytes);
    if (typeof body.query !== 'string' || body.query.trim() === '') throw new BigQueryApiError('invalid', 'jobs.query: query is required');
    const config: QueryJobConfig = { query: body.query };
    for (const key of ['useLegacySql', 'defaultDataset', 'parameterMode', 'queryParameters', 'labels', 'createSession', 'connectionProperties'] as const) {
      if (body[key] !== undefined) (config as Record<string, unknown>)[key] = body[key];
    }
    const requestId = typeof body.requestId === 'string' && body.requestId !== '' && body.dryRun !== true ? `${params.projectId}:${body.requestId}` : undefined;
    let job = requestId ? jobsByRequestId.get(requestId) : undefined;
    if (!job) {
      job = await jobs.insert({
        projectId: params.projectId ?? '',
        ...(typeof body.location === 'string' ? { jobReference: { location: body.location } } : {}),
        configuration: { query: config, ...(body.dryRun === true ? { dryRun: true } : {}) },
      });
      if (requestId) {
        jobsByRequestId.set(requestId, job);
        if (jobsByRequestId.size > REQUEST_ID_MEMORY) jobsByRequestId.delete(jobsByRequestId.keys().next().value ?? '');
      }
    }
    const formatOptions = (body.formatOptions ?? {}) as { useInt64Timestamp?: boolean };
    if (body.dryRun === true) {
      const stats = job.resource.statistics.query ?? {};
      sendJson(res, 200, {
        kind: 'bigquery#queryResponse',
        jobReference: jobView(job).jobReference,
        jobComplete: true,
        totalBytesProcessed: stats.totalBytesProcessed ?? '0',
        schema: stats.schema,
        cacheHit: false,
      });
      return;
    }
    const complete = await jobs.waitDone(job, timeoutOf(body.timeoutMs));
    if (!complete) {
      sendJson(res, 200, { kind: 'bigquery#queryResponse', jobReference: job.resource.jobReference, jobComplete: false });
      return;
    }
    const maxResults = body.maxResults === undefined || body.maxResults === null ? undefined : parseMaxResults(String(body.maxResults), 0);
    const page = await resultsPage(engine, job, {
      startIndex: 0,
      ...(maxResults !== undefined ? { maxResults } : {}),
      useInt64Timestamp: formatOptions.useInt64Timestamp === true,
    });
    sendJson(res, 200, { kind: 'bigquery#queryResponse', ...page });
  });
}
