/**
 * The loader end to end against a real Postgres and the embedded BigQuery (real client): first and
 * incremental loads, new versions of updated rows, a late-committing transaction, full refresh,
 * quarantine, lineage rows. Expected raw contents are computed independently in SQL on Postgres.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { LoaderConfigError, runLoad, type BatchResult } from '../../loader/index.js';
import { bqRows, keys, rawTelemetryKeys, sourceTelemetryKeys, startLoaderEnv, type LoaderEnv } from './support/loader-env.js';

let env: LoaderEnv;

beforeAll(async () => {
  env = await startLoaderEnv();
});

afterAll(async () => {
  await env?.stop();
});

const one = (results: BatchResult[], table: string): BatchResult => {
  const result = results.find((r) => r.table === table);
  if (!result) throw new Error(`no result for ${table}`);
  return result;
};

async function insertReadings(ids: number[], ingestedAt: string, metrics = '{"battery_v": 12.1, "engine_rpm": 900}'): Promise<void> {
  for (const id of ids) {
    await env.db.client.query(`insert into telemetry_readings values ($1, $2, $3, $4, $3)`, [id, `dev-${id % 3}`, ingestedAt, metrics]);
  }
}

describe('telemetry_readings (append, lookback 15m)', () => {
  test('first load lands every source row once, with lineage tied to the contract hash', async () => {
    await insertReadings([1, 2, 3], '2026-01-01T10:00:00.000001Z');
    await insertReadings([4, 5], '2026-01-01T10:05:00Z', '{"battery_v": 12.0, "brand_new_metric": 7}');
    // Parts of ~2 rows: several load jobs, one staging table.
    const results = await runLoad(env.config({ tables: ['telemetry_readings'], stagePartBytes: 300 }));
    const r = one(results, 'telemetry_readings');
    expect(r).toMatchObject({ status: 'succeeded', rowsExtracted: 5, rowsLoaded: 5, rowsSkippedDuplicate: 0, rowsQuarantined: 0, watermarkFrom: null, watermarkTo: '2026-01-01T10:05:00.000000Z' });
    expect(await rawTelemetryKeys(env.bigquery)).toEqual(await sourceTelemetryKeys(env.db));

    const batches = await bqRows<{ batch_id: string; status: string; contract_hash: string; watermark_to_key: string; rows_loaded: number }>(
      env.bigquery,
      `select batch_id, status, contract_hash, watermark_to_key, rows_loaded from landform_raw.export_batches where table_name = 'telemetry_readings'`,
    );
    expect(batches).toEqual([{ batch_id: r.batchId, status: 'succeeded', contract_hash: r.contractHash, watermark_to_key: '{"reading_id":"5"}', rows_loaded: 5 }]);
    expect(r.contractHash).toMatch(/^[0-9a-f]{64}$/);
    const manifest = JSON.parse(await readFile(fileURLToPath(r.manifestUri ?? ''), 'utf8')) as { files: { rows: number }[]; contract: { hash: string } };
    expect(manifest.files.length).toBeGreaterThan(1);
    expect(manifest.files.reduce((n, f) => n + f.rows, 0)).toBe(5);
    expect(manifest.contract.hash).toBe(r.contractHash);
    expect(r.loadJobId?.split(',')).toHaveLength(manifest.files.length);

    // New metric keys (additive drift) land inside the metrics map, and metadata columns are set.
    const raw = await bqRows<{ m: string; batch: string; hash: string }>(
      env.bigquery,
      `select to_json_string(metrics) as m, _batch_id as batch, _contract_hash as hash from landform_raw.telemetry_readings where ts >= timestamp '1970-01-01' and reading_id = 4`,
    );
    expect(JSON.parse(raw[0]?.m ?? '{}')).toEqual({ battery_v: 12.0, brand_new_metric: 7 });
    expect(raw[0]).toMatchObject({ batch: r.batchId, hash: r.contractHash });
  });

  test('a second run with nothing new re-reads nothing of the lookback window and lands nothing twice', async () => {
    const r = one(await runLoad(env.config({ tables: ['telemetry_readings'] })), 'telemetry_readings');
    // 10:05 - 15m = 09:50: every row is inside the lookback, but each committed before the first
    // batch's recorded snapshot (window.ts), so none is read again: an empty batch, none recorded.
    expect(r.status).toBe('empty');
    expect(r.watermarkFrom).toBe('2026-01-01T10:05:00.000000Z');
    expect(r).toMatchObject({ rowsExtracted: 0, rowsLoaded: 0, rowsSkippedDuplicate: 0 });
    expect(await rawTelemetryKeys(env.bigquery)).toEqual(await sourceTelemetryKeys(env.db));
  });

  test('incremental load picks up new rows only', async () => {
    await insertReadings([6, 7], '2026-01-01T11:00:00Z');
    const r = one(await runLoad(env.config({ tables: ['telemetry_readings'] })), 'telemetry_readings');
    // Window starts at 10:05 - 15m, but 1..5 committed before the recorded snapshot: only 6 and 7 are read.
    expect(r).toMatchObject({ status: 'succeeded', rowsExtracted: 2, rowsLoaded: 2, rowsSkippedDuplicate: 0, watermarkTo: '2026-01-01T11:00:00.000000Z' });
    const later = one(await runLoad(env.config({ tables: ['telemetry_readings'] })), 'telemetry_readings');
    // Now 11:00 - 15m = 10:45: 6 and 7 are in the window, but committed before the last batch's snapshot.
    expect(later).toMatchObject({ status: 'empty', rowsExtracted: 0, rowsLoaded: 0, rowsSkippedDuplicate: 0 });
    expect(await rawTelemetryKeys(env.bigquery)).toEqual(await sourceTelemetryKeys(env.db));
  });

  test('a transaction that commits after a load, with an older cursor value, lands on the next run (lookback)', async () => {
    const late = new pg.Client({ connectionString: env.db.url });
    await late.connect();
    try {
      await late.query('begin');
      // Its cursor (11:05) is older than what the next load will see as watermark (11:10), but inside the lookback.
      await late.query(`insert into telemetry_readings values (8, 'dev-late', '2026-01-01T11:05:00Z', '{}', '2026-01-01T11:05:00Z')`);
      await insertReadings([9], '2026-01-01T11:10:00Z');
      const before = one(await runLoad(env.config({ tables: ['telemetry_readings'] })), 'telemetry_readings');
      expect(before).toMatchObject({ rowsLoaded: 1, watermarkTo: '2026-01-01T11:10:00.000000Z' });
      expect(await rawTelemetryKeys(env.bigquery)).not.toContain(`8@${Date.parse('2026-01-01T11:05:00Z') * 1000}`);
      await late.query('commit');
    } finally {
      await late.end();
    }
    const after = one(await runLoad(env.config({ tables: ['telemetry_readings'] })), 'telemetry_readings');
    expect(after).toMatchObject({ status: 'succeeded', rowsLoaded: 1 });
    expect(await rawTelemetryKeys(env.bigquery)).toEqual(await sourceTelemetryKeys(env.db));
  });

  test('rows that break the contract are quarantined with a reason; past the threshold the batch fails and the watermark stays', async () => {
    await insertReadings([20], '2026-01-01T12:00:00Z', '[1, 2]'); // metrics not an object
    await insertReadings([21], '2026-01-01T12:00:00Z', '{"battery_v": "low"}'); // known metric not a number
    await env.db.client.query(`insert into telemetry_readings values (22, null, '2026-01-01T12:00:00Z', '{}', '2026-01-01T12:00:00Z')`); // REQUIRED null
    await insertReadings([23, 24, 25], '2026-01-01T12:00:00Z');

    // Window from 11:10 - 15m: rows 6, 7, 8, 9 committed before the watermark batch's snapshot (the
    // run above that read 8 and 9), so only the six new ones are read; 3 bad of 6 = 50% > 1% (default).
    const failed = one(await runLoad(env.config({ tables: ['telemetry_readings'] })), 'telemetry_readings');
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/3 of 6 rows \(50\.00%\) broke the contract, above the quarantine threshold of 1\.00%/);
    const failedRow = await bqRows<{ status: string; error: string; watermark_to_key: string | null }>(
      env.bigquery,
      `select status, error, watermark_to_key from landform_raw.export_batches where batch_id = '${failed.batchId}'`,
    );
    expect(failedRow).toEqual([{ status: 'failed', error: failed.error, watermark_to_key: null }]);
    expect(await rawTelemetryKeys(env.bigquery)).not.toContain(`23@${Date.parse('2026-01-01T12:00:00Z') * 1000}`);

    // With a tolerant threshold the good rows land and the bad ones stay quarantined, once each.
    const ok = one(await runLoad(env.config({ tables: ['telemetry_readings'], quarantineThreshold: 0.6 })), 'telemetry_readings');
    // The failed batch moved nothing: the same six rows, none a duplicate (6..9 are not read, as above).
    expect(ok).toMatchObject({ status: 'succeeded', rowsExtracted: 6, rowsLoaded: 3, rowsSkippedDuplicate: 0, rowsQuarantined: 3 });
    expect(await rawTelemetryKeys(env.bigquery)).toEqual(await sourceTelemetryKeys(env.db, 'reading_id not in (20, 21, 22)'));
    const quarantined = await bqRows<{ reason: string; id: string; n: number }>(
      env.bigquery,
      `select reason, json_value(row_json, '$.reading_id') as id, count(*) as n from landform_raw.quarantine where table_name = 'telemetry_readings' group by reason, id order by id`,
    );
    expect(quarantined).toEqual([
      { reason: 'metrics: not a JSON object (row reading_id=20)', id: '20', n: 1 },
      { reason: 'metrics.battery_v: known metric is not a number (row reading_id=21)', id: '21', n: 1 },
      { reason: 'device_id: REQUIRED column is null (row reading_id=22)', id: '22', n: 1 },
    ]);
  });
});

describe('devices (merge): updated rows land as new versions', () => {
  test('an update lands a second version; unchanged rows are not duplicated', async () => {
    await env.db.client.query(`insert into devices values
      ('pump-1', 'SN-12345678', 'P100', 'north', 'Owner@Example.com', '2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
      ('pump-2', 'SN-87654321', 'P100', 'south', null, '2025-02-01T00:00:00Z', '2026-01-01T00:00:00Z')`);
    const first = one(await runLoad(env.config({ tables: ['devices'] })), 'devices');
    expect(first).toMatchObject({ status: 'succeeded', rowsLoaded: 2 });
    await env.db.client.query(`update devices set site = 'east', updated_at = '2026-01-01T00:30:00Z' where device_id = 'pump-1'`);
    const second = one(await runLoad(env.config({ tables: ['devices'] })), 'devices');
    // Lookback 1h: pump-2 is unchanged and committed before the first batch's snapshot (not read
    // again); pump-1's new version has a new xmin and a new cursor value.
    expect(second).toMatchObject({ status: 'succeeded', rowsExtracted: 1, rowsLoaded: 1, rowsSkippedDuplicate: 0 });
    const versions = await bqRows<{ device_id: string; site: string }>(env.bigquery, `select device_id, site from landform_raw.devices order by device_id, updated_at`);
    expect(versions).toEqual([
      { device_id: 'pump-1', site: 'north' },
      { device_id: 'pump-1', site: 'east' },
      { device_id: 'pump-2', site: 'south' },
    ]);
  });
});

describe('economic_indicators (full_refresh)', () => {
  test('each load replaces the raw table with the current source, in one transaction', async () => {
    await env.db.client.query(`insert into economic_indicators values ('GDP', '2025-01-01', 1.5, 'Gross domestic product', 'pct'), ('GDP', '2025-04-01', null, 'Gross domestic product', 'pct')`);
    expect(one(await runLoad(env.config({ tables: ['economic_indicators'] })), 'economic_indicators')).toMatchObject({ status: 'succeeded', rowsLoaded: 2, watermarkTo: null });
    await env.db.client.query(`delete from economic_indicators where observation_date = '2025-01-01'; insert into economic_indicators values ('CPI', '2025-01-01', 3.1, 'Consumer prices', 'pct')`);
    expect(one(await runLoad(env.config({ tables: ['economic_indicators'] })), 'economic_indicators')).toMatchObject({ status: 'succeeded', rowsLoaded: 2 });
    const raw = await bqRows<{ k: string; c: string }>(
      env.bigquery,
      `select concat(series_id, '/', cast(observation_date as string)) as k, coalesce(cast(value as string), 'null') as c from landform_raw.economic_indicators`,
    );
    const source = await env.db.client.query<{ k: string; c: string }>(`select series_id || '/' || observation_date::text as k, coalesce(value::text, 'null') as c from economic_indicators`);
    expect(keys(raw)).toEqual(keys(source.rows));
  });
});

describe('configuration', () => {
  test('table names and datasets that are no identifiers are rejected before any SQL', async () => {
    await expect(runLoad(env.config({ tables: ['telemetry_readings; drop table devices'] }))).rejects.toThrow(LoaderConfigError);
    await expect(runLoad(env.config({ rawDataset: 'landform_raw`; drop' }))).rejects.toThrow(/rawDataset must be letters, digits or underscores/);
    await expect(runLoad(env.config({ tables: ['no_such_table'] }))).rejects.toThrow(/unknown table contracts: no_such_table/);
  });
});
