/**
 * `landform extract` end to end on real parts: an embedded BigQuery holding a hand-loaded mart,
 * writing through real extract jobs into an embedded GCS. Expected values come from the rows this
 * test inserted (counts, hashes computed here with node:crypto) and Parquet is read back with
 * parquet-wasm + apache-arrow, not with anything the extract code uses.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { tableFromIPC } from 'apache-arrow';
import * as parquet from 'parquet-wasm';
import { loadExportConfigs } from '../../contracts/schema/exports.js';
import { runExtracts, type ExportOutcome } from '../../extracts/index.js';
import { startTestBigQuery, TEST_PROJECT_ID, type TestBigQuery } from '../support/embedded-bigquery.js';
import { startTestGcs, type TestGcs } from '../support/embedded-gcs.js';

const SALT = 'test-salt';
const BUCKET = 'landform-exports';
const schema = {
  fields: [
    { name: 'vendor_store_id', type: 'STRING', mode: 'REQUIRED' },
    { name: 'activity_date', type: 'DATE', mode: 'REQUIRED' },
    { name: 'order_count', type: 'INTEGER' },
    { name: 'revenue_cents', type: 'INTEGER' },
    { name: 'email', type: 'STRING' },
    { name: 'phone', type: 'STRING' },
    { name: 'ip', type: 'STRING' },
    { name: 'internal_note', type: 'STRING' },
  ],
};
const ROWS = [
  { vendor_store_id: 'v1', activity_date: '2025-09-16', order_count: '3', revenue_cents: 1200, email: 'a@x.io', phone: '+4712345678', ip: '10.1.2.3', internal_note: 'secret' },
  { vendor_store_id: 'v2', activity_date: '2025-09-16', order_count: '0', revenue_cents: 0, email: 'b@x.io', phone: '123', ip: '2001:db8::1', internal_note: 'x' },
  { vendor_store_id: 'v3', activity_date: '2025-09-16', order_count: '9007199254740993', revenue_cents: 5, email: null, phone: null, ip: null, internal_note: null },
  { vendor_store_id: 'v1', activity_date: '2025-09-15', order_count: '1', revenue_cents: 10, email: 'a@x.io', phone: '555', ip: '1.1.1.1', internal_note: 'y' },
];
const DAY = ROWS.filter((r) => r.activity_date === '2025-09-16');

function config(name: string, format: string, compression: string, extra = ''): string {
  return `name: ${name}
description: test export of the vendor mart as ${format}
entity: ${name}
source:
  table: landform_marts.mart_vendor_kpis_daily
  partition_column: activity_date
format: ${format}
compression: ${compression}
destinations:
  - kind: gcs
    bucket: ${BUCKET}
mode: append
anonymize:
  email: hash
  phone: mask_except_last_4
  ip: truncate_ip
exclude: [internal_note]
${extra}`;
}

const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

describe('landform extract', () => {
  let gcs: TestGcs;
  let bq: TestBigQuery;
  let dir: string;
  let first: ExportOutcome[];

  const run = (only?: string[]): Promise<ExportOutcome[]> =>
    runExtracts({
      bigquery: bq.bigquery,
      storage: gcs.storage,
      projectId: TEST_PROJECT_ID,
      rawDataset: 'landform_raw',
      env: 'test',
      exportsDir: dir,
      partition: '2025-09-16',
      hashSalt: SALT,
      retry: { attempts: 3, sleep: async () => undefined },
      ...(only ? { only } : {}),
    });

  const objectNames = async (): Promise<string[]> => (await gcs.storage.bucket(BUCKET).getFiles())[0].map((f) => f.name).sort();
  const download = async (name: string): Promise<Buffer> => (await gcs.storage.bucket(BUCKET).file(name).download())[0];

  beforeAll(async () => {
    gcs = await startTestGcs();
    bq = await startTestBigQuery({ gcs: { url: gcs.server.url } });
    await gcs.storage.createBucket(BUCKET);
    await bq.bigquery.createDataset('landform_raw');
    const [marts] = await bq.bigquery.createDataset('landform_marts');
    const [table] = await marts.createTable('mart_vendor_kpis_daily', { schema, timePartitioning: { type: 'DAY', field: 'activity_date' } });
    // INT64 as strings: 9007199254740993 is past 2^53, where a JS number would already have rounded it
    await table.insert(ROWS);
    dir = await mkdtemp(join(tmpdir(), 'landform-exports-'));
    await writeFile(join(dir, 'vendor_parquet.yaml'), config('vendor_parquet', 'parquet', 'snappy'));
    await writeFile(join(dir, 'vendor_jsonl.yaml'), config('vendor_jsonl', 'jsonl', 'gzip'));
    await writeFile(join(dir, 'vendor_csv.yaml'), config('vendor_csv', 'csv', 'gzip'));
    await writeFile(join(dir, 'broken.yaml'), config('broken', 'csv', 'none').replace('internal_note]', 'no_such_column]'));
    first = await run(['vendor_parquet', 'vendor_jsonl', 'vendor_csv']);
  });
  afterAll(async () => {
    await bq?.stop();
    await gcs?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('the shipped export configurations validate', async () => {
    const loaded = await loadExportConfigs(join(process.cwd(), 'contracts', 'exports'));
    expect(loaded.ok ? loaded.exports.map((e) => e.config.format).sort() : loaded.errors.map((e) => e.message)).toEqual(['csv', 'jsonl', 'parquet']);
  });

  test('three exports land with the layout, a manifest whose checksums match the objects, and a SUCCESS marker', async () => {
    expect(first.map((o) => [o.name, o.status, o.attempts])).toEqual([
      ['vendor_csv', 'SUCCESS', 1],
      ['vendor_jsonl', 'SUCCESS', 1],
      ['vendor_parquet', 'SUCCESS', 1],
    ]);
    for (const outcome of first) {
      const folder = `test/landform_marts/${outcome.name}/2025/09/16`;
      const names = (await objectNames()).filter((n) => n.startsWith(`${folder}/`));
      const ext = { vendor_csv: 'csv.gz', vendor_jsonl: 'jsonl.gz', vendor_parquet: 'parquet.snappy' }[outcome.name]!;
      const data = names.filter((n) => !n.endsWith('.json') && !n.endsWith('SUCCESS'));
      expect(data).toHaveLength(1);
      expect(data[0]).toMatch(new RegExp(`^${folder}/${outcome.name}_\\d{8}_\\d{6}_[0-9a-f]{8}_000000000000\\.${ext.replace('.', '\\.')}$`));
      const manifestName = names.find((n) => /\/manifest_\d{8}_\d{6}_[0-9a-f]{8}\.json$/.test(n))!;
      const manifest = JSON.parse((await download(manifestName)).toString('utf8'));
      const bytes = await download(data[0]!);
      expect(manifest.files).toEqual([expect.objectContaining({ name: data[0]!.slice(folder.length + 1), bytes: bytes.length, checksum: `sha256:${sha256(bytes)}` })]);
      expect(manifest.statistics.row_count).toBe(DAY.length);
      expect(manifest.statistics.column_count).toBe(schema.fields.length - 1);
      expect(manifest.source).toEqual({ project: TEST_PROJECT_ID, dataset: 'landform_marts', table: outcome.name, partition: '2025-09-16' });
      expect(manifest.metadata.bigquery_job_id).toBe(outcome.jobId);
      const success = JSON.parse((await download(`${folder}/SUCCESS`)).toString('utf8'));
      expect(success).toMatchObject({ status: 'SUCCESS', manifest: manifestName.slice(folder.length + 1), row_count: DAY.length });
    }
  });

  test('a second run is a no-op: every export is skipped by its token and nothing new is written', async () => {
    const before = await objectNames();
    const again = await run(['vendor_parquet', 'vendor_jsonl', 'vendor_csv']);
    expect(again.map((o) => o.status)).toEqual(['SKIPPED', 'SKIPPED', 'SKIPPED']);
    expect(again.map((o) => o.token)).toEqual(first.map((o) => o.token));
    expect(await objectNames()).toEqual(before);
  });

  test('Parquet read back by parquet-wasm: BigQuery types, anonymized values, excluded column absent', async () => {
    const name = (await objectNames()).find((n) => n.endsWith('.parquet.snappy'))!;
    const table = tableFromIPC(parquet.readParquet(new Uint8Array(await download(name))).intoIPCStream());
    expect(table.schema.fields.map((f) => [f.name, String(f.type)])).toEqual([
      ['vendor_store_id', 'Utf8'],
      ['activity_date', 'Date32<DAY>'],
      ['order_count', 'Int64'],
      ['revenue_cents', 'Int64'],
      ['email', 'Utf8'],
      ['phone', 'Utf8'],
      ['ip', 'Utf8'],
    ]);
    const rows = table.toArray().map((r) => r.toJSON() as Record<string, unknown>);
    const byId = new Map(rows.map((r) => [r.vendor_store_id, r]));
    expect([...byId.keys()].sort()).toEqual(['v1', 'v2', 'v3']);
    expect(byId.get('v1')).toMatchObject({ email: sha256(`${SALT}a@x.io`), phone: '*******5678', ip: '10.1.2.0', revenue_cents: 1200n });
    expect(byId.get('v2')).toMatchObject({ phone: '***', ip: null });
    expect(byId.get('v3')).toMatchObject({ email: null, order_count: 9007199254740993n });
  });

  test('JSON lines and CSV hold the same anonymized rows, INT64 as BigQuery prints it', async () => {
    const names = await objectNames();
    const jsonl = gunzipSync(await download(names.find((n) => n.endsWith('.jsonl.gz'))!)).toString('utf8');
    const lines = jsonl.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l.vendor_store_id === 'v3')).toMatchObject({ order_count: '9007199254740993', activity_date: '2025-09-16' });
    expect(lines.every((l) => !('internal_note' in l))).toBe(true);
    const csv = gunzipSync(await download(names.find((n) => n.endsWith('.csv.gz'))!)).toString('utf8');
    const [header, ...records] = csv.trimEnd().split('\n');
    expect(header).toBe('vendor_store_id,activity_date,order_count,revenue_cents,email,phone,ip');
    expect(records.sort()).toEqual([`v1,2025-09-16,3,1200,${sha256(`${SALT}a@x.io`)},*******5678,10.1.2.0`, `v2,2025-09-16,0,0,${sha256(`${SALT}b@x.io`)},***,`, 'v3,2025-09-16,9007199254740993,5,,,']);
  });

  test('lineage: one SUCCESS row per export in landform_raw.extract_runs', async () => {
    const [rows] = await bq.bigquery.query('select export_name, status, row_count, file_count from landform_raw.extract_runs order by export_name');
    expect(rows).toEqual([
      { export_name: 'vendor_csv', status: 'SUCCESS', row_count: DAY.length, file_count: 1 },
      { export_name: 'vendor_jsonl', status: 'SUCCESS', row_count: DAY.length, file_count: 1 },
      { export_name: 'vendor_parquet', status: 'SUCCESS', row_count: DAY.length, file_count: 1 },
    ]);
  });

  test('an export that cannot succeed leaves a FAILURE marker and its request, error and history in the dead-letter prefix', async () => {
    const [outcome] = await run(['broken']);
    expect(outcome).toMatchObject({ status: 'FAILURE', attempts: 1 });
    expect(outcome!.error).toMatch(/no_such_column/);
    const names = await objectNames();
    const failure = JSON.parse((await download('test/landform_marts/broken/2025/09/16/FAILURE')).toString('utf8'));
    expect(failure).toMatchObject({ status: 'FAILURE', retry_count: 0 });
    const dead = names.filter((n) => n.startsWith('test/_dead_letter/broken/'));
    expect(dead.map((n) => n.slice(n.lastIndexOf('/') + 1)).sort()).toEqual(['error_details.json', 'export_request.json', 'retry_history.json']);
    expect(names.some((n) => n.startsWith('test/_idempotency/broken_'))).toBe(false);
  });
});
