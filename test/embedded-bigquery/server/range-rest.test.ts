/**
 * RANGE through the REST API and the real @google-cloud/bigquery client: the schema field type
 * RANGE with rangeElementType, cells `[start, end)` whose bounds are cells of the element type
 * (UNBOUNDED where missing), which the client decodes into BigQueryRange values (its
 * BigQueryRange.fromSchemaValue_); RANGE query parameters as the client sends them (rangeValue);
 * a RANGE table column read with tabledata.list; insertAll, loads and extracts of RANGE columns
 * fail loudly. Expected values by hand (2024-01-01 00:00 UTC is 1704067200 s since the epoch).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { BigQuery } from '@google-cloud/bigquery';
import { startTestBigQuery, type TestBigQuery } from '../../support/embedded-bigquery.js';
import { startTestGcs, type TestGcs } from '../../support/embedded-gcs.js';

/** What the client's BigQueryRange holds (its class is not in the package's type declarations). */
interface BigQueryRange {
  elementType: string;
  value: { start: string; end: string };
}

describe('RANGE over REST', () => {
  let gcs: TestGcs;
  let bq: TestBigQuery;
  let client: BigQuery;

  beforeAll(async () => {
    gcs = await startTestGcs({ token: 'gcs-secret' });
    bq = await startTestBigQuery({ gcs: { url: gcs.server.url, token: 'gcs-secret' } });
    client = bq.bigquery;
    await gcs.storage.createBucket('exports');
    await client.createDataset('ranges');
  });
  afterAll(async () => {
    await bq?.stop();
    await gcs?.stop();
  });

  const sql = `SELECT RANGE<DATE> '[2024-01-01, 2024-02-01)' AS d,
    RANGE<DATETIME> '[2024-01-01 10:30:00, UNBOUNDED)' AS dt,
    RANGE<TIMESTAMP> '[UNBOUNDED, 2024-01-01 00:00:00.5+00)' AS ts,
    CAST(NULL AS RANGE<DATE>) AS n`;

  test('the schema names RANGE and its element type; cells are [start, end) of element cells', async () => {
    const [job] = await client.createQueryJob({ query: sql });
    const [rows, , response] = await job.getQueryResults({ skipParsing: true });
    const fields = (response as { schema: { fields: unknown[] } }).schema.fields;
    expect(fields).toEqual([
      { name: 'd', type: 'RANGE', mode: 'NULLABLE', rangeElementType: { type: 'DATE' } },
      { name: 'dt', type: 'RANGE', mode: 'NULLABLE', rangeElementType: { type: 'DATETIME' } },
      { name: 'ts', type: 'RANGE', mode: 'NULLABLE', rangeElementType: { type: 'TIMESTAMP' } },
      { name: 'n', type: 'RANGE', mode: 'NULLABLE', rangeElementType: { type: 'DATE' } },
    ]);
    const cells = (rows as unknown as { f: { v: unknown }[] }[])[0]!.f.map((c) => c.v);
    // the client asks getQueryResults for int64 timestamps: 1704067200.5 s as microseconds
    expect(cells).toEqual(['[2024-01-01, 2024-02-01)', '[2024-01-01T10:30:00, UNBOUNDED)', '[UNBOUNDED, 1704067200500000)', null]);
  });

  test('the client decodes the cells into BigQueryRange values', async () => {
    const [rows] = await client.query(sql);
    const r = rows[0] as Record<string, BigQueryRange | null>;
    expect(r.d!.constructor.name).toBe('BigQueryRange');
    expect(r.d!.value).toEqual({ start: '2024-01-01', end: '2024-02-01' });
    expect(r.d!.elementType).toBe('DATE');
    expect(r.dt!.value).toEqual({ start: '2024-01-01T10:30:00', end: 'UNBOUNDED' });
    expect(r.ts!.elementType).toBe('TIMESTAMP');
    expect(r.ts!.value).toEqual({ start: 'UNBOUNDED', end: '2024-01-01T00:00:00.500Z' });
    expect(r.n).toBeNull();
  });

  test('RANGE query parameters as the client sends them', async () => {
    const [rows] = await client.query({
      query: 'SELECT RANGE_CONTAINS(@stay, DATE "2024-01-15") AS inside, RANGE_END(@stay) AS e, RANGE_START(@open) AS s, CAST(@open AS STRING) AS t',
      params: { stay: client.range('[2024-01-01, 2024-02-01)', 'DATE'), open: client.range('[2024-01-01 10:00:00, UNBOUNDED)', 'DATETIME') },
    });
    const r = rows[0] as { inside: boolean; e: { value: string }; s: { value: string }; t: string };
    expect(r.inside).toBe(true);
    expect(r.e.value).toBe('2024-02-01');
    expect(r.s.value).toBe('2024-01-01T10:00:00');
    expect(r.t).toBe('[2024-01-01 10:00:00, UNBOUNDED)');
    // an ARRAY<RANGE> parameter as REST defines it: each element's rangeValue
    const [job] = await client.createQueryJob({
      query: 'SELECT ARRAY_LENGTH(@stays) AS n, (SELECT CAST(s AS STRING) FROM UNNEST(@stays) AS s WITH OFFSET AS o WHERE o = 1) AS second',
      queryParameters: [{ name: 'stays', parameterType: { type: 'ARRAY', arrayType: { type: 'RANGE', rangeElementType: { type: 'DATE' } } }, parameterValue: { arrayValues: [{ rangeValue: { start: { value: '2024-01-01' }, end: { value: '2024-02-01' } } }, { rangeValue: { start: {}, end: { value: '2024-03-01' } } }] } }],
    });
    const [arrays] = await job.getQueryResults();
    expect(arrays[0]).toEqual({ n: 2, second: '[UNBOUNDED, 2024-03-01)' });
    // the client itself sends an array of BigQueryRange values as structValues {start, end}: refused, not read as NULLs
    await expect(client.query({ query: 'SELECT ARRAY_LENGTH(@stays)', params: { stays: [client.range('[2024-01-01, 2024-02-01)', 'DATE')] } })).rejects.toThrow(/structValues is not supported by the embedded BigQuery/);
  });

  test('a RANGE column: created by DDL, written by DML, listed by tabledata.list; insertAll, loads and extracts refuse it loudly', async () => {
    await client.query('CREATE TABLE ranges.bookings (id INT64, stay RANGE<DATE>)');
    await client.query("INSERT INTO ranges.bookings VALUES (1, RANGE<DATE> '[2024-03-01, 2024-03-04)'), (2, RANGE(DATE '2024-03-02', NULL))");
    const table = client.dataset('ranges').table('bookings');
    const [metadata] = await table.getMetadata();
    expect((metadata as { schema: { fields: unknown[] } }).schema.fields[1]).toEqual({ name: 'stay', type: 'RANGE', mode: 'NULLABLE', rangeElementType: { type: 'DATE' } });
    const [rows] = await table.getRows();
    const stays = (rows as { id: number; stay: BigQueryRange }[]).sort((a, b) => a.id - b.id).map((r) => r.stay.value);
    expect(stays).toEqual([
      { start: '2024-03-01', end: '2024-03-04' },
      { start: '2024-03-02', end: 'UNBOUNDED' },
    ]);
    await expect(table.insert([{ id: 3, stay: '[2024-03-05, 2024-03-06)' }])).rejects.toThrow(/not supported by the embedded BigQuery/);
    const failure = (p: Promise<unknown>): Promise<string> => p.then((r) => JSON.stringify(r), (e: Error) => e.message);
    const extract = table.createExtractJob(gcs.storage.bucket('exports').file('r/bookings-*.json'), { format: 'JSON' } as never);
    expect(await failure(extract.then(([job]) => job.getMetadata()).then(([m]) => (m as { status: unknown }).status))).toMatch(/RANGE columns cannot be extracted by the embedded BigQuery/);
    await gcs.storage.bucket('exports').file('in/bookings.json').save('{"id": 3, "stay": "[2024-03-05, 2024-03-06)"}\n');
    const load = table.createLoadJob(gcs.storage.bucket('exports').file('in/bookings.json'), { sourceFormat: 'NEWLINE_DELIMITED_JSON' } as never);
    expect(await failure(load.then(([job]) => job.getMetadata()).then(([m]) => (m as { status: unknown }).status))).toMatch(/load job into a RANGE column is not supported by the embedded BigQuery/);
  });
});
