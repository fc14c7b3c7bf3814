/**
 * Crash safety: the loader is killed (SIGKILL in a child process) between the staging load and the
 * publish transaction, and right after the publish commits; a re-run must leave the raw tables
 * equal to the source: no row lost, none duplicated, one succeeded export_batches row per
 * published batch.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { BatchResult } from '../../loader/index.js';
import { bqRows, keys, rawTelemetryKeys, sourceTelemetryKeys, startLoaderEnv, type LoaderEnv } from './support/loader-env.js';
import { loaderChildEnv, runLoaderChild } from './support/loader-child.js';
let env: LoaderEnv;

beforeAll(async () => {
  env = await startLoaderEnv();
  await env.db.client.query(`
    insert into telemetry_readings
    select g, 'dev-' || (g % 7), timestamp with time zone '2026-02-01T00:00:00Z' + g * interval '1 minute',
      jsonb_build_object('battery_v', 12 + (g % 3) * 0.1), timestamp with time zone '2026-02-01T00:00:00Z' + g * interval '1 second'
    from generate_series(1, 300) as g;
    insert into devices
    select 'pump-' || g, 'SN-0000' || g, 'P100', 'site-' || (g % 3), null, timestamptz '2025-06-01T00:00:00Z' + g * interval '1 day', timestamptz '2026-02-01T00:00:00Z'
    from generate_series(1, 20) as g;`);
});

afterAll(async () => {
  await env?.stop();
});

async function loaderProcess(crashAt: 'beforePublish' | 'afterPublish' | 'never'): Promise<{ killed: boolean; results: BatchResult[] }> {
  return runLoaderChild('test/loader/support/crash-run.ts', loaderChildEnv(env, ['telemetry_readings', 'devices'], { LANDFORM_TEST_CRASH_AT: crashAt }), 60_000);
}

async function succeededBatches(table: string): Promise<number> {
  const rows = await bqRows<{ n: number }>(env.bigquery, `select count(*) as n from landform_raw.export_batches where table_name = '${table}' and status = 'succeeded'`);
  return Number(rows[0]?.n ?? 0);
}

async function rawDeviceVersions(): Promise<string[]> {
  return keys(await bqRows<{ k: string; c: string }>(env.bigquery, `select device_id as k, cast(unix_micros(updated_at) as string) as c from landform_raw.devices`));
}

async function sourceDeviceVersions(): Promise<string[]> {
  const result = await env.db.client.query<{ k: string; c: string }>(`select device_id as k, (extract(epoch from updated_at) * 1000000)::bigint::text as c from devices`);
  return keys(result.rows);
}

describe('a crash between load and publish, then a re-run', () => {
  test('the crashed batch leaves nothing behind, the re-run lands everything exactly once', async () => {
    const crashed = await loaderProcess('beforePublish');
    expect(crashed.killed).toBe(true);
    // The staging table was loaded, but nothing was published and the watermark did not move.
    expect(await rawTelemetryKeys(env.bigquery)).toEqual([]);
    expect(await succeededBatches('telemetry_readings')).toBe(0);

    const rerun = await loaderProcess('never');
    expect(rerun.results.map((r) => [r.table, r.status, r.rowsLoaded])).toEqual([
      ['devices', 'succeeded', 20],
      ['telemetry_readings', 'succeeded', 300],
    ]);
    expect(await rawTelemetryKeys(env.bigquery)).toEqual(await sourceTelemetryKeys(env.db));
    expect(await rawDeviceVersions()).toEqual(await sourceDeviceVersions());
    expect(await succeededBatches('telemetry_readings')).toBe(1);
  });

  test('a crash right after the publish commits, new rows in between, then a re-run: still exactly once', async () => {
    await env.db.client.query(`
      insert into telemetry_readings
      select g, 'dev-' || (g % 7), timestamptz '2026-02-02T00:00:00Z', '{}', timestamptz '2026-02-01T00:05:00Z' + g * interval '1 second'
      from generate_series(301, 400) as g;
      update devices set site = 'moved', updated_at = '2026-02-01T00:10:00Z' where device_id in ('pump-1', 'pump-2');`);
    const crashed = await loaderProcess('afterPublish');
    expect(crashed.killed).toBe(true);
    // devices (first in contract order) was published before the kill; telemetry never started.
    expect(await succeededBatches('devices')).toBe(2);

    await env.db.client.query(`insert into telemetry_readings values (401, 'dev-x', '2026-02-03T00:00:00Z', '{}', '2026-02-01T00:08:00Z')`);
    const rerun = await loaderProcess('never');
    // devices has nothing new: its rows inside the lookback committed before the published batch's
    // recorded snapshot, so none is read again and no batch is recorded (loader/source/window.ts).
    expect(rerun.results.map((r) => [r.table, r.status])).toEqual([
      ['devices', 'empty'],
      ['telemetry_readings', 'succeeded'],
    ]);
    expect(await rawTelemetryKeys(env.bigquery)).toEqual(await sourceTelemetryKeys(env.db));
    // Every device version the source ever had once: 20 originals + 2 updates.
    const versions = await rawDeviceVersions();
    expect(versions).toHaveLength(22);
    expect(new Set(versions).size).toBe(22);
    expect(versions).toEqual(expect.arrayContaining(await sourceDeviceVersions()));
    // One succeeded lineage row per published batch, each tied to the contract hash.
    const lineage = await bqRows<{ table_name: string; n: number; hashes: number }>(
      env.bigquery,
      `select table_name, count(*) as n, count(distinct contract_hash) as hashes from landform_raw.export_batches where status = 'succeeded' group by table_name order by table_name`,
    );
    expect(lineage).toEqual([
      { table_name: 'devices', n: 2, hashes: 1 },
      { table_name: 'telemetry_readings', n: 2, hashes: 1 },
    ]);
  });
});
