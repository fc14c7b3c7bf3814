import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BigQuery } from '@google-cloud/bigquery';
import { authHeaders, startLoadFixture, type LoadFixture } from '../../support/embedded-bigquery.js';

/**
 * Every BigQuery type written, read back through the real client, must decode to what the client
 * decodes from real BigQuery. Expected values are written out by hand from BigQuery's wire format
 * (REST docs: int64 as decimal strings, BYTES base64, TIMESTAMP as int64 micros when
 * useInt64Timestamp, DATETIME with a `T`, ARRAY as REPEATED, STRUCT as RECORD) and the client's
 * documented decoding (numbers, Big, BigQueryDate/Datetime/Time/Timestamp wrappers, Buffer).
 */

const schema = {
  fields: [
    { name: 'i', type: 'INTEGER' },
    { name: 'f', type: 'FLOAT' },
    { name: 'n', type: 'NUMERIC' },
    { name: 'bn', type: 'BIGNUMERIC' },
    { name: 'b', type: 'BOOLEAN' },
    { name: 's', type: 'STRING' },
    { name: 'by', type: 'BYTES' },
    { name: 'd', type: 'DATE' },
    { name: 'dt', type: 'DATETIME' },
    { name: 't', type: 'TIME' },
    { name: 'ts', type: 'TIMESTAMP' },
    { name: 'j', type: 'JSON' },
    { name: 'arr', type: 'INTEGER', mode: 'REPEATED' },
    {
      name: 'st',
      type: 'RECORD',
      fields: [
        { name: 'a', type: 'INTEGER' },
        { name: 'b', type: 'STRING' },
      ],
    },
  ],
};

/** The row as JSON a writer sends (insertAll / NDJSON). */
const jsonRow = {
  i: 42,
  f: 1.5,
  n: '123.456',
  bn: '1234567890.123456789012345678',
  b: true,
  s: 'héllo',
  by: 'aGk=',
  d: '2024-02-29',
  dt: '2024-02-29T12:34:56.123456',
  t: '12:34:56.123456',
  ts: '2024-02-29T12:34:56.123456Z',
  j: '{"a":1,"b":[true,null]}',
  arr: [1, 2, 3],
  st: { a: 7, b: 'x' },
};

const literalSelect = `select
  42 as i, 1.5 as f, numeric '123.456' as n, bignumeric '1234567890.123456789012345678' as bn,
  true as b, 'héllo' as s, b'hi' as by, date '2024-02-29' as d,
  datetime '2024-02-29 12:34:56.123456' as dt, time '12:34:56.123456' as t,
  timestamp '2024-02-29 12:34:56.123456 UTC' as ts, json '{"a":1,"b":[true,null]}' as j,
  [1, 2, 3] as arr, struct(7 as a, 'x' as b) as st`;

type Decoded = Record<string, unknown>;

/** Compare one decoded row with the values real BigQuery gives through the client. */
function expectDecoded(row: Decoded | undefined): void {
  expect(row).toBeDefined();
  const r = row as Decoded;
  expect(r.i).toBe(42);
  expect(r.f).toBe(1.5);
  expect(String(r.n)).toBe('123.456');
  expect(String(r.bn)).toBe('1234567890.123456789012345678');
  expect(r.b).toBe(true);
  expect(r.s).toBe('héllo');
  expect(Buffer.isBuffer(r.by) && (r.by as Buffer).toString('utf8')).toBe('hi');
  expect((r.d as { value: string }).value).toBe('2024-02-29');
  expect((r.dt as { value: string }).value).toBe('2024-02-29T12:34:56.123456');
  expect((r.t as { value: string }).value).toBe('12:34:56.123456');
  expect((r.ts as { value: string }).value).toBe('2024-02-29T12:34:56.123456000Z');
  expect(JSON.parse(r.j as string)).toEqual({ a: 1, b: [true, null] });
  expect(r.arr).toEqual([1, 2, 3]);
  expect(r.st).toEqual({ a: 7, b: 'x' });
}

