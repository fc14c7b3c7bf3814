/**
 * Schema evolution between the devices contract and its Postgres table, through the loader and the
 * real Dataform CLI on the embedded BigQuery:
 * - a Postgres column the contract does not know is reported once per run, never landed;
 * - once the contract names it, the raw table gains it before the next batch, the batch and its rows
 *   carry the new contract hash, and cur_devices gains and fills it with no full refresh;
 * - a contract column Postgres no longer has stops that table before extraction with one sentence
 *   naming the table and the column, while the other tables still land.
 */
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { loadContracts } from '../../contracts/schema/index.js';
import { runLoad, type BatchResult } from '../../loader/index.js';
import { copyProject, runDataform, type ProjectCopy } from '../dataform/embedded-project.js';
import { bqRows, startLoaderEnv, type LoaderEnv } from './support/loader-env.js';

let env: LoaderEnv;
let project: ProjectCopy;

const FIRMWARE = '  - {name: firmware, type: STRING, mode: NULLABLE, description: Firmware version the device runs.}\n';

const load = async (tables = ['devices']): Promise<BatchResult[]> => runLoad(env.config({ tables, stageFormat: 'jsonl' }));

async function dataform(): Promise<void> {
  const result = await runDataform(project, env.bq.env, ['run', '--actions', 'cur_devices']);
  expect({ code: result.code, failed: /failed/i.test(result.output) ? result.output : '' }).toEqual({ code: 0, failed: '' });
}

const fieldNames = async (dataset: string, table: string): Promise<string[]> => {
  const [meta] = await env.bigquery.dataset(dataset).table(table).getMetadata();
  return (meta.schema.fields as { name: string }[]).map((f) => f.name);
};

beforeAll(async () => {
  env = await startLoaderEnv();
  project = await copyProject();
  await env.db.client.query(`
    insert into devices values
      ('d1', 'SN-000001', 'PX-200', 'north', null, '2026-01-05T00:00:00Z', '2026-11-20T10:00:00Z'),
      ('d2', 'SN-000002', 'PX-200', 'south', null, '2026-01-06T00:00:00Z', '2026-11-20T10:10:00Z'),
      ('d3', 'SN-000003', 'PX-300', 'west', null, '2026-01-07T00:00:00Z', '2026-11-20T10:20:00Z');`);
}, 120_000);

afterAll(async () => {
  await env?.stop();
  await project?.cleanup();
});

describe('a column added to the source, then to the contract', () => {
  let firstHash: string;

  test('before the contract knows it, the new Postgres column is reported once and not landed', async () => {
    const [first] = await load();
    expect(first).toMatchObject({ status: 'succeeded', rowsLoaded: 3 });
    expect(first?.warnings).toBeUndefined();
    firstHash = first?.contractHash ?? '';
    await dataform();

    await env.db.client.query(`alter table devices add column firmware text;
      update devices set firmware = 'fw-' || device_id, updated_at = updated_at + interval '30 minutes';`);
    const [second] = await load();
    expect(second).toMatchObject({ status: 'succeeded', rowsLoaded: 3 });
    expect(second?.warnings).toEqual([
      'devices: the Postgres table public.devices has column firmware, which contracts/tables/devices.yaml does not name; not landed (add it to the contract to land it)',
    ]);
    expect(await fieldNames('landform_raw', 'devices')).not.toContain('firmware');
  }, 180_000);

  test('once the contract names it: the raw table gains it before the batch, the batch records the new contract hash', async () => {
    for (const dir of [env.contractsDir, path.join(project.projectDir, 'contracts')]) await appendFile(path.join(dir, 'tables/devices.yaml'), FIRMWARE);
    const hash = (await loadContracts(env.contractsDir)).tables.find((t) => t.contract.name === 'devices')?.hash;
    expect(hash).toBeDefined();
    expect(hash).not.toBe(firstHash);

    await env.db.client.query(`update devices set firmware = 'fw-2.' || device_id, updated_at = updated_at + interval '5 minutes'`);
    const [result] = await load();
    expect(result).toMatchObject({ status: 'succeeded', rowsLoaded: 3, contractHash: hash });
    expect(result?.warnings).toBeUndefined();
    expect(await fieldNames('landform_raw', 'devices')).toContain('firmware');
    const rows = await bqRows<{ device_id: string; firmware: string | null; h: string; lineage: string }>(
      env.bigquery,
      `select r.device_id, r.firmware, r._contract_hash as h, b.contract_hash as lineage from landform_raw.devices as r join landform_raw.export_batches as b on b.batch_id = r._batch_id
       where r._batch_id = '${result?.batchId}' order by r.device_id`,
    );
    expect(rows).toEqual(['d1', 'd2', 'd3'].map((id) => ({ device_id: id, firmware: `fw-2.${id}`, h: hash, lineage: hash })));
  }, 120_000);

  test('cur_devices gains the column without a full refresh and fills it on the next run', async () => {
    const [before] = await env.bigquery.dataset('landform_curated').table('cur_devices').getMetadata();
    await dataform();
    expect(await fieldNames('landform_curated', 'cur_devices')).toContain('firmware');
    await dataform();
    const [after] = await env.bigquery.dataset('landform_curated').table('cur_devices').getMetadata();
    expect(after.creationTime).toBe(before.creationTime);
    expect(await bqRows(env.bigquery, 'select device_id, firmware from landform_curated.cur_devices order by device_id')).toEqual(
      ['d1', 'd2', 'd3'].map((id) => ({ device_id: id, firmware: `fw-2.${id}` })),
    );
  }, 240_000);
});

describe('a contract column Postgres no longer has', () => {
  test('stops that table before extraction with one sentence naming both; the other tables still land', async () => {
    await env.db.client.query(`alter table devices rename column model to model_name;
      insert into telemetry_readings values (1, 'd1', '2026-11-20T10:00:00Z', '{"battery_v": 12.5}', '2026-11-20T10:00:01Z');`);
    const results = await load(['devices', 'telemetry_readings']);
    const message =
      'devices: column model is in contracts/tables/devices.yaml but no longer in the Postgres table public.devices (renamed or dropped), so devices was not loaded; restore it in Postgres, or remove it from the contract (a new contract version, with ALTER COLUMN model DROP NOT NULL on the raw table) and load again.';
    expect(results.map((r) => [r.table, r.status, r.rowsExtracted, r.error ?? null])).toEqual([
      ['devices', 'failed', 0, message],
      ['telemetry_readings', 'succeeded', 1, null],
    ]);
    const failed = await bqRows(env.bigquery, `select status, error from landform_raw.export_batches where batch_id = '${results[0]?.batchId}'`);
    expect(failed).toEqual([{ status: 'failed', error: message }]);
    // Nothing of the table was read: its raw rows are the three batches before.
    expect(await bqRows(env.bigquery, 'select count(distinct _batch_id) as n from landform_raw.devices')).toEqual([{ n: 3 }]);
  }, 120_000);

  test('a source table that does not exist at all is still a readiness problem: nothing is loaded', async () => {
    // This Postgres has no news_events table.
    await expect(load(['devices', 'news_events'])).rejects.toThrow(/news_events\.yaml: source table for contract news_events does not match it: table public\.news_events does not exist/);
  }, 120_000);

});
