/**
 * The lease steps folded into other jobs: an incremental batch takes its lease and reads its
 * watermark in one script, and its publish script frees the lease right after its commit. So a run
 * killed right after the publish commits leaves no lease behind (another run takes the table at
 * once, not after the lease lapses), a run killed before the publish leaves the lease held (another run skips the table),
 * and a publish script run again after the lease went to another run frees nothing of theirs and
 * lands nothing twice. Real embedded Postgres and BigQuery; the killed runs are child processes.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { loadContracts } from '../../contracts/schema/index.js';
import { runLoad } from '../../loader/index.js';
import { startBatchRecord } from '../../loader/lineage/export-batches.js';
import type { BigQueryTarget } from '../../loader/publish/bigquery-target.js';
import { createStagingTable, stagingTableName } from '../../loader/publish/load-stage.js';
import { publishBatch } from '../../loader/publish/publish-batch.js';
import { stagingTableOptions } from '../../loader/publish/raw-schema.js';
import { bqRows, rawTelemetryKeys, sourceTelemetryKeys, startLoaderEnv, type LoaderEnv } from './support/loader-env.js';
import { loaderChildEnv, runLoaderChild } from './support/loader-child.js';
let env: LoaderEnv;

beforeAll(async () => {
  env = await startLoaderEnv();
  await env.db.client.query(`
    insert into telemetry_readings
    select g, 'dev-' || (g % 5), timestamptz '2026-03-01T00:00:00Z' + g * interval '1 minute', '{}', timestamptz '2026-03-01T00:00:00Z' + g * interval '1 second'
    from generate_series(1, 120) as g;`);
}, 120_000);

afterAll(async () => {
  await env?.stop();
});

/** The loader in a child process as the scheduled job `crash-test-job`, killed at `crashAt`. */
async function killedRun(crashAt: 'beforePublish' | 'afterPublish'): Promise<boolean> {
  return (await runLoaderChild('test/loader/support/crash-run.ts', loaderChildEnv(env, ['telemetry_readings'], { LANDFORM_TEST_CRASH_AT: crashAt }), 60_000)).killed;
}

const leases = () => bqRows<{ owner: string | null }>(env.bigquery, `select owner from landform_raw.load_leases where table_name = 'telemetry_readings'`);
const succeeded = async () => Number((await bqRows<{ n: number }>(env.bigquery, `select count(*) as n from landform_raw.export_batches where table_name = 'telemetry_readings' and status = 'succeeded'`))[0]?.n);

