/**
 * Load jobs from `gs://` URIs in the embedded BigQuery, through the real clients: objects written with
 * @google-cloud/storage into an embedded GCS, loaded with @google-cloud/bigquery's createLoadJob(File),
 * which sends `sourceUris`. Expected rows are the ones this test wrote.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { gzipSync } from 'node:zlib';
import type { Bucket } from '@google-cloud/storage';
import { startTestBigQuery, type TestBigQuery } from '../support/embedded-bigquery.js';
import { startTestGcs, type TestGcs } from '../support/embedded-gcs.js';

const schema = { fields: [{ name: 'id', type: 'INTEGER' }, { name: 'name', type: 'STRING' }] };
let gcs: TestGcs;
let bq: TestBigQuery;
let bucket: Bucket;

const ndjson = (rows: [number, string][]): string => rows.map(([id, name]) => JSON.stringify({ id, name })).join('\n');

async function load(table: string, uris: string | string[], extra: Record<string, unknown> = {}) {
  const files = (Array.isArray(uris) ? uris : [uris]).map((u) => {
    const m = /^gs:\/\/([^/]+)\/(.+)$/.exec(u)!;
    return gcs.storage.bucket(m[1]!).file(m[2]!);
  });
  // load() waits for the job and answers its metadata
  const [metadata] = await bq.bigquery.dataset('ds').table(table).load(files, { sourceFormat: 'NEWLINE_DELIMITED_JSON', schema, writeDisposition: 'WRITE_APPEND', ...extra });
  return metadata as { statistics: { load: Record<string, string> } };
}

async function rowsOf(table: string): Promise<string[]> {
  const [rows] = await bq.bigquery.query(`select id, name from ds.${table} order by id`);
  return rows.map((r: { id: number; name: string }) => `${r.id}:${r.name}`);
}

beforeAll(async () => {
  gcs = await startTestGcs();
  bq = await startTestBigQuery({ gcs: { url: gcs.server.url } });
  [bucket] = await gcs.storage.createBucket('gs-load');
  await bq.bigquery.createDataset('ds');
  await bucket.file('one/a.jsonl').save(ndjson([[1, 'a'], [2, 'b']]), { resumable: false });
  // parts of a batch: one gzip'd, one without a final line break, one that the wildcard must not take
  await bucket.file('many/part_001.jsonl.gz').save(gzipSync(`${ndjson([[10, 'x'], [11, 'y']])}\n`), { resumable: false });
  await bucket.file('many/part_002.jsonl').save(ndjson([[12, 'z']]), { resumable: false });
  await bucket.file('many/deeper/part_003.jsonl').save(ndjson([[13, 'w']]), { resumable: false });
  await bucket.file('many/manifest.json').save('{}', { resumable: false });
  await bucket.file('csv/a.csv').save('id,name\n5,e\n', { resumable: false });
  await bucket.file('csv/b.csv').save('id,name\n6,f\n', { resumable: false });
});

afterAll(async () => {
  await bq?.stop();
  await gcs?.stop();
});

describe('load jobs from gs:// URIs', () => {
  test('one object, named exactly', async () => {
    await bq.bigquery.dataset('ds').createTable('exact', { schema });
    const metadata = await load('exact', 'gs://gs-load/one/a.jsonl');
    expect(await rowsOf('exact')).toEqual(['1:a', '2:b']);
    expect(metadata.statistics.load).toMatchObject({ inputFiles: '1', outputRows: '2' });
  });

  test('one wildcard takes every object under the prefix, gzip or not, in one atomic load', async () => {
    await bq.bigquery.dataset('ds').createTable('wild', { schema });
    const metadata = await load('wild', 'gs://gs-load/many/part_*');
    expect(metadata.statistics.load).toMatchObject({ inputFiles: '2', outputRows: '3' });
    expect(await rowsOf('wild')).toEqual(['10:x', '11:y', '12:z']);
  });

  test('the rest of the pattern must end the name; the wildcard crosses `/`', async () => {
    await bq.bigquery.dataset('ds').createTable('suffix', { schema });
    await load('suffix', 'gs://gs-load/many/*.jsonl');
    expect(await rowsOf('suffix')).toEqual(['12:z', '13:w']);
  });

  test('a wildcard in the middle of the name, several URIs in one job', async () => {
    await bq.bigquery.dataset('ds').createTable('middle', { schema });
    await load('middle', ['gs://gs-load/many/part_*.gz', 'gs://gs-load/one/a.jsonl']);
    expect(await rowsOf('middle')).toEqual(['1:a', '2:b', '10:x', '11:y']);
  });

  test('a URI that matches nothing fails the job with notFound, and nothing is loaded', async () => {
    await bq.bigquery.dataset('ds').createTable('none', { schema });
    await expect(load('none', ['gs://gs-load/one/a.jsonl', 'gs://gs-load/nothing/*.jsonl'])).rejects.toThrow('Not found: URI gs://gs-load/nothing/*.jsonl');
    await expect(load('none', 'gs://gs-load/one/missing.jsonl')).rejects.toThrow('Not found: URI gs://gs-load/one/missing.jsonl');
    await expect(load('none', 'gs://no-such-bucket/a.jsonl')).rejects.toThrow('Not found: URI gs://no-such-bucket/a.jsonl');
    expect(await rowsOf('none')).toEqual([]);
  });

  test('two wildcards are refused', async () => {
    await bq.bigquery.dataset('ds').createTable('two', { schema });
    await expect(load('two', 'gs://gs-load/*/part_*.jsonl')).rejects.toThrow("only one wildcard '*' is allowed");
  });

  test('CSV: several objects load as one; with skipLeadingRows that is refused by name', async () => {
    await bq.bigquery.dataset('ds').createTable('csv', { schema });
    await load('csv', 'gs://gs-load/csv/a.csv', { sourceFormat: 'CSV', skipLeadingRows: 1 });
    expect(await rowsOf('csv')).toEqual(['5:e']);
    await expect(load('csv', 'gs://gs-load/csv/*.csv', { sourceFormat: 'CSV', skipLeadingRows: 1 })).rejects.toThrow('not supported by the embedded BigQuery');
  });

  test('without a Cloud Storage the server says what to configure', async () => {
    const bare = await startTestBigQuery();
    try {
      await bare.bigquery.createDataset('ds');
      await bare.bigquery.dataset('ds').createTable('t', { schema });
      await expect(bare.bigquery.dataset('ds').table('t').load(bucket.file('one/a.jsonl'), { sourceFormat: 'NEWLINE_DELIMITED_JSON' }))
        .rejects.toThrow('need Cloud Storage: start the embedded BigQuery with the `gcs` option');
    } finally {
      await bare.stop();
    }
  });
});
