/**
 * Job records survive a restart on a data directory: a client polling a job afterwards reads the
 * same job resource it read before (status, statistics), small results still page, deleted jobs
 * stay deleted and a job id cannot be reused. (A job the server was running when it died: see
 * cli-stop.test.ts, which kills a real process.)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { authHeaders, startTestBigQuery, TEST_PROJECT_ID, type TestBigQuery } from '../../support/embedded-bigquery.js';

describe('job records across a restart', () => {
  let dir: string;
  let bq: TestBigQuery | undefined;
  const before = new Map<string, unknown>();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'landform-bq-records-'));
  });
  afterAll(async () => {
    await bq?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('done, failed and deleted jobs read back the same after the server restarted', async () => {
    // insertWaitMs 0: jobs.insert answers at once, so a failing job comes back as a job, not as an insert error.
    const first = await startTestBigQuery({ dataPath: dir, insertWaitMs: 0 });
    bq = first;
    await first.bigquery.createDataset('rec_ds');
    const run = async (jobId: string, query: string) => {
      const [job] = await first.bigquery.createQueryJob({ query, jobId });
      await job.promise().catch(() => undefined);
      const [metadata] = await job.getMetadata();
      before.set(jobId, metadata);
    };
    await run('rec_ddl', 'create table rec_ds.t as select 1 as id');
    await run('rec_dml', 'insert into rec_ds.t values (2), (3)');
    await run('rec_select', 'select 7 as seven, "seven" as word');
    await run('rec_failed', 'select * from rec_ds.missing');
    await run('rec_deleted', 'select 1');
    const deleted = await fetch(`${first.server.url}/bigquery/v2/projects/${TEST_PROJECT_ID}/jobs/rec_deleted/delete`, { method: 'DELETE', headers: authHeaders(first) });
    expect(deleted.status).toBe(204);
    expect((before.get('rec_failed') as { status: { errorResult?: { reason: string } } }).status.errorResult?.reason).toBe('notFound');
    await first.stop();
    bq = undefined;

    const second = await startTestBigQuery({ dataPath: dir, insertWaitMs: 0 });
    bq = second;
    for (const jobId of ['rec_ddl', 'rec_dml', 'rec_select', 'rec_failed']) {
      const [metadata] = await second.bigquery.job(jobId).getMetadata();
      expect([jobId, metadata]).toEqual([jobId, before.get(jobId)]);
    }
    const [rows] = await second.bigquery.job('rec_select').getQueryResults();
    expect(rows).toEqual([{ seven: 7, word: 'seven' }]);
    const [dmlRows] = await second.bigquery.job('rec_dml').getQueryResults();
    expect(dmlRows).toEqual([]);
    const failed = (await second.bigquery.job('rec_failed').getQueryResults().catch((e: unknown) => e)) as { errors?: { reason?: string }[] };
    expect(failed.errors?.[0]?.reason).toBe('notFound');

    const [exists] = await second.bigquery.job('rec_deleted').exists();
    expect(exists).toBe(false);
    const reused = (await second.bigquery.createQueryJob({ query: 'select 1', jobId: 'rec_ddl' }).catch((e: unknown) => e)) as { code?: number };
    expect(reused.code).toBe(409);
    // The data is there too, written by the jobs the records describe.
    const [ids] = await second.bigquery.query('select id from rec_ds.t order by id');
    expect(ids).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
  }, 60_000);
});
