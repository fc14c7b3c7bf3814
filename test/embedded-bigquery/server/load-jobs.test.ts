import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BigQuery } from '@google-cloud/bigquery';
import { authHeaders, startLoadFixture, type LoadFixture } from '../../support/embedded-bigquery.js';

describe('load jobs through the upload endpoint', () => {
  let bq: LoadFixture;
  let client: BigQuery;
  let dir: string;

  beforeAll(async () => {
    bq = await startLoadFixture('load_ds', 'landform-load-test-');
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

  test('table.load(NDJSON file) appends, then WRITE_TRUNCATE replaces', async () => {
    const file = join(dir, 'people.json');
    await writeFile(file, '{"id": 1, "name": "ada", "seen_at": "2024-01-01T00:00:00Z"}\n{"id": 2, "name": "bob", "seen_at": "2024-01-02T00:00:00Z"}\n');
    const table = client.dataset('load_ds').table('people');
    const [job] = await table.load(file, { sourceFormat: 'NEWLINE_DELIMITED_JSON', schema, writeDisposition: 'WRITE_APPEND' });
    expect(job.status?.state).toBe('DONE');
    expect(job.status?.errorResult).toBeUndefined();
    expect(job.statistics?.load?.outputRows).toBe('2');

    await table.load(file, { sourceFormat: 'NEWLINE_DELIMITED_JSON', writeDisposition: 'WRITE_APPEND' });
    const [appended] = await client.query('select count(*) as n from load_ds.people');
    expect(appended).toEqual([{ n: 4 }]);

    await table.load(file, { sourceFormat: 'NEWLINE_DELIMITED_JSON', writeDisposition: 'WRITE_TRUNCATE' });
    const [rows] = await client.query('select id, name from load_ds.people order by id');
    expect(rows).toEqual([
      { id: 1, name: 'ada' },
      { id: 2, name: 'bob' },
    ]);
  });

  test('CSV quote: another character, none, and options the engine does not read refused', async () => {
    const quoted = join(dir, 'quoted.csv');
    // quote ' : the comma inside it is data, a doubled quote is one, a double quote is plain text
    await writeFile(quoted, "1,'a, b',2024-03-01 00:00:00 UTC\n2,'it''s \"x\"',2024-03-02 00:00:00 UTC\n");
    const table = client.dataset('load_ds').table('quoted_csv');
    await table.load(quoted, { sourceFormat: 'CSV', schema, quote: "'" });
    const [rows] = await client.query('select id, name from load_ds.quoted_csv order by id');
    expect(rows).toEqual([
      { id: 1, name: 'a, b' },
      { id: 2, name: `it's "x"` },
    ]);
    // quote '': no quoted sections, a double quote is data
    const plain = join(dir, 'plain.csv');
    await writeFile(plain, '3,"cy",2024-03-03 00:00:00 UTC\n');
    const bare = client.dataset('load_ds').table('plain_csv');
    await bare.load(plain, { sourceFormat: 'CSV', schema, quote: '' });
    const [plainRows] = await client.query('select name from load_ds.plain_csv');
    expect(plainRows).toEqual([{ name: '"cy"' }]);
    // an option that changes how values are read fails loudly instead of being ignored
    await expect(bare.load(plain, { sourceFormat: 'CSV', schema, allowJaggedRows: true })).rejects.toThrow(/allowJaggedRows is not supported by the embedded BigQuery/);
    await expect(bare.load(plain, { sourceFormat: 'CSV', schema, encoding: 'ISO-8859-1' })).rejects.toThrow(/encoding is not supported/);
    await bare.load(plain, { sourceFormat: 'CSV', schema, encoding: 'UTF-8' });
  });

  test('CSV nullMarker: the marker unquoted is NULL, in quotes it is the text', async () => {
    const file = join(dir, 'marker.csv');
    // tab-delimited, quote 0x1e (the loader's stage dialect): row 5's name is NULL, row 6's the two characters \N
    await writeFile(file, '5\t\\N\t2024-03-01 00:00:00 UTC\n6\t\x1e\\N\x1e\t2024-03-02 00:00:00 UTC\n7\t\x1e\x1e\t\\N\n');
    const table = client.dataset('load_ds').table('marker_csv');
    await table.load(file, { sourceFormat: 'CSV', schema, fieldDelimiter: '\t', quote: '\x1e', nullMarker: '\\N' });
    const [rows] = await client.query('select id, name, seen_at is null as no_time from load_ds.marker_csv order by id');
    expect(rows).toEqual([
      { id: 5, name: null, no_time: false },
      { id: 6, name: '\\N', no_time: false },
      { id: 7, name: '', no_time: true },
    ]);
  });

  test('CSV with a schema: CRLF line ends with a quoted line break, an empty last field, no final line end', async () => {
    // the reader takes the dialect as given (no sniffing of a sample): CRLF and LF both end a row
    const crlf = join(dir, 'crlf.csv');
    await writeFile(crlf, '1,"two\r\nlines",2024-03-01 00:00:00 UTC\r\n2,,2024-03-02 00:00:00+00\r\n3,c,\r\n');
    const lf = join(dir, 'lf.csv');
    await writeFile(lf, '4,d,1709251200\n5,e,');
    const table = client.dataset('load_ds').table('line_ends_csv');
    const [job] = await table.load(crlf, { sourceFormat: 'CSV', schema, allowQuotedNewlines: true });
    expect(job.statistics?.load?.outputRows).toBe('3');
    await table.load(lf, { sourceFormat: 'CSV', schema });
    const [rows] = await client.query('select id, name, unix_seconds(seen_at) as s from load_ds.line_ends_csv order by id');
    expect(rows).toEqual([
      { id: 1, name: 'two\r\nlines', s: 1709251200 },
      { id: 2, name: null, s: 1709337600 },
      { id: 3, name: 'c', s: null },
      { id: 4, name: 'd', s: 1709251200 },
      { id: 5, name: 'e', s: null },
    ]);
  });

  test('table.load(CSV file) with a header row', async () => {
    const file = join(dir, 'people.csv');
    await writeFile(file, 'id,name,seen_at\n10,cy,2024-03-01 00:00:00 UTC\n11,"de, jr",2024-03-02 00:00:00 UTC\n');
    const table = client.dataset('load_ds').table('people_csv');
    const [job] = await table.load(file, { sourceFormat: 'CSV', skipLeadingRows: 1, schema });
    expect(job.statistics?.load?.outputRows).toBe('2');
    const [rows] = await client.query('select id, name from load_ds.people_csv order by id');
    expect(rows).toEqual([
      { id: 10, name: 'cy' },
      { id: 11, name: 'de, jr' },
    ]);
  });

  test('table.load(PARQUET file) keeps the column types of the file', async () => {
    // The Parquet file is written by DuckDB itself, independently of the server.
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const file = join(dir, 'typed.parquet');
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    await conn.run(
      `copy (select 7::bigint as id, 'pq' as name, timestamptz '2024-05-06 07:08:09+00' as seen_at, 2.25::double as score, date '2024-05-06' as day)
       to '${file.replace(/'/g, "''")}' (format parquet)`,
    );
    conn.closeSync();
    instance.closeSync();

    const table = client.dataset('load_ds').table('typed_parquet');
    await table.load(file, { sourceFormat: 'PARQUET' });
    const [meta] = await table.getMetadata();
    expect(meta.schema.fields.map((f: { name: string; type: string }) => `${f.name}:${f.type}`)).toEqual([
      'id:INTEGER',
      'name:STRING',
      'seen_at:TIMESTAMP',
      'score:FLOAT',
      'day:DATE',
    ]);
    const [rows] = await client.query('select id, name, seen_at, score, day from load_ds.typed_parquet');
    expect(rows).toHaveLength(1);
    const row = rows[0] as { id: number; name: string; seen_at: { value: string }; score: number; day: { value: string } };
    expect([row.id, row.name, row.seen_at.value, row.score, row.day.value]).toEqual([7, 'pq', '2024-05-06T07:08:09.000Z', 2.25, '2024-05-06']);
  });

  test('NDJSON with schema autodetect creates the table', async () => {
    const file = join(dir, 'auto.json');
    await writeFile(file, '{"id": 1, "name": "a", "ok": true}\n{"id": 2, "name": "b", "ok": false}\n');
    const table = client.dataset('load_ds').table('autodetected');
    await table.load(file, { sourceFormat: 'NEWLINE_DELIMITED_JSON', autodetect: true });
    const [meta] = await table.getMetadata();
    expect(meta.schema.fields.map((f: { name: string; type: string }) => `${f.name}:${f.type}`)).toEqual(['id:INTEGER', 'name:STRING', 'ok:BOOLEAN']);
    const [rows] = await client.query('select id, name, ok from load_ds.autodetected order by id');
    expect(rows).toEqual([
      { id: 1, name: 'a', ok: true },
      { id: 2, name: 'b', ok: false },
    ]);
  });

  test('createWriteStream streams a larger NDJSON body (split across many chunks)', async () => {
    const table = client.dataset('load_ds').table('streamed');
    const rowCount = 20_000;
    const job = await new Promise<{ metadata: { statistics: { load: { outputRows: string } } } }>((resolve, reject) => {
      const stream = table.createWriteStream({ sourceFormat: 'NEWLINE_DELIMITED_JSON', schema });
      stream.on('complete', resolve).on('error', reject);
      for (let i = 0; i < rowCount; i += 1) stream.write(`${JSON.stringify({ id: i, name: `name-${i}-${'x'.repeat(40)}`, seen_at: null })}\n`);
      stream.end();
    });
    expect(job.metadata.statistics.load.outputRows).toBe(String(rowCount));
    const [rows] = await client.query('select count(*) as n, sum(id) as s, count(distinct name) as d from load_ds.streamed');
    expect(rows).toEqual([{ n: rowCount, s: (rowCount * (rowCount - 1)) / 2, d: rowCount }]);
  });

  test('a load job with a bad row fails with the job error (maxBadRecords 0)', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(file, '{"id": 1, "name": "ok"}\n{"id": "not-a-number", "name": "bad"}\n');
    const table = client.dataset('load_ds').table('people_bad');
    const error = await table.load(file, { sourceFormat: 'NEWLINE_DELIMITED_JSON', schema }).then(
      () => undefined,
      (e: unknown) => e as { errors?: { reason?: string }[]; message: string },
    );
    expect(error?.errors?.[0]?.reason).toBe('invalid');
    // maxBadRecords 0: the whole load fails, the good row is not written either.
    const [exists] = await table.exists();
    const written = exists ? ((await client.query('select count(*) as n from load_ds.people_bad'))[0][0] as { n: number }).n : 0;
    expect(written).toBe(0);
  });

  test('resumable upload: session URI, chunks with Content-Range (308 until the last), then the job', async () => {
    const metadata = {
      jobReference: { projectId: 'landform-local', jobId: 'resumable-load-1' },
      configuration: {
        load: {
          destinationTable: { projectId: 'landform-local', datasetId: 'load_ds', tableId: 'resumable' },
          sourceFormat: 'NEWLINE_DELIMITED_JSON',
          schema,
        },
      },
    };
    const start = await fetch(`${bq.server.url}/upload/bigquery/v2/projects/landform-local/jobs?uploadType=resumable`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authHeaders(bq) },
      body: JSON.stringify(metadata),
    });
    expect(start.status).toBe(200);
    const session = start.headers.get('location');
    expect(session).toMatch(/upload_id=/);

    const lines = Array.from({ length: 300 }, (_, i) => `${JSON.stringify({ id: i, name: `r${i}` })}\n`).join('');
    const data = Buffer.from(lines);
    const cut = 4096;
    const first = await fetch(session ?? '', { method: 'PUT', headers: { 'content-range': `bytes 0-${cut - 1}/*`, ...authHeaders(bq) }, body: data.subarray(0, cut) });
    expect(first.status).toBe(308);
    expect(first.headers.get('range')).toBe(`bytes=0-${cut - 1}`);

    // A status query reports what arrived.
    const status = await fetch(session ?? '', { method: 'PUT', headers: { 'content-range': 'bytes */*', ...authHeaders(bq) } });
    expect(status.status).toBe(308);
    expect(status.headers.get('range')).toBe(`bytes=0-${cut - 1}`);

    const last = await fetch(session ?? '', {
      method: 'PUT',
      headers: { 'content-range': `bytes ${cut}-${data.length - 1}/${data.length}`, ...authHeaders(bq) },
      body: data.subarray(cut),
    });
    expect(last.status).toBe(200);
    const job = (await last.json()) as { jobReference: { jobId: string } };
    expect(job.jobReference.jobId).toBe('resumable-load-1');

    await client.job('resumable-load-1').promise();
    const [done] = await client.job('resumable-load-1').getMetadata();
    expect(done.status).toEqual({ state: 'DONE' });
    expect(done.statistics.load.outputRows).toBe('300');
    const [rows] = await client.query('select count(*) as n, sum(id) as s from load_ds.resumable');
    expect(rows).toEqual([{ n: 300, s: (300 * 299) / 2 }]);
  });

  test('a load from gs:// URIs is refused with a clear error', async () => {
    const response = await fetch(`${bq.server.url}/bigquery/v2/projects/landform-local/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authHeaders(bq) },
      body: JSON.stringify({
        configuration: { load: { destinationTable: { projectId: 'landform-local', datasetId: 'load_ds', tableId: 'gcs' }, sourceUris: ['gs://bucket/file.json'] } },
      }),
    });
    const job = (await response.json()) as { status: { state: string; errorResult?: { reason: string; message: string } } };
    expect(job.status.state).toBe('DONE');
    expect(job.status.errorResult?.reason).toBe('invalid');
    expect(job.status.errorResult?.message).toMatch(/gs:\/\/bucket\/file\.json/);
  });
});
