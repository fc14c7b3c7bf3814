import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { BigQuery } from '@google-cloud/bigquery';
import { authHeaders, startTestBigQuery, type TestBigQuery } from '../../support/embedded-bigquery.js';

/** The errors array @google-cloud/common's ApiError carries, for assertions on BigQuery's reasons. */
async function failure(promise: Promise<unknown>): Promise<{ code?: number; reason?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { code?: number; errors?: { reason?: string }[]; message: string };
    return { code: e.code, reason: e.errors?.[0]?.reason, message: e.message };
  }
  throw new Error('expected the call to fail');
}

describe('embedded BigQuery REST surface through @google-cloud/bigquery', () => {
  let bq: TestBigQuery;
  let client: BigQuery;

  beforeAll(async () => {
    bq = await startTestBigQuery();
    client = bq.bigquery;
  });
  afterAll(async () => {
    await bq?.stop();
  });

  test('datasets: insert, get, list, patch, delete', async () => {
    await client.createDataset('rest_ds', { description: 'first', labels: { team: 'data' } });
    const [meta] = await client.dataset('rest_ds').getMetadata();
    expect(meta.id).toBe('landform-local:rest_ds');
    expect(meta.location).toBe('US');
    expect(meta.description).toBe('first');

    await client.createDataset('rest_ds_other');
    const [datasets] = await client.getDatasets();
    expect(datasets.map((d) => d.id).sort()).toEqual(expect.arrayContaining(['rest_ds', 'rest_ds_other']));

    await client.dataset('rest_ds').setMetadata({ description: 'second' });
    const [patched] = await client.dataset('rest_ds').getMetadata();
    expect(patched.description).toBe('second');

    await client.dataset('rest_ds_other').delete();
    const [exists] = await client.dataset('rest_ds_other').exists();
    expect(exists).toBe(false);
  });

  test('errors carry BigQuery reasons: notFound, duplicate, invalidQuery', async () => {
    expect(await failure(client.dataset('no_such_ds').getMetadata())).toMatchObject({ code: 404, reason: 'notFound' });
    expect(await failure(client.dataset('rest_ds').table('no_such_table').getMetadata())).toMatchObject({ code: 404, reason: 'notFound' });
    expect(await failure(client.createDataset('rest_ds'))).toMatchObject({ code: 409, reason: 'duplicate' });
    const bad = await failure(client.query('select from where'));
    expect(bad.reason).toBe('invalidQuery');
    expect(bad.code).toBe(400);
  });

  test('tables: insert with schema, partitioning and clustering; get; list; patch; delete', async () => {
    const table = client.dataset('rest_ds').table('events');
    await table.create({
      schema: {
        fields: [
          { name: 'event_id', type: 'STRING', mode: 'REQUIRED' },
          { name: 'device_id', type: 'STRING' },
          { name: 'event_ts', type: 'TIMESTAMP' },
          { name: 'reading', type: 'FLOAT' },
        ],
      },
      timePartitioning: { type: 'DAY', field: 'event_ts' },
      clustering: { fields: ['device_id'] },
      description: 'events',
    });
    const [meta] = await table.getMetadata();
    expect(meta.type).toBe('TABLE');
    expect(meta.schema.fields.map((f: { name: string }) => f.name)).toEqual(['event_id', 'device_id', 'event_ts', 'reading']);
    expect(meta.schema.fields[0].mode).toBe('REQUIRED');
    expect(meta.timePartitioning).toMatchObject({ type: 'DAY', field: 'event_ts' });
    expect(meta.clustering).toEqual({ fields: ['device_id'] });
    expect(meta.numRows).toBe('0');
    expect(typeof meta.lastModifiedTime).toBe('string');

    await expect(failure(table.create({ schema: 'a:STRING' }))).resolves.toMatchObject({ code: 409, reason: 'duplicate' });

    // What the Dataform CLI sends after a run: description, labels and column descriptions.
    const fields = meta.schema.fields.map((f: { name: string }) => (f.name === 'device_id' ? { ...f, description: 'the device' } : f));
    await table.setMetadata({ description: 'patched', labels: { layer: 'raw' }, schema: { fields } });
    const [patched] = await table.getMetadata();
    expect(patched.description).toBe('patched');
    expect(patched.labels).toEqual({ layer: 'raw' });
    expect(patched.schema.fields[1].description).toBe('the device');

    await client.dataset('rest_ds').table('scratch').create({ schema: 'a:STRING' });
    const [tables] = await client.dataset('rest_ds').getTables();
    expect(tables.map((t) => t.id).sort()).toEqual(['events', 'scratch']);
    await client.dataset('rest_ds').table('scratch').delete();
    const [after] = await client.dataset('rest_ds').getTables();
    expect(after.map((t) => t.id)).toEqual(['events']);
  });

  test('query with named and positional parameters and a default dataset', async () => {
    const [named] = await client.query({
      query: 'select @word as w, @n + 1 as n',
      params: { word: 'hello', n: 41 },
    });
    expect(named).toEqual([{ w: 'hello', n: 42 }]);

    const [positional] = await client.query({ query: 'select ? as a, ? as b', params: ['x', true] });
    expect(positional).toEqual([{ a: 'x', b: true }]);

    await client.query('insert into `landform-local.rest_ds.events` (event_id, device_id, reading) values ("e1", "d1", 1.5), ("e2", "d2", 2.5)');
    const [rows] = await client.query({ query: 'select event_id from events order by event_id', defaultDataset: { datasetId: 'rest_ds' } });
    expect(rows).toEqual([{ event_id: 'e1' }, { event_id: 'e2' }]);
  });

  test('query jobs: statistics, jobs.get, jobs.list, duplicate job id, paging through getQueryResults', async () => {
    const [job] = await client.createQueryJob({ query: 'select x from unnest(generate_array(1, 2500)) as x order by x', jobId: 'dataform-paging-1' });
    const [page1, next1] = await job.getQueryResults({ maxResults: 1000, autoPaginate: false });
    expect(page1).toHaveLength(1000);
    expect(page1[0]).toEqual({ x: 1 });
    expect(next1).toMatchObject({ pageToken: expect.any(String) });
    const [page2, next2] = await job.getQueryResults({ ...next1, maxResults: 1000, autoPaginate: false });
    expect(page2[0]).toEqual({ x: 1001 });
    const [page3, next3] = await job.getQueryResults({ ...next2, maxResults: 1000, autoPaginate: false });
    expect(page3).toHaveLength(500);
    expect(page3[499]).toEqual({ x: 2500 });
    expect(next3).toBeNull();

    const [all] = await job.getQueryResults();
    expect(all).toHaveLength(2500);
    const [fromIndex] = await job.getQueryResults({ startIndex: '2498', maxResults: 10, autoPaginate: false });
    expect(fromIndex).toEqual([{ x: 2499 }, { x: 2500 }]);

    const [meta] = await job.getMetadata();
    expect(meta.status.state).toBe('DONE');
    expect(meta.jobReference).toMatchObject({ projectId: 'landform-local', jobId: 'dataform-paging-1', location: 'US' });
    expect(meta.statistics.query.statementType).toBe('SELECT');
    for (const key of ['creationTime', 'startTime', 'endTime']) expect(meta.statistics[key]).toMatch(/^\d{13}$/);
    expect(Number(meta.statistics.endTime)).toBeGreaterThanOrEqual(Number(meta.statistics.startTime));
    expect(meta.statistics.totalBytesProcessed).toMatch(/^\d+$/);

    expect(await failure(client.createQueryJob({ query: 'select 1', jobId: 'dataform-paging-1' }))).toMatchObject({ code: 409, reason: 'duplicate' });

    const [jobs] = await client.getJobs();
    expect(jobs.map((j) => j.id)).toContain('dataform-paging-1');
    expect(await failure(client.job('no-such-job').getMetadata())).toMatchObject({ code: 404, reason: 'notFound' });
  });

  test('DML statistics: numDmlAffectedRows and statementType', async () => {
    const [job] = await client.createQueryJob({ query: "update `rest_ds.events` set reading = reading * 2 where device_id = 'd1'" });
    await job.getQueryResults();
    const [meta] = await job.getMetadata();
    expect(meta.statistics.query.statementType).toBe('UPDATE');
    expect(meta.statistics.query.numDmlAffectedRows).toBe('1');
    const [rows] = await client.query("select reading from rest_ds.events where event_id = 'e1'");
    expect(rows).toEqual([{ reading: 3 }]);
  });

  test('a failed job reports errorResult with its reason, as the Dataform CLI reads it', async () => {
    const [job] = await client.createQueryJob({ query: 'select * from rest_ds.missing_table' }).catch((error: unknown) => {
      // A job that fails before jobs.insert answers comes back as an ApiError carrying the job.
      const response = (error as { response?: { jobReference?: { jobId: string } } }).response;
      return [client.job(response?.jobReference?.jobId ?? 'unknown')] as const;
    });
    const [meta] = await job.getMetadata();
    expect(meta.status.state).toBe('DONE');
    expect(meta.status.errorResult.reason).toBe('notFound');
    expect(meta.status.errors[0].reason).toBe('notFound');
    const resultsError = await failure(job.getQueryResults());
    expect(resultsError.reason).toBe('notFound');
  });

  test('dry run returns statistics without keeping a job', async () => {
    const [job, response] = await client.createQueryJob({ query: 'select event_id from rest_ds.events', dryRun: true });
    expect(response?.status?.state).toBe('DONE');
    expect(response?.statistics?.query?.statementType).toBe('SELECT');
    expect(response?.statistics?.totalBytesProcessed).toMatch(/^\d+$/);
    expect(await failure(job.getMetadata())).toMatchObject({ code: 404 });
    expect(await failure(client.createQueryJob({ query: 'select nope from', dryRun: true }))).toMatchObject({ reason: 'invalidQuery' });
  });

  test('query with a destination table honours write dispositions', async () => {
    const destination = client.dataset('rest_ds').table('copied');
    const run = async (writeDisposition: string): Promise<void> => {
      const [job] = await client.createQueryJob({ query: "select event_id from rest_ds.events where event_id = 'e1'", destination, writeDisposition });
      await job.getQueryResults();
    };
    await run('WRITE_EMPTY');
    await run('WRITE_APPEND');
    const [appended] = await destination.getRows();
    expect(appended).toEqual([{ event_id: 'e1' }, { event_id: 'e1' }]);
    await run('WRITE_TRUNCATE');
    const [truncated] = await destination.getRows();
    expect(truncated).toEqual([{ event_id: 'e1' }]);
    expect(await failure(run('WRITE_EMPTY'))).toMatchObject({ reason: 'duplicate' });
  });

  test('copy job', async () => {
    const [job] = await client.dataset('rest_ds').table('events').createCopyJob(client.dataset('rest_ds').table('events_copy'));
    await job.promise();
    const [rows] = await client.query('select count(*) as n from rest_ds.events_copy');
    expect(rows).toEqual([{ n: 2 }]);
    const [meta] = await job.getMetadata();
    expect(meta.statistics.copy.copiedRows).toBe('2');
  });

  test('tabledata.list pages through a table', async () => {
    await client.query('create table rest_ds.numbers as select x from unnest(generate_array(1, 30)) as x');
    const table = client.dataset('rest_ds').table('numbers');
    const [page, next] = await table.getRows({ maxResults: 25, autoPaginate: false });
    expect(page).toHaveLength(25);
    const [rest] = await table.getRows({ ...next, autoPaginate: false });
    expect(rest).toHaveLength(5);
    const values = [...page, ...rest].map((r) => r.x as number).sort((a, b) => a - b);
    expect(values).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  test('insertAll: rows land, bad rows come back as insertErrors', async () => {
    const table = client.dataset('rest_ds').table('events');
    await table.insert([
      { event_id: 'e3', device_id: 'd3', reading: 3.5 },
      { event_id: 'e4', device_id: 'd3', reading: 4.5 },
    ]);
    const [rows] = await client.query("select count(*) as n from rest_ds.events where device_id = 'd3'");
    expect(rows).toEqual([{ n: 2 }]);

    // The client raises a PartialFailureError listing each rejected row with BigQuery's per-row errors.
    const partial = await table.insert([{ event_id: 'e5', reading: 'not a number' }, { event_id: 'e6' }]).then(
      () => undefined,
      (e: unknown) => e as { name: string; errors: { row: Record<string, unknown>; errors: { reason: string }[] }[] },
    );
    expect(partial?.name).toBe('PartialFailureError');
    const rejected = partial?.errors.find((e) => e.row.event_id === 'e5');
    expect(rejected?.errors[0]?.reason).toBe('invalid');
    const [after] = await client.query("select count(*) as n from rest_ds.events where event_id in ('e5', 'e6')");
    expect(after).toEqual([{ n: 0 }]);
  });

  test('jobs.query answers jobComplete=false past timeoutMs, and getQueryResults then completes', async () => {
    // A cross join big enough to outlast a 1 ms timeout.
    const sql = 'select count(*) as n from unnest(generate_array(1, 3000)) a cross join unnest(generate_array(1, 3000)) b';
    const response = await fetch(`${bq.server.url}/bigquery/v2/projects/landform-local/queries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authHeaders(bq) },
      body: JSON.stringify({ query: sql, useLegacySql: false, timeoutMs: 1 }),
    });
    const body = (await response.json()) as { jobComplete: boolean; jobReference: { jobId: string }; rows?: unknown };
    if (body.jobComplete) {
      // Finished inside 1 ms after all: nothing to assert about waiting, but the rows must be there.
      expect(body.rows).toEqual([{ f: [{ v: '9000000' }] }]);
      return;
    }
    const [rows] = await client.job(body.jobReference.jobId).getQueryResults();
    expect(rows).toEqual([{ n: 9000000 }]);
  });
});
