/**
 * EXPORT DATA in the embedded BigQuery through the real @google-cloud/bigquery client, into an embedded
 * GCS; the files read back with @google-cloud/storage and independent readers (parquet-wasm +
 * apache-arrow, gunzip + JSON.parse). Expected values are the literals of the exported queries.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { gunzipSync } from 'node:zlib';
import type { Bucket } from '@google-cloud/storage';
import { tableFromIPC } from 'apache-arrow';
import * as parquet from 'parquet-wasm';
import { startTestBigQuery, type TestBigQuery } from '../support/embedded-bigquery.js';
import { startTestGcs, type TestGcs } from '../support/embedded-gcs.js';

let gcs: TestGcs;
let bq: TestBigQuery;
let bucket: Bucket;

const names = async (prefix: string): Promise<string[]> => (await bucket.getFiles({ prefix }))[0].map((f) => f.name).sort();
const download = async (name: string): Promise<Buffer> => (await bucket.file(name).download())[0];
const exportData = async (options: string, query: string): Promise<void> => {
  await bq.bigquery.query(`EXPORT DATA OPTIONS (${options}) AS ${query}`);
};

beforeAll(async () => {
  gcs = await startTestGcs();
  bq = await startTestBigQuery({ gcs: { url: gcs.server.url } });
  [bucket] = await gcs.storage.createBucket('export-data');
  await bq.bigquery.createDataset('ds');
  await bq.bigquery.query(`create table ds.orders as
    select 1 as id, 'a' as name, numeric '12.50' as amount, timestamp '2025-09-16 10:00:00.123456+00' as ts, [1, 2] as tags, struct('x' as k, 2 as v) as kv
    union all select 2, 'b,c', numeric '0.000000001', timestamp '2025-09-17 00:00:00+00', [], struct('y' as k, null as v)`);
});

afterAll(async () => {
  await bq?.stop();
  await gcs?.stop();
});

describe('EXPORT DATA', () => {
  test('Parquet: BigQuery types read back by parquet-wasm and apache-arrow, the job reports EXPORT_DATA', async () => {
    const [job] = await bq.bigquery.createQueryJob({
      query: `EXPORT DATA OPTIONS (uri = 'gs://export-data/pq/orders_*.parquet', format = 'PARQUET', compression = 'SNAPPY')
        AS SELECT id, amount, ts, tags, kv FROM ds.orders WHERE id = 1`,
    });
    await job.promise();
    const [metadata] = await job.getMetadata();
    expect(metadata.statistics.query).toMatchObject({ statementType: 'EXPORT_DATA', exportDataStatistics: { fileCount: '1', rowCount: '1' } });
    expect(await names('pq/')).toEqual(['pq/orders_000000000000.parquet']);
    const table = tableFromIPC(parquet.readParquet(new Uint8Array(await download('pq/orders_000000000000.parquet'))).intoIPCStream());
    const types = Object.fromEntries(table.schema.fields.map((f) => [f.name, String(f.type)]));
    expect(types).toMatchObject({ id: 'Int64', amount: 'Decimal[38e+9]', ts: 'Timestamp<MICROSECOND, UTC>' });
    const row = table.get(0)!.toJSON() as Record<string, unknown>;
    expect(Number(row.id)).toBe(1);
    // apache-arrow gives TIMESTAMP_MICROS as milliseconds with the microseconds as the fraction
    expect(Number(row.ts)).toBeCloseTo(Date.parse('2025-09-16T10:00:00.123Z') + 0.456, 3);
    expect(Array.from((row.tags as { toArray(): ArrayLike<bigint> }).toArray(), Number)).toEqual([1, 2]);
    expect(JSON.parse(JSON.stringify((row.kv as { toJSON(): unknown }).toJSON(), (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)))).toEqual({ k: 'x', v: 2 });
  });

  test('JSON with GZIP: one object per line, INT64 and NUMERIC as BigQuery prints them, NULL members left out', async () => {
    await exportData("uri = 'gs://export-data/json/o_*.json.gz', format = 'JSON', compression = 'GZIP'", 'SELECT id, name, amount, kv FROM ds.orders ORDER BY id');
    const [name] = await names('json/');
    const lines = gunzipSync(await download(name!)).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(lines).toEqual([
      { id: '1', name: 'a', amount: '12.5', kv: { k: 'x', v: '2' } },
      { id: '2', name: 'b,c', amount: '0.000000001', kv: { k: 'y' } },
    ]);
  });

  test('CSV: header and field_delimiter as given; header is off by default', async () => {
    await exportData("uri = 'gs://export-data/csv/with_*.csv', format = 'CSV', header = true, field_delimiter = ';'", 'SELECT id, name FROM ds.orders ORDER BY id');
    expect((await download('csv/with_000000000000.csv')).toString('utf8')).toBe('id;name\n1;a\n2;b,c\n');
    await exportData("uri = 'gs://export-data/csv/plain_*.csv', format = 'CSV'", 'SELECT id, name FROM ds.orders ORDER BY id');
    expect((await download('csv/plain_000000000000.csv')).toString('utf8')).toBe('1,a\n2,"b,c"\n');
  });

  test('overwrite = false (the default) fails when objects match the uri; overwrite = true replaces them', async () => {
    await exportData("uri = 'gs://export-data/ow/x_*.csv', format = 'CSV'", 'SELECT 1 AS n');
    await expect(exportData("uri = 'gs://export-data/ow/x_*.csv', format = 'CSV'", 'SELECT 2 AS n')).rejects.toThrow('set overwrite = true');
    expect((await download('ow/x_000000000000.csv')).toString('utf8')).toBe('1\n');
    await exportData("uri = 'gs://export-data/ow/x_*.csv', format = 'CSV', overwrite = true", 'SELECT 2 AS n');
    expect((await download('ow/x_000000000000.csv')).toString('utf8')).toBe('2\n');
  });

  test("BigQuery's rules and what this cannot do fail loudly, before anything is written", async () => {
    const cases: [string, string][] = [
      ["uri = 'gs://export-data/bad/x.csv', format = 'CSV'", "exactly one '*'"],
      ["uri = 'gs://export-data/bad/*/x_*.csv', format = 'CSV'", "exactly one '*'"],
      ["format = 'CSV'", 'requires the option uri'],
      ["uri = 'gs://export-data/bad/x_*.csv'", 'requires the option format'],
      ["uri = 'gs://export-data/bad/x_*.avro', format = 'AVRO'", 'not supported by the embedded BigQuery'],
      ["uri = 'gs://export-data/bad/x_*.csv', format = 'CSV', use_avro_logical_types = true", 'not supported by the embedded BigQuery'],
      ["uri = 'gs://export-data/bad/x_*.csv', format = 'CSV', compression = 'SNAPPY'", 'Invalid compression SNAPPY'],
      ["uri = 'gs://export-data/bad/x_*.json', format = 'JSON', header = true", 'format CSV only'],
      ["uri = 's3://b/x_*.csv', format = 'CSV'", 'only gs:// URIs'],
    ];
    for (const [options, message] of cases) await expect(exportData(options, 'SELECT 1 AS n')).rejects.toThrow(message);
    await expect(bq.bigquery.query("EXPORT DATA WITH CONNECTION `p.us.c` OPTIONS (uri = 's3://b/x_*', format = 'CSV') AS SELECT 1")).rejects.toThrow('not supported by the embedded BigQuery');
    expect(await names('bad/')).toEqual([]);
    // the scratch datasets are gone
    const [datasets] = await bq.bigquery.getDatasets();
    expect(datasets.map((d) => d.id)).toEqual(['ds']);
  });
});
