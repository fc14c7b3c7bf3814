/**
 * ensureRawTables on its common path: one INFORMATION_SCHEMA.COLUMNS query finds every table there
 * with every contract column, and no table is fetched one by one; a table that is missing, or lacks
 * a contract column, still goes through tables.get and is created, or gains the column (NULLABLE).
 * Against the embedded BigQuery through the real client; requests counted at http.request.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { pino } from 'pino';
import { loadContracts, type ContractSet } from '../../contracts/schema/index.js';
import type { BigQueryTarget } from '../../loader/publish/bigquery-target.js';
import { ensureRawTables } from '../../loader/publish/raw-layer.js';
import { startTestBigQuery, type TestBigQuery } from '../support/embedded-bigquery.js';

let bq: TestBigQuery;
let target: BigQueryTarget;
let set: ContractSet;
const DATASET = 'layer_raw';

/** Paths of the requests this process sends while `fn` runs. */
async function requestsDuring(fn: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  const original = http.request;
  (http as { request: unknown }).request = (...args: Parameters<typeof http.request>) => {
    const req = original(...args);
    seen.push(`${req.method} ${req.path.replace(/\?.*$/, '')}`);
    return req;
  };
  try {
    await fn();
  } finally {
    (http as { request: unknown }).request = original;
  }
  return seen;
}

const tableGets = (requests: string[]) => requests.filter((r) => /^GET .*\/tables\/[^/]+$/.test(r)).map((r) => r.split('/').pop());
const columnsOf = async (table: string) => {
  const [metadata] = await bq.bigquery.dataset(DATASET).table(table).getMetadata();
  return ((metadata.schema?.fields ?? []) as { name: string; mode?: string }[]).map((f) => `${f.name}:${f.mode ?? 'NULLABLE'}`);
};

beforeAll(async () => {
  bq = await startTestBigQuery({ logger: pino({ level: 'silent' }) });
  target = { bigquery: bq.bigquery, projectId: 'landform-local', dataset: DATASET, location: 'US' };
  set = await loadContracts();
}, 60_000);

afterAll(async () => {
  await bq?.stop();
});

describe('ensureRawTables', () => {
  test('creates the dataset and every table on a first run; then finds them all in one query, fetching none', async () => {
    await ensureRawTables(target, set.tables.map((t) => t.contract));
    const [tables] = await bq.bigquery.dataset(DATASET).getTables();
    const expected = ['export_batches', 'load_leases', 'quarantine', ...set.tables.map((t) => t.contract.name)].sort();
    expect(tables.map((t) => t.id).sort()).toEqual(expected);

    const requests = await requestsDuring(() => ensureRawTables(target, set.tables.map((t) => t.contract)));
    expect(tableGets(requests)).toEqual([]);
    expect(requests.filter((r) => r.startsWith('POST') && r.endsWith('/jobs'))).toHaveLength(1);
  }, 60_000);

  test('a dropped raw table is created again, and a table without a contract column gains it, NULLABLE; only those two are fetched', async () => {
    const devices = set.tables.find((t) => t.contract.name === 'devices');
    if (!devices) throw new Error('contract devices expected');
    await bq.bigquery.dataset(DATASET).table('telemetry_readings').delete();
    // devices as an older contract left it: without the last column the current contract lands.
    const [metadata] = await bq.bigquery.dataset(DATASET).table('devices').getMetadata();
    const fields = (metadata.schema?.fields ?? []) as { name: string; type: string; mode?: string }[];
    const dropped = devices.contract.columns.filter((c) => c.privacy !== 'drop').pop();
    if (!dropped) throw new Error('devices has no landed column');
    await bq.bigquery.dataset(DATASET).table('devices').delete();
    await bq.bigquery.dataset(DATASET).createTable('devices', { schema: { fields: fields.filter((f) => f.name !== dropped.name) } });
    const before = fields.map((f) => f.name);

    const requests = await requestsDuring(() => ensureRawTables(target, set.tables.map((t) => t.contract)));
    expect(tableGets(requests).sort()).toEqual(['devices', 'telemetry_readings']);
    expect(await columnsOf('telemetry_readings')).toEqual(await expectedColumns('telemetry_readings'));
    const after = await columnsOf('devices');
    expect(after).toContain(`${dropped.name}:NULLABLE`);
    expect(after.map((c) => c.split(':')[0]).sort()).toEqual([...before].sort());
  }, 60_000);
});

/** Columns of a table created from scratch by ensureRawTables, in a dataset of its own. */
async function expectedColumns(table: string): Promise<string[]> {
  const fresh: BigQueryTarget = { ...target, dataset: `${DATASET}_fresh` };
  await ensureRawTables(fresh, set.tables.filter((t) => t.contract.name === table).map((t) => t.contract));
  const [metadata] = await bq.bigquery.dataset(fresh.dataset).table(table).getMetadata();
  return ((metadata.schema?.fields ?? []) as { name: string; mode?: string }[]).map((f) => `${f.name}:${f.mode ?? 'NULLABLE'}`);
}
