/**
 * Jobs that end: a query past its jobTimeoutMs is stopped while other clients are still answered,
 * jobs.cancel interrupts the running DuckDB statement (and its changes are rolled back), and
 * stop() ends within a few seconds whatever runs, leaving the job with a retryable error.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Job } from '@google-cloud/bigquery';
import { authHeaders, bigQueryClientFor, startTestBigQuery, TEST_PROJECT_ID, type TestBigQuery } from '../../support/embedded-bigquery.js';
import { eventually, LONG_QUERY, within } from './long-query.js';

interface JobStatus {
  state?: string;
  errorResult?: { reason?: string; message?: string };
}

async function statusOf(job: Job): Promise<JobStatus> {
  const [metadata] = await job.getMetadata();
  return (metadata.status ?? {}) as JobStatus;
}

describe('job timeouts and jobs.cancel', () => {
  let bq: TestBigQuery;

  beforeAll(async () => {
    bq = await startTestBigQuery();
    await bq.bigquery.createDataset('jc_ds');
  });
  afterAll(async () => {
    await bq?.stop();
  });

  test('a query past its jobTimeoutMs ends DONE with reason timeout, while another client gets jobs.get, metadata and token answers', async () => {
    const [job] = await bq.bigquery.createQueryJob({ query: LONG_QUERY, jobTimeoutMs: 4000, jobId: 'jc_timeout' });
    await eventually(async () => (await statusOf(job)).state === 'RUNNING', 'the long job runs');

    // Another client, with its own connection and token, while the statement holds DuckDB.
    const other = bigQueryClientFor(bq.server.url, TEST_PROJECT_ID, bq.token);
    const seen = await within(5000, "the other client's jobs.get", other.job('jc_timeout').getMetadata());
    expect((seen[0].status as JobStatus).state).toBe('RUNNING');
    const metadata = await within(5000, 'metadata project-id', fetch(`${bq.server.url}/computeMetadata/v1/project/project-id`, { headers: { 'Metadata-Flavor': 'Google' } }));
    expect(await metadata.text()).toBe(TEST_PROJECT_ID);
    const token = await within(5000, 'the token endpoint', fetch(`${bq.server.url}/computeMetadata/v1/instance/service-accounts/default/token`, { headers: { 'Metadata-Flavor': 'Google' } }));
    expect(((await token.json()) as { access_token: string }).access_token).toBe(bq.token);
    const [listed] = await within(5000, 'jobs.list', other.getJobs({ stateFilter: ['running'] } as never));
    expect(listed.map((j) => j.id)).toContain('jc_timeout');
    // All of that was answered while the job still ran, not after it ended.
    expect((await statusOf(job)).state).toBe('RUNNING');

    const error = (await within(20_000, 'the timed-out job', job.promise().then(() => undefined, (e: unknown) => e))) as { errors?: { reason?: string }[] } | undefined;
    expect(error?.errors?.[0]?.reason).toBe('timeout');
    const [done] = await job.getMetadata();
    expect((done.status as JobStatus).errorResult?.message).toMatch(/timed out after 4000 ms/);
    const ran = Number(done.statistics?.endTime) - Number(done.statistics?.creationTime);
    expect(ran).toBeGreaterThanOrEqual(4000);

    // The connection is free again: a short query answers.
    const [rows] = await bq.bigquery.query('select 40 + 2 as answer');
    expect(rows).toEqual([{ answer: 42 }]);
  }, 60_000);

  test('jobs.cancel interrupts a running statement long before its timeout; what it would have written is not there', async () => {
    const [job] = await bq.bigquery.createQueryJob({ query: `create table jc_ds.never as ${LONG_QUERY}`, jobTimeoutMs: 60_000, jobId: 'jc_cancel' });
    await eventually(async () => (await statusOf(job)).state === 'RUNNING', 'the long job runs');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const cancelledAt = Date.now();
    const [answer] = (await job.cancel()) as unknown as [{ kind?: string; job?: { jobReference?: { jobId?: string } } }];
    expect(answer.kind).toBe('bigquery#jobCancelResponse');
    expect(answer.job?.jobReference?.jobId).toBe('jc_cancel');
    const error = (await within(15_000, 'the cancelled job', job.promise().then(() => undefined, (e: unknown) => e))) as { errors?: { reason?: string; message?: string }[] } | undefined;
    expect(error?.errors?.[0]).toMatchObject({ reason: 'stopped', message: expect.stringMatching(/User requested cancellation/) });
    // Ended by the interrupt, not by the 60 s timeout.
    expect(Date.now() - cancelledAt).toBeLessThan(15_000);
    const [exists] = await bq.bigquery.dataset('jc_ds').table('never').exists();
    expect(exists).toBe(false);
  }, 60_000);

  test('cancelling a script inside a transaction rolls the whole transaction back and leaves the engine usable', async () => {
    const script = `begin transaction;
create table jc_ds.tx (n int64);
insert into jc_ds.tx values (1);
insert into jc_ds.tx ${LONG_QUERY};
commit transaction;`;
    const [job] = await bq.bigquery.createQueryJob({ query: script, jobTimeoutMs: 60_000, jobId: 'jc_cancel_script' });
    await eventually(async () => (await statusOf(job)).state === 'RUNNING', 'the script runs');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await job.cancel();
    const error = (await within(15_000, 'the cancelled script', job.promise().then(() => undefined, (e: unknown) => e))) as { errors?: { reason?: string }[] } | undefined;
    expect(error?.errors?.[0]?.reason).toBe('stopped');
    const [exists] = await bq.bigquery.dataset('jc_ds').table('tx').exists();
    expect(exists).toBe(false);
    const [rows] = await bq.bigquery.query('select 1 as one');
    expect(rows).toEqual([{ one: 1 }]);
  }, 60_000);

  test('a job queued behind a running statement on the same table is cancelled at once, without waiting for its turn', async () => {
    await bq.bigquery.query('create table jc_ds.held as select 1 as n');
    const [running] = await bq.bigquery.createQueryJob({ query: `update jc_ds.held set n = (${LONG_QUERY}) where true`, jobTimeoutMs: 60_000, jobId: 'jc_holder' });
    await eventually(async () => (await statusOf(running)).state === 'RUNNING', 'the holder runs');
    // a write to the table the holder writes waits for its turn (reads do not: they read the committed rows)
    const [queued] = await bq.bigquery.createQueryJob({ query: 'insert into jc_ds.held values (2)', jobTimeoutMs: 60_000, jobId: 'jc_queued' });
    const [rows] = await within(10_000, 'a read of the held table', bq.bigquery.query('select n from jc_ds.held'));
    expect(rows).toEqual([{ n: 1 }]);
    await queued.cancel();
    const error = (await within(10_000, 'the queued job', queued.promise().then(() => undefined, (e: unknown) => e))) as { errors?: { reason?: string }[] } | undefined;
    expect(error?.errors?.[0]?.reason).toBe('stopped');
    // The holder was not disturbed by the other job's cancel.
    expect((await statusOf(running)).state).toBe('RUNNING');
    await running.cancel();
    await within(15_000, 'the holder', running.promise().catch(() => undefined));
    // neither the cancelled update nor the cancelled insert left anything
    const [after] = await bq.bigquery.query('select n from jc_ds.held');
    expect(after).toEqual([{ n: 1 }]);
  }, 60_000);

  test('a jobTimeoutMs that is not a positive integer is refused at insert', async () => {
    const response = await fetch(`${bq.server.url}/bigquery/v2/projects/${TEST_PROJECT_ID}/jobs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...authHeaders(bq) },
      body: JSON.stringify({ configuration: { jobTimeoutMs: 'soon', query: { query: 'select 1', useLegacySql: false } } }),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/jobTimeoutMs/);
  });
});

describe("the server's default job timeout", () => {
  test('applies to a job that sets no jobTimeoutMs, dry runs included', async () => {
    const bq = await startTestBigQuery({ defaultJobTimeoutMs: 3000 });
    try {
      const [job] = await bq.bigquery.createQueryJob({ query: LONG_QUERY, jobId: 'jc_default_timeout' });
      const error = (await within(20_000, 'the job under the default timeout', job.promise().then(() => undefined, (e: unknown) => e))) as { errors?: { reason?: string; message?: string }[] } | undefined;
      expect(error?.errors?.[0]).toMatchObject({ reason: 'timeout', message: expect.stringMatching(/3000 ms/) });
      // A dry run executes the statement (then rolls it back), so it is bounded the same way.
      const dry = (await within(20_000, 'the dry run', bq.bigquery.createQueryJob({ query: LONG_QUERY, dryRun: true }).then(() => undefined, (e: unknown) => e))) as { errors?: { reason?: string }[] } | undefined;
      expect(dry?.errors?.[0]?.reason).toBe('timeout');
    } finally {
      await bq.stop();
    }
  }, 60_000);
});

describe('stop() during a long query', () => {
  test('ends within a few seconds; the job is DONE with a retryable backendError', async () => {
    const bq = await startTestBigQuery({ shutdownGraceMs: 500 });
    let stopped = false;
    try {
      const [job] = await bq.bigquery.createQueryJob({ query: LONG_QUERY, jobTimeoutMs: 60_000, jobId: 'jc_shutdown' });
      await eventually(async () => (await statusOf(job)).state === 'RUNNING', 'the long job runs');
      // A client long-polling the job's results is answered by the shutdown, not left hanging.
      // (Raw HTTP: the real client would retry the 500 against the stopped server.)
      const waiting = fetch(`${bq.server.url}/bigquery/v2/projects/${TEST_PROJECT_ID}/queries/jc_shutdown?timeoutMs=30000`, { headers: authHeaders(bq) });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await within(10_000, 'stop()', bq.stop());
      stopped = true;
      const record = bq.server.server.jobs.get(TEST_PROJECT_ID, 'jc_shutdown').resource.status;
      expect(record.state).toBe('DONE');
      expect(record.errorResult?.reason).toBe('backendError');
      expect(record.errorResult?.message).toMatch(/stopped while this job was RUNNING/);
      const answered = await within(10_000, 'the waiting getQueryResults', waiting);
      expect(answered.status).toBe(500);
      expect(((await answered.json()) as { error: { errors: { reason: string }[] } }).error.errors[0]?.reason).toBe('backendError');
    } finally {
      if (!stopped) await bq.stop();
    }
  }, 60_000);
});
