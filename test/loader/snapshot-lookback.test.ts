/**
 * The lookback bounded by the watermark batch's recorded source snapshot (loader/source/window.ts,
 * snapshot-record.ts), against a real Postgres and the embedded BigQuery: rows committed before
 * that snapshot are not read again, late commits (top-level and under a savepoint) and updates are,
 * and a missing or foreign record falls back to the plain lookback. Expected counts are worked out
 * by hand from the rows each step inserts; raw contents are compared with the source in SQL.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import pg from 'pg';
import { runLoad, type BatchResult } from '../../loader/index.js';
import { parseSnapshot } from '../../loader/source/snapshot-record.js';
import { bqRows, rawTelemetryKeys, sourceTelemetryKeys, startLoaderEnv, type LoaderEnv } from './support/loader-env.js';

let env: LoaderEnv;

beforeAll(async () => {
  env = await startLoaderEnv();
});

afterAll(async () => {
  await env?.stop();
});

async function load(table: string): Promise<BatchResult> {
  const result = (await runLoad(env.config({ tables: [table] }))).find((r) => r.table === table);
  if (!result) throw new Error(`no result for ${table}`);
  return result;
}

async function insertReadings(ids: number[], ingestedAt: string, client: pg.Client = env.db.client): Promise<void> {
  for (const id of ids) {
    await client.query(`insert into telemetry_readings values ($1, $2, $3, '{"battery_v": 12.1}', $3)`, [id, `dev-${id % 3}`, ingestedAt]);
  }
}

const key = (id: number, at: string) => `${id}@${Date.parse(at) * 1000}`;

/** The watermark batch's stored record, as the next run reads it. */
async function watermarkBatch(table: string): Promise<{ batch_id: string; source_snapshot: string | null }> {
  const rows = await bqRows<{ batch_id: string; source_snapshot: string | null }>(
    env.bigquery,
    `select batch_id, source_snapshot from landform_raw.export_batches where table_name = '${table}' and status = 'succeeded' and watermark_to_key is not null order by watermark_to desc, finished_at desc limit 1`,
  );
  const row = rows[0];
  if (!row) throw new Error(`no watermark batch for ${table}`);
  return row;
}