describe('the lease of an incremental batch', () => {
  test('is free once its publish commits: at the afterPublish hook already, with the batch recorded', async () => {
    let seen: { owner: string | null }[] | undefined;
    let batches: number | undefined;
    const [result] = await runLoad(
      env.config({
        owner: 'run-hook',
        tables: ['telemetry_readings'],
        hooks: {
          afterPublish: async () => {
            seen = await leases();
            batches = await succeeded();
          },
        },
      }),
    );
    expect(result).toMatchObject({ status: 'succeeded', rowsLoaded: 120 });
    expect(seen).toEqual([{ owner: null }]);
    expect(batches).toBe(1);
  }, 60_000);

  test('a run killed right after the publish commits leaves it free: another run takes the table at once; every row lands once', async () => {
    await env.db.client.query(`
      insert into telemetry_readings
      select g, 'dev-x', timestamptz '2026-03-02T00:00:00Z', '{}', timestamptz '2026-03-01T00:10:00Z' + g * interval '1 second'
      from generate_series(121, 150) as g;`);
    expect(await killedRun('afterPublish')).toBe(true);
    expect(await leases()).toEqual([{ owner: null }]);
    expect(await succeeded()).toBe(2);

    await env.db.client.query(`insert into telemetry_readings values (151, 'dev-y', '2026-03-03T00:00:00Z', '{}', '2026-03-01T00:20:00Z')`);
    // A different owner with the default two-minute lease: before the fold it would have been
    // skipped until the killed run's lease lapsed.
    const [next] = await runLoad(env.config({ owner: 'another-job', tables: ['telemetry_readings'] }));
    expect(next).toMatchObject({ status: 'succeeded', rowsLoaded: 1 });
    expect(await rawTelemetryKeys(env.bigquery)).toEqual(await sourceTelemetryKeys(env.db));
    expect(await succeeded()).toBe(3);
    expect(await leases()).toEqual([{ owner: null }]);
  }, 120_000);

  test('a run killed before its publish (after the lease and watermark script) holds it: another run skips; the same job lands the rows once', async () => {
    await env.db.client.query(`insert into telemetry_readings values (152, 'dev-z', '2026-03-03T00:00:00Z', '{}', '2026-03-01T00:30:00Z')`);
    expect(await killedRun('beforePublish')).toBe(true);
    expect(await leases()).toEqual([{ owner: 'crash-test-job' }]);

    const [other] = await runLoad(env.config({ owner: 'another-job', tables: ['telemetry_readings'] }));
    expect(other).toMatchObject({ status: 'skipped', skipped: { owner: 'crash-test-job' } });
    const [same] = await runLoad(env.config({ owner: 'crash-test-job', tables: ['telemetry_readings'] }));
    expect(same).toMatchObject({ status: 'succeeded', rowsLoaded: 1 });
    expect(await rawTelemetryKeys(env.bigquery)).toEqual(await sourceTelemetryKeys(env.db));
    expect(await succeeded()).toBe(4);
    expect(await leases()).toEqual([{ owner: null }]);
  }, 120_000);

  test('a publish script run again after the lease went to another run frees nothing of theirs and lands nothing twice', async () => {
    const set = await loadContracts(env.contractsDir);
    const telemetry = set.tables.find((t) => t.contract.name === 'telemetry_readings');
    if (!telemetry) throw new Error('no telemetry_readings contract');
    const target: BigQueryTarget = { bigquery: env.bigquery, projectId: 'landform-local', dataset: 'landform_raw', location: 'US' };
    const batchId = 'refreed000001';
    const staging = stagingTableName('telemetry_readings', batchId);
    await createStagingTable(target, staging, stagingTableOptions(telemetry.contract));
    // Row 153 is new; row 1 is staged exactly as landed by the first test.
    await bqRows(
      env.bigquery,
      `insert into landform_raw.${staging} (reading_id, device_id, ts, metrics, ingested_at)
       select reading_id, device_id, ts, metrics, ingested_at from landform_raw.telemetry_readings where reading_id = 1 and ts >= timestamp '1970-01-01'
       union all select 153, 'dev-w', timestamp '2026-03-04 00:00:00+00', json '{}', timestamp '2026-03-01 00:40:00+00'`,
    );
    await bqRows(env.bigquery, `update landform_raw.load_leases set owner = 'run-a', acquired_at = current_timestamp(), expires_at = timestamp_add(current_timestamp(), interval 1 hour) where table_name = 'telemetry_readings'`);
    const record = { ...startBatchRecord({ batchId, table: 'telemetry_readings', contractVersion: telemetry.contract.version, contractHash: telemetry.hash, startedAt: new Date(), stageUri: 'file:///m.json' }), rowsExtracted: 2 };
    record.watermarkFrom = '2026-03-01T00:30:00.000000Z';
    record.watermarkTo = '2026-03-01T00:40:00.000000Z';
    record.watermarkToKey = '{"reading_id":"153"}';
    const input = { contract: telemetry.contract, contractHash: telemetry.hash, record, stagingTable: staging, quarantineStagingTable: null, extractedAt: new Date().toISOString(), freeLeaseOf: 'run-a' };

    expect(await publishBatch(target, input)).toMatchObject({ rowsLoaded: 1, rowsSkippedDuplicate: 1, leaseFreed: true });
    expect(await leases()).toEqual([{ owner: null }]);
    const rows = async () => (await bqRows<{ n: number }>(env.bigquery, `select count(*) as n from landform_raw.telemetry_readings where ts >= timestamp '1970-01-01'`))[0]?.n;
    const landed = await rows();

    // Another run takes the lease; then the first publish's script runs again (its response lost).
    await bqRows(env.bigquery, `update landform_raw.load_leases set owner = 'run-b', acquired_at = current_timestamp(), expires_at = timestamp_add(current_timestamp(), interval 1 hour) where table_name = 'telemetry_readings'`);
    expect(await publishBatch(target, input)).toMatchObject({ rowsLoaded: 1, rowsSkippedDuplicate: 1 });
    expect(await leases()).toEqual([{ owner: 'run-b' }]);
    expect(await rows()).toBe(landed);
    expect(Number((await bqRows<{ n: number }>(env.bigquery, `select count(*) as n from landform_raw.export_batches where batch_id = '${batchId}'`))[0]?.n)).toBe(1);
  }, 60_000);
});
