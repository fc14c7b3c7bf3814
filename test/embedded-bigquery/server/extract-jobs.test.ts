/**
 * Extract jobs through the real clients: @google-cloud/bigquery's table.extract / createExtractJob
 * against the embedded BigQuery, writing into an embedded GCS, read back with @google-cloud/storage.
 * Parquet is decoded by parquet-wasm + apache-arrow (independent of DuckDB); expected values are the
 * rows this test inserted, written out by hand in BigQuery's formats.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { BigQuery } from '@google-cloud/bigquery';
import type { Storage } from '@google-cloud/storage';
import { tableFromIPC, type Table } from 'apache-arrow';
import * as parquet from 'parquet-wasm';
import { startTestBigQuery, type TestBigQuery } from '../../support/embedded-bigquery.js';
import { startTestGcs, type TestGcs } from '../../support/embedded-gcs.js';

const schema = {
  fields: [
    { name: 'id', type: 'INTEGER', mode: 'REQUIRED' },
    { name: 'name', type: 'STRING' },
    { name: 'amount', type: 'NUMERIC' },
    { name: 'ts', type: 'TIMESTAMP' },
    { name: 'day', type: 'DATE' },
    { name: 'local', type: 'DATETIME' },
    { name: 'flag', type: 'BOOLEAN' },
    { name: 'score', type: 'FLOAT' },
    { name: 'payload', type: 'JSON' },
    { name: 'tags', type: 'STRING', mode: 'REPEATED' },
    { name: 'addr', type: 'RECORD', fields: [{ name: 'city', type: 'STRING' }, { name: 'zip', type: 'INTEGER' }] },
  ],
};
const flatSchema = { fields: schema.fields.filter((f) => f.mode !== 'REPEATED' && f.type !== 'RECORD') };

// id 9007199254740993 is past 2^53: JSON output must keep it exact (BigQuery prints INT64 as a string)
const ROWS = [
  { id: '9007199254740993', name: 'alpha', amount: '12.5', ts: '2025-09-16 10:11:12.250 UTC', day: '2025-09-16', local: '2025-09-16 01:02:03', flag: true, score: 1.5, payload: '{"a":1}', tags: ['x', 'y'], addr: { city: 'Oslo', zip: 150 } },
  { id: '2', name: 'beta, "quoted"', amount: '100', ts: '2025-09-16 23:59:59.999999 UTC', day: '2025-09-16', local: '2025-09-16 12:00:00.5', flag: false, score: -2, payload: '[true,null]', tags: [], addr: null },
  { id: '3', name: null, amount: null, ts: '2025-09-17 00:00:00 UTC', day: '2025-09-17', local: null, flag: null, score: null, payload: null, tags: ['z'], addr: { city: null, zip: 7 } },
];

async function download(storage: Storage, bucket: string, name: string): Promise<Buffer> {
  const [bytes] = await storage.bucket(bucket).file(name).download();
  return bytes;
}

function readParquet(bytes: Buffer): Table {
  const wasmTable = parquet.readParquet(new Uint8Array(bytes));
  return tableFromIPC(wasmTable.intoIPCStream());
}

describe('extract jobs into the embedded GCS', () => {
  let gcs: TestGcs;
  let bq: TestBigQuery;
  let bigquery: BigQuery;

  beforeAll(async () => {
    gcs = await startTestGcs({ token: 'gcs-secret' });
    bq = await startTestBigQuery({ gcs: { url: gcs.server.url, token: 'gcs-secret' } });
    bigquery = bq.bigquery;
    await gcs.storage.createBucket('exports');
    const [dataset] = await bigquery.createDataset('ex');
    await dataset.createTable('events', { schema, timePartitioning: { type: 'DAY', field: 'ts' } });
    await dataset.createTable('flat', { schema: flatSchema });
    await dataset.table('events').insert(ROWS);
    const flatFields = flatSchema.fields.map((f) => f.name);
    await dataset.table('flat').insert(ROWS.map((r) => Object.fromEntries(flatFields.map((k) => [k, r[k as keyof typeof r]]))));
  });
  afterAll(async () => {
    await bq?.stop();
    await gcs?.stop();
  });

  test('PARQUET (SNAPPY) with a wildcard: BigQuery shard names, types and values as an independent reader sees them', async () => {
    const [job] = await bigquery.dataset('ex').table('events').createExtractJob(gcs.storage.bucket('exports').file('pq/events-*.parquet'), { format: 'PARQUET', compression: 'SNAPPY' } as never);
    const [meta] = await job.getMetadata();
    expect(meta.status.errorResult).toBeUndefined();
    expect(meta.statistics.extract.destinationUriFileCounts).toEqual(['1']);
    const [files] = await gcs.storage.bucket('exports').getFiles({ prefix: 'pq/' });
    expect(files.map((f) => f.name)).toEqual(['pq/events-000000000000.parquet']);

    const table = readParquet(await download(gcs.storage, 'exports', 'pq/events-000000000000.parquet'));
    const types = Object.fromEntries(table.schema.fields.map((f) => [f.name, String(f.type)]));
    expect(types.id).toBe('Int64');
    expect(types.amount).toBe('Decimal[38e+9]'); // apache-arrow prints Decimal[precision e+scale]
    expect(types.ts).toBe('Timestamp<MICROSECOND, UTC>');
    expect(types.local).toBe('Timestamp<MICROSECOND>');
    expect(types.day).toMatch(/^Date32/);
    expect(types.payload).toBe('Utf8');
    expect(types.tags).toMatch(/^List<Utf8>/);
    expect(types.addr).toMatch(/^Struct<\{city:Utf8, zip:Int64\}>/);

    const rows = table.toArray().map((r) => r.toJSON() as Record<string, unknown>);
    const byId = new Map(rows.map((r) => [String(r.id), r]));
    expect([...byId.keys()].sort()).toEqual(['2', '3', '9007199254740993']);
    const alpha = byId.get('9007199254740993')!;
    expect(alpha.id).toBe(9007199254740993n);
    // apache-arrow hands timestamps over as epoch milliseconds, whatever the unit stored
    expect(Number(alpha.ts)).toBe(Date.UTC(2025, 8, 16, 10, 11, 12, 250));
    expect(alpha.payload).toBe('{"a":1}');
    expect(alpha.name).toBe('alpha');
    expect([...(alpha.tags as Iterable<string>)]).toEqual(['x', 'y']);
    const addr = (alpha.addr as { toJSON(): Record<string, unknown> }).toJSON();
    expect(addr).toEqual({ city: 'Oslo', zip: 150n });
    // Decimal128 with scale 9: 12.5 is stored as the integer 12_500_000_000
    const amountColumn = table.getChild('amount')!;
    const index = rows.findIndex((r) => String(r.id) === '9007199254740993');
    const words = amountColumn.get(index) as Uint32Array;
    expect(BigInt(words[0]!) + (BigInt(words[1]!) << 32n)).toBe(12_500_000_000n);
  });

  test('a partition decorator extracts that day only', async () => {
    const [job] = await bigquery.dataset('ex').table('events$20250916').createExtractJob(gcs.storage.bucket('exports').file('part/events.parquet'), { format: 'PARQUET' } as never);
    await job.getMetadata();
    const table = readParquet(await download(gcs.storage, 'exports', 'part/events.parquet'));
    expect(table.toArray().map((r) => String(r.toJSON().id)).sort()).toEqual(['2', '9007199254740993']);
  });

  test('NEWLINE_DELIMITED_JSON (GZIP) prints each type as BigQuery does', async () => {
    const [job] = await bigquery.dataset('ex').table('events').createExtractJob(gcs.storage.bucket('exports').file('json/events-*.json.gz'), { format: 'JSON', gzip: true });
    const [meta] = await job.getMetadata();
    expect(meta.status.errorResult).toBeUndefined();
    const text = gunzipSync(await download(gcs.storage, 'exports', 'json/events-000000000000.json.gz')).toString('utf8');
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const alpha = lines.find((l) => l.name === 'alpha')!;
    expect(alpha).toMatchObject({
      id: '9007199254740993',
      amount: '12.5',
      ts: '2025-09-16 10:11:12.25 UTC',
      day: '2025-09-16',
      local: '2025-09-16T01:02:03',
      flag: true,
      score: 1.5,
      payload: '{"a":1}',
      tags: ['x', 'y'],
      addr: { city: 'Oslo', zip: '150' },
    });
    const beta = lines.find((l) => l.id === '2')!;
    expect(beta).toMatchObject({ amount: '100', ts: '2025-09-16 23:59:59.999999 UTC', local: '2025-09-16T12:00:00.5', score: -2 });
    expect(lines).toHaveLength(ROWS.length);
    // BigQuery leaves NULL fields out of JSON extracts, nested ones too
    expect(lines.find((l) => l.id === '3')).toEqual({ id: '3', ts: '2025-09-17 00:00:00 UTC', day: '2025-09-17', tags: ['z'], addr: { zip: '7' } });
    expect(Object.keys(beta)).not.toContain('addr');
  });

  test('CSV (GZIP, header, tab delimiter); a nested schema is refused as BigQuery refuses it', async () => {
    const [job] = await bigquery.dataset('ex').table('flat').createExtractJob(gcs.storage.bucket('exports').file('csv/flat.csv.gz'), { format: 'CSV', gzip: true, fieldDelimiter: '\t' } as never);
    await job.getMetadata();
    const text = gunzipSync(await download(gcs.storage, 'exports', 'csv/flat.csv.gz')).toString('utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    expect(lines[0]).toBe(flatSchema.fields.map((f) => f.name).join('\t'));
    expect(lines.slice(1).sort()).toEqual(
      [
        ['2', '"beta, ""quoted"""', '100', '2025-09-16 23:59:59.999999 UTC', '2025-09-16', '2025-09-16T12:00:00.5', 'false', '-2.0', '[true,null]'].join('\t'),
        ['3', '', '', '2025-09-17 00:00:00 UTC', '2025-09-17', '', '', '', ''].join('\t'),
        ['9007199254740993', 'alpha', '12.5', '2025-09-16 10:11:12.25 UTC', '2025-09-16', '2025-09-16T01:02:03', 'true', '1.5', '"{""a"":1}"'].join('\t'),
      ].sort(),
    );
    await expect(bigquery.dataset('ex').table('events').createExtractJob(gcs.storage.bucket('exports').file('csv/events.csv'), { format: 'CSV' })).rejects.toThrow(/nested schema/);
  });

  test('AVRO, two wildcards and an unknown bucket fail loudly', async () => {
    const table = bigquery.dataset('ex').table('flat');
    await expect(table.createExtractJob(gcs.storage.bucket('exports').file('a/x.avro'), { format: 'AVRO' })).rejects.toThrow(/AVRO is not supported/);
    await expect(table.createExtractJob(gcs.storage.bucket('exports').file('a/*-*.csv'))).rejects.toThrow(/only one wildcard/);
    await expect(table.createExtractJob(gcs.storage.bucket('nope-bucket').file('a.csv'))).rejects.toThrow(/Not found/);
    // a destination is a gs:// object or nothing: never a local path
    for (const uri of ['/tmp/landform-extract-escape.csv', 'file:///tmp/landform-extract-escape.csv', 'gs:///tmp/x.csv']) {
      const [response] = await bigquery.createJob({ configuration: { extract: { sourceTable: { projectId: 'landform-local', datasetId: 'ex', tableId: 'flat' }, destinationUris: [uri] } } }).catch((e: Error) => [e]);
      expect(String((response as Error).message)).toMatch(/Must be a valid Google Storage path/);
    }
    expect(existsSync('/tmp/landform-extract-escape.csv')).toBe(false);
  });
});