describe('telemetry_readings (lookback 15m) with recorded snapshots', () => {
  test('the first load records its snapshot; unchanged rows inside the lookback are not read again', async () => {
    await insertReadings([1, 2, 3], '2026-02-01T10:00:00Z');
    const first = await load('telemetry_readings');
    expect(first).toMatchObject({ status: 'succeeded', rowsExtracted: 3, rowsLoaded: 3 });
    const record = JSON.parse((await watermarkBatch('telemetry_readings')).source_snapshot ?? 'null') as { snapshot: string; system: string; timeline: number; lookbackSeconds: number } | null;
    const control = await env.db.client.query<{ system: string; timeline: number }>(`select (select system_identifier::text from pg_control_system()) as system, (select timeline_id from pg_control_checkpoint()) as timeline`);
    expect(record).toMatchObject({ system: control.rows[0]?.system, timeline: control.rows[0]?.timeline, lookbackSeconds: 900 });
    expect(record?.snapshot).toMatch(/^\d+:\d+:/);

    // Two new rows at 10:10: 1..3 (10:00) are inside the lookback (10:00 - 15m) but committed before
    // the first batch's snapshot, so exactly the two new rows are read.
    await insertReadings([4, 5], '2026-02-01T10:10:00Z');
    const second = await load('telemetry_readings');
    expect(second).toMatchObject({ status: 'succeeded', rowsExtracted: 2, rowsLoaded: 2, rowsSkippedDuplicate: 0, watermarkTo: '2026-02-01T10:10:00.000000Z' });
    expect(await rawTelemetryKeys(env.bigquery)).toEqual(await sourceTelemetryKeys(env.db));
  });

  test.each([
    ['a top-level transaction', false],
    ['a savepoint (its subtransaction ID is not in the snapshot list)', true],
  ])('a row committed after the batch by %s, with a cursor inside the lookback, lands on the next run', async (_, savepoint) => {
    const base = savepoint ? 20 : 10;
    const lateAt = `2026-02-01T10:${savepoint ? 32 : 12}:00Z`;
    const newAt = `2026-02-01T10:${savepoint ? 35 : 15}:00Z`;
    const late = new pg.Client({ connectionString: env.db.url });
    await late.connect();
    try {
      await late.query('begin');
      // The transaction holds an ID before the batch's snapshot; under a savepoint the row's xmin is
      // a subtransaction ID, above the top-level one.
      await late.query('select pg_current_xact_id()');
      if (savepoint) await late.query('savepoint s');
      await insertReadings([base], lateAt, late);
      if (savepoint) await late.query('release savepoint s');
      await insertReadings([base + 1], newAt);
      const during = await load('telemetry_readings');
      // Only the new row is visible; the open transaction's row is not.
      expect(during).toMatchObject({ status: 'succeeded', rowsExtracted: 1, rowsLoaded: 1, watermarkTo: newAt.replace('Z', '.000000Z') });
      await late.query('commit');
    } finally {
      await late.end();
    }
    const after = await load('telemetry_readings');
    // The late row (cursor below the watermark, inside its lookback) is read and lands; base + 1
    // committed after the open transaction took its ID, so it is at or above the recorded xmin too
    // and is read again (a duplicate). Nothing older is read.
    expect(after).toMatchObject({ status: 'succeeded', rowsExtracted: 2, rowsLoaded: 1, rowsSkippedDuplicate: 1 });
    expect(await rawTelemetryKeys(env.bigquery)).toContain(key(base, lateAt));
    expect(await rawTelemetryKeys(env.bigquery)).toEqual(await sourceTelemetryKeys(env.db));
    // And once both committed before a recorded snapshot, the next run reads nothing.
    expect(await load('telemetry_readings')).toMatchObject({ status: 'empty', rowsExtracted: 0 });
  });

  test('without a recorded snapshot (lineage from before records) the whole lookback is read, as before', async () => {
    await insertReadings([30], '2026-02-01T10:40:00Z');
    expect(await load('telemetry_readings')).toMatchObject({ status: 'succeeded', rowsExtracted: 1, rowsLoaded: 1 });
    const { batch_id } = await watermarkBatch('telemetry_readings');
    await bqRows(env.bigquery, `update landform_raw.export_batches set source_snapshot = null where batch_id = '${batch_id}'`);
    // Watermark 10:40: the plain lookback from 10:25 reads 20 (10:32), 21 (10:35) and 30 (10:40).
    expect(await load('telemetry_readings')).toMatchObject({ status: 'succeeded', rowsExtracted: 3, rowsLoaded: 0, rowsSkippedDuplicate: 3 });
  });

  test('a record from another cluster (system identifier) is not used: the whole lookback is read', async () => {
    const { batch_id, source_snapshot } = await watermarkBatch('telemetry_readings');
    const foreign = { ...(JSON.parse(source_snapshot ?? '{}') as Record<string, unknown>), system: '1' };
    await env.bigquery.query({ query: `update landform_raw.export_batches set source_snapshot = @s where batch_id = @b`, params: { s: JSON.stringify(foreign), b: batch_id } });
    // The record is well formed and differs only in the cluster: the fallback is for that reason.
    expect(parseSnapshot((await watermarkBatch('telemetry_readings')).source_snapshot)).toEqual(parseSnapshot(JSON.stringify(foreign)));
    expect(parseSnapshot(JSON.stringify(foreign))).toMatchObject({ system: '1', lookbackSeconds: 900 });
    expect(await load('telemetry_readings')).toMatchObject({ status: 'succeeded', rowsExtracted: 3, rowsLoaded: 0, rowsSkippedDuplicate: 3 });
    // That batch recorded this cluster's snapshot again: the run after it reads nothing.
    expect(await load('telemetry_readings')).toMatchObject({ status: 'empty', rowsExtracted: 0 });
  });
});

describe('devices (merge, lookback 1h): updates inside the lookback', () => {
  test('an update is read again (new xmin); a new cursor value lands a new version, the same one is a duplicate', async () => {
    await env.db.client.query(`insert into devices values
      ('pump-1', 'SN-12345678', 'P100', 'north', null, '2025-01-01T00:00:00Z', '2026-02-01T00:00:00Z'),
      ('pump-2', 'SN-87654321', 'P100', 'south', null, '2025-02-01T00:00:00Z', '2026-02-01T00:10:00Z'),
      ('pump-3', 'SN-11112222', 'P100', 'west', null, '2025-03-01T00:00:00Z', '2026-02-01T00:20:00Z')`);
    expect(await load('devices')).toMatchObject({ status: 'succeeded', rowsExtracted: 3, rowsLoaded: 3, watermarkTo: '2026-02-01T00:20:00.000000Z' });
    // pump-1: new cursor value, still below the watermark and inside its lookback; pump-2: same
    // cursor value, another site; pump-3 unchanged (not read).
    await env.db.client.query(`update devices set site = 'east', updated_at = '2026-02-01T00:05:00Z' where device_id = 'pump-1'`);
    await env.db.client.query(`update devices set site = 'east' where device_id = 'pump-2'`);
    const second = await load('devices');
    // Same as with the plain lookback: pump-1's new (key, cursor) lands; pump-2's (key, cursor) is
    // already landed, so the anti-join skips it. Only pump-3, unchanged, is no longer read.
    expect(second).toMatchObject({ status: 'succeeded', rowsExtracted: 2, rowsLoaded: 1, rowsSkippedDuplicate: 1 });
    const versions = await bqRows<{ device_id: string; site: string }>(env.bigquery, `select device_id, site from landform_raw.devices order by device_id, updated_at`);
    expect(versions).toEqual([
      { device_id: 'pump-1', site: 'north' },
      { device_id: 'pump-1', site: 'east' },
      { device_id: 'pump-2', site: 'south' },
      { device_id: 'pump-3', site: 'west' },
    ]);
  });
});