const NULL_ROW = { i: null, f: null, n: null, bn: null, b: null, s: null, by: null, d: null, dt: null, t: null, ts: null, j: null, st: null };

describe('type round trip through the real client', () => {
  let bq: LoadFixture;
  let client: BigQuery;
  let dir: string;

  beforeAll(async () => {
    bq = await startLoadFixture('types_ds', 'landform-types-');
    ({ bigquery: client, dir } = bq);
  });
  afterAll(() => bq?.stop());

  test('query result schema uses the names BigQuery returns', async () => {
    const [job] = await client.createQueryJob({ query: literalSelect });
    const [, , response] = await job.getQueryResults({ autoPaginate: false });
    const fields = (response as { schema: { fields: { name: string; type: string; mode?: string; fields?: unknown[] }[] } }).schema.fields;
    expect(fields.map((f) => [f.name, f.type])).toEqual([
      ['i', 'INTEGER'],
      ['f', 'FLOAT'],
      ['n', 'NUMERIC'],
      ['bn', 'BIGNUMERIC'],
      ['b', 'BOOLEAN'],
      ['s', 'STRING'],
      ['by', 'BYTES'],
      ['d', 'DATE'],
      ['dt', 'DATETIME'],
      ['t', 'TIME'],
      ['ts', 'TIMESTAMP'],
      ['j', 'JSON'],
      ['arr', 'INTEGER'],
      ['st', 'RECORD'],
    ]);
    expect(fields.find((f) => f.name === 'arr')?.mode).toBe('REPEATED');
  });

  test('literals selected by a query decode like BigQuery', async () => {
    const [rows] = await client.query(literalSelect);
    expectDecoded(rows[0]);
  });

  test('insertAll, then query and tabledata.list', async () => {
    const table = client.dataset('types_ds').table('via_insert');
    await table.create({ schema });
    await table.insert([jsonRow]);
    const [queried] = await client.query('select * from types_ds.via_insert');
    expectDecoded(queried[0]);
    const [listed] = await table.getRows();
    expectDecoded(listed[0]);
  });

  test('NDJSON load, then query', async () => {
    const file = join(dir, 'row.json');
    // In NDJSON a JSON column holds the raw JSON value (insertAll takes it as a JSON-encoded string).
    await writeFile(file, `${JSON.stringify({ ...jsonRow, j: { a: 1, b: [true, null] } })}\n`);
    const table = client.dataset('types_ds').table('via_load');
    await table.load(file, { sourceFormat: 'NEWLINE_DELIMITED_JSON', schema });
    const [rows] = await client.query('select * from types_ds.via_load');
    expectDecoded(rows[0]);
  });

  test('NULLs decode as null, a NULL array as []', async () => {
    const table = client.dataset('types_ds').table('nulls');
    await table.create({ schema });
    await table.insert([NULL_ROW]);
    const [rows] = await client.query('select * from types_ds.nulls');
    expect(rows[0]).toEqual({ ...NULL_ROW, arr: [] });
  });

  test('int64 beyond 2^53 survives as a string with wrapIntegers', async () => {
    const [rows] = await client.query({ query: 'select 9007199254740993 as big', wrapIntegers: true });
    expect(String((rows[0] as { big: { value: string } }).big.value)).toBe('9007199254740993');
  });

  test('TIMESTAMP as float seconds when useInt64Timestamp is false', async () => {
    const [job] = await client.createQueryJob({ query: "select timestamp '2024-02-29 12:34:56.5 UTC' as ts" });
    const response = await fetch(`${bq.server.url}/bigquery/v2/projects/landform-local/queries/${job.id}?formatOptions.useInt64Timestamp=false`, { headers: authHeaders(bq) });
    const body = (await response.json()) as { rows: { f: { v: string }[] }[] };
    expect(Number(body.rows[0]?.f[0]?.v)).toBe(1709210096.5);
  });
});
