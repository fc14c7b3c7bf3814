import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { authHeaders, startTestBigQuery, type TestBigQuery } from '../../support/embedded-bigquery.js';

describe('metadata server, error shape and job states over plain HTTP', () => {
  let bq: TestBigQuery;
  const api = (path: string, init: RequestInit = {}) => fetch(`${bq.server.url}${path}`, { ...init, headers: { ...authHeaders(bq), ...(init.headers as Record<string, string> | undefined) } });
  const FLAVOR = { headers: { 'Metadata-Flavor': 'Google' } };

  beforeAll(async () => {
    // insertWaitMs 0: jobs.insert answers at once, so the job's own states are visible.
    bq = await startTestBigQuery({ insertWaitMs: 0 });
  });
  afterAll(async () => {
    await bq?.stop();
  });

  test('metadata endpoints answer with Metadata-Flavor: Google, as gcp-metadata requires', async () => {
    const token = await api('/computeMetadata/v1/instance/service-accounts/default/token?scopes=x', { headers: { 'Metadata-Flavor': 'Google' } });
    expect(token.headers.get('metadata-flavor')).toBe('Google');
    // The server's own token: what google-auth-library clients then send as their bearer token.
    expect(await token.json()).toEqual({ access_token: bq.token, expires_in: 3600, token_type: 'Bearer' });

    const instance = await api('/computeMetadata/v1/instance', FLAVOR);
    expect(instance.status).toBe(200);
    expect(instance.headers.get('metadata-flavor')).toBe('Google');
    expect(await (await api('/computeMetadata/v1/project/project-id', FLAVOR)).text()).toBe('landform-local');
    expect(await (await api('/computeMetadata/v1/instance/service-accounts/default/email', FLAVOR)).text()).toMatch(/@landform-local\.iam\.gserviceaccount\.com$/);
  });

  test('the same API answers under /bigquery/v2/projects and /projects', async () => {
    for (const prefix of ['/bigquery/v2', '']) {
      const response = await api(`${prefix}/projects/landform-local/datasets`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ kind: 'bigquery#datasetList' });
    }
  });

  test('API errors use BigQuery JSON error shape', async () => {
    const response = await api('/bigquery/v2/projects/landform-local/datasets/missing_ds');
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: { code: number; status: string; message: string; errors: { reason: string; domain: string; message: string }[] } };
    expect(body.error.code).toBe(404);
    expect(body.error.status).toBe('NOT_FOUND');
    expect(body.error.errors[0]).toMatchObject({ reason: 'notFound', domain: 'global' });
    expect(body.error.errors[0]?.message).toBe(body.error.message);

    const unknownRoute = await api('/bigquery/v2/projects/landform-local/routines');
    expect(unknownRoute.status).toBe(404);
    const bad = await api('/bigquery/v2/projects/landform-local/jobs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { errors: { reason: string }[] } }).error.errors[0]?.reason).toBe('invalid');
  });

  test('a job is RUNNING when jobs.insert answers, then DONE with its statistics; cancel of a finished job changes nothing', async () => {
    const insert = await api('/bigquery/v2/projects/landform-local/jobs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jobReference: { jobId: 'state-job-1' }, configuration: { query: { query: 'select 1 as one', useLegacySql: false } } }),
    });
    const inserted = (await insert.json()) as { status: { state: string }; statistics: { creationTime: string; startTime?: string } };
    expect(inserted.status.state).toBe('RUNNING');
    expect(inserted.statistics.creationTime).toMatch(/^\d+$/);

    const results = (await (await api('/bigquery/v2/projects/landform-local/queries/state-job-1?timeoutMs=30000')).json()) as { jobComplete: boolean; rows: unknown };
    expect(results.jobComplete).toBe(true);
    expect(results.rows).toEqual([{ f: [{ v: '1' }] }]);

    // maxResults=0 only waits for completion: no rows, but the total.
    const waitOnly = (await (await api('/bigquery/v2/projects/landform-local/queries/state-job-1?maxResults=0')).json()) as Record<string, unknown>;
    expect(waitOnly).toMatchObject({ jobComplete: true, totalRows: '1' });
    expect(waitOnly.rows).toBeUndefined();
    expect(waitOnly.pageToken).toBeUndefined();

    const job = (await (await api('/bigquery/v2/projects/landform-local/jobs/state-job-1')).json()) as { status: { state: string }; statistics: Record<string, string> };
    expect(job.status).toEqual({ state: 'DONE' });
    expect(Number(job.statistics.endTime)).toBeGreaterThanOrEqual(Number(job.statistics.startTime));

    const cancel = (await (await api('/bigquery/v2/projects/landform-local/jobs/state-job-1/cancel', { method: 'POST' })).json()) as { kind: string; job: { status: unknown } };
    expect(cancel.kind).toBe('bigquery#jobCancelResponse');
    expect(cancel.job.status).toEqual({ state: 'DONE' });

    const list = (await (await api('/bigquery/v2/projects/landform-local/jobs?stateFilter=done')).json()) as { jobs: { jobReference: { jobId: string }; state: string }[] };
    expect(list.jobs.map((j) => j.jobReference.jobId)).toContain('state-job-1');
  });

  test('jobs.query with a repeated requestId (a client retry) runs the statement once', async () => {
    await bq.bigquery.createDataset('retry_ds');
    await bq.bigquery.query('create table retry_ds.t (n int64)');
    const post = async (): Promise<{ jobReference: { jobId: string }; jobComplete: boolean }> => {
      const response = await api('/bigquery/v2/projects/landform-local/queries', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'insert into retry_ds.t (n) values (1)', useLegacySql: false, requestId: 'request-1', timeoutMs: 30000 }),
      });
      return (await response.json()) as { jobReference: { jobId: string }; jobComplete: boolean };
    };
    const first = await post();
    const retry = await post();
    expect(retry.jobReference.jobId).toBe(first.jobReference.jobId);
    const [rows] = await bq.bigquery.query('select count(*) as n from retry_ds.t');
    expect(rows).toEqual([{ n: 1 }]);
  });
});
