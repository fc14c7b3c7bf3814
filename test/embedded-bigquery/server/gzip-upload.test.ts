/**
 * Gzip-compressed load data through the upload endpoint, sent by the real client (table.load of a
 * .gz file sends the bytes as they are) and by hand (resumable chunks cut inside the gzip stream).
 * Expected rows come from the fixtures written here; the compression is node:zlib's.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BigQuery } from '@google-cloud/bigquery';
import { authHeaders, startLoadFixture, type LoadFixture } from '../../support/embedded-bigquery.js';

describe('gzip-compressed uploads', () => {
  let bq: LoadFixture;
  let client: BigQuery;
  let dir: string;

  beforeAll(async () => {
    bq = await startLoadFixture('gz_ds', 'landform-gzip-upload-test-');
    ({ bigquery: client, dir } = bq);
  });
  afterAll(() => bq?.stop());

  const schema = {
    fields: [
      { name: 'id', type: 'INTEGER' },
      { name: 'name', type: 'STRING' },
      { name: 'seen_at', type: 'TIMESTAMP' },
    ],
  };
  const ndjson = '{"id": 1, "name": "ada", "seen_at": "2024-01-01T00:00:00Z"}\n{"id": 2, "name": "bob \\u00e9", "seen_at": "2024-01-02T12:30:00.5Z"}\n{"id": 3, "name": null, "seen_at": null}\n';

  async function failureOf(promise: Promise<unknown>): Promise<{ errors?: { reason?: string; message?: string }[]; message: string } | undefined> {
    return promise.then(
      () => undefined,
      (e: unknown) => e as { errors?: { reason?: string; message?: string }[]; message: string },
    );
  }

  test('table.load(<file>.jsonl.gz) lands the rows; inputFileBytes is the compressed size', async () => {
    const file = join(dir, 'people.jsonl.gz');
    await writeFile(file, gzipSync(ndjson));
    const table = client.dataset('gz_ds').table('people');
    const [job] = await table.load(file, { sourceFormat: 'NEWLINE_DELIMITED_JSON', schema });
    expect(job.status?.errorResult).toBeUndefined();
    expect(job.statistics?.load?.outputRows).toBe('3');
    expect(job.statistics?.load?.inputFileBytes).toBe(String((await stat(file)).size));
    const [rows] = await client.query('select id, name, unix_millis(seen_at) as ms from gz_ds.people order by id');
    expect(rows).toEqual([
      { id: 1, name: 'ada', ms: Date.UTC(2024, 0, 1) },
      { id: 2, name: 'bob é', ms: Date.UTC(2024, 0, 2, 12, 30, 0, 500) },
      { id: 3, name: null, ms: null },
    ]);
  });

  test('table.load(<file>.csv.gz) with a header row; concatenated gzip members are read whole', async () => {
    const file = join(dir, 'people.csv.gz');
    // Two gzip members back to back (what `cat a.gz b.gz` gives): gunzip reads both.
    await writeFile(file, Buffer.concat([gzipSync('id,name,seen_at\n10,cy,2024-03-01 00:00:00 UTC\n'), gzipSync('11,"de, jr",2024-03-02 00:00:00 UTC\n')]));
    const table = client.dataset('gz_ds').table('people_csv');
    const [job] = await table.load(file, { sourceFormat: 'CSV', skipLeadingRows: 1, schema });
    expect(job.statistics?.load?.outputRows).toBe('2');
    const [rows] = await client.query('select id, name from gz_ds.people_csv order by id');
    expect(rows).toEqual([
      { id: 10, name: 'cy' },
      { id: 11, name: 'de, jr' },
    ]);
  });

  test('a corrupt gzip upload fails the job as invalid and writes nothing', async () => {
    const good = gzipSync(ndjson);
    const corrupt = Buffer.from(good);
    // Keep the gzip header (magic 1f 8b), garble the deflate data and drop the trailer.
    for (let i = 12; i < corrupt.length - 8; i++) corrupt[i] = (corrupt[i] ?? 0) ^ 0xa5;
    const file = join(dir, 'corrupt.jsonl.gz');
    await writeFile(file, corrupt.subarray(0, corrupt.length - 8));
    const table = client.dataset('gz_ds').table('people_corrupt');
    await table.create({ schema });
    const error = await failureOf(table.load(file, { sourceFormat: 'NEWLINE_DELIMITED_JSON', schema }));
    expect(error?.errors?.[0]?.reason).toBe('invalid');
    expect(error?.errors?.[0]?.message).toMatch(/not valid gzip/);
    const [rows] = await client.query('select count(*) as n from gz_ds.people_corrupt');
    expect(rows).toEqual([{ n: 0 }]);
  });

  test('a truncated gzip upload (valid start, no end) fails the job as invalid', async () => {
    const good = gzipSync(ndjson);
    const file = join(dir, 'truncated.jsonl.gz');
    await writeFile(file, good.subarray(0, Math.floor(good.length / 2)));
    const table = client.dataset('gz_ds').table('people_truncated');
    const error = await failureOf(table.load(file, { sourceFormat: 'NEWLINE_DELIMITED_JSON', schema }));
    expect(error?.errors?.[0]?.reason).toBe('invalid');
    expect(error?.errors?.[0]?.message).toMatch(/not valid gzip/);
  });

  test('resumable upload of gzip data, chunks cut inside the compressed stream', async () => {
    const lines = Array.from({ length: 500 }, (_, i) => `${JSON.stringify({ id: i, name: `r${i}` })}\n`).join('');
    const data = gzipSync(lines);
    const start = await fetch(`${bq.server.url}/upload/bigquery/v2/projects/landform-local/jobs?uploadType=resumable`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authHeaders(bq) },
      body: JSON.stringify({
        jobReference: { projectId: 'landform-local', jobId: 'gzip-resumable-1' },
        configuration: { load: { destinationTable: { projectId: 'landform-local', datasetId: 'gz_ds', tableId: 'resumable' }, sourceFormat: 'NEWLINE_DELIMITED_JSON', schema } },
      }),
    });
    const session = start.headers.get('location') ?? '';
    const cut = Math.floor(data.length / 3);
    const first = await fetch(session, { method: 'PUT', headers: { 'content-range': `bytes 0-${cut - 1}/*`, ...authHeaders(bq) }, body: data.subarray(0, cut) });
    expect(first.status).toBe(308);
    const last = await fetch(session, { method: 'PUT', headers: { 'content-range': `bytes ${cut}-${data.length - 1}/${data.length}`, ...authHeaders(bq) }, body: data.subarray(cut) });
    expect(last.status).toBe(200);
    await client.job('gzip-resumable-1').promise();
    const [rows] = await client.query('select count(*) as n, sum(id) as s from gz_ds.resumable');
    expect(rows).toEqual([{ n: 500, s: (500 * 499) / 2 }]);
  });
});
