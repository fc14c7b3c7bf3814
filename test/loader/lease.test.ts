/**
 * One run per table at a time. Two runs on the same tables overlap on purpose (run A holds
 * telemetry_readings at its beforePublish hook until run B has finished): B skips that table naming
 * A and since when, every row lands exactly once. A lease left by a dead run lapses and is taken over;
 * one that has not lapsed is respected.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { ensureRawLayer, runLoad, type BatchResult } from '../../loader/index.js';
import { bqRows, keys, rawTelemetryKeys, sourceTelemetryKeys, startLoaderEnv, type LoaderEnv } from './support/loader-env.js';

let env: LoaderEnv;

beforeAll(async () => {
  env = await startLoaderEnv();
  await env.db.client.query(`
    insert into telemetry_readings
    select g, 'dev-' || (g % 7), timestamptz '2026-09-01T00:00:00Z', '{}', timestamptz '2026-09-01T00:00:00Z' + g * interval '1 second'
    from generate_series(1, 200) as g;
    insert into devices
    select 'pump-' || g, 'SN-0000' || g, 'P100', 'site-' || (g % 3), null, timestamptz '2025-06-01T00:00:00Z', timestamptz '2026-09-01T00:00:00Z'
    from generate_series(1, 10) as g;`);
});

afterAll(async () => {
  await env?.stop();
});

const byTable = (results: BatchResult[]) => Object.fromEntries(results.map((r) => [r.table, r]));

async function rawDeviceVersions(): Promise<string[]> {
  return keys(await bqRows<{ k: string; c: string }>(env.bigquery, `select device_id as k, cast(unix_micros(updated_at) as string) as c from landform_raw.devices`));
}

describe('two runs on the same tables at once', () => {
  test('the second skips the table the first holds, naming it; every row lands once', async () => {
    let insideTelemetry: () => void = () => undefined;
    const aHoldsTelemetry = new Promise<void>((resolve) => (insideTelemetry = resolve));
    let bFinished: () => void = () => undefined;
    const bDone = new Promise<void>((resolve) => (bFinished = resolve));

    const runA = runLoad(
      env.config({
        owner: 'run-a',
        tables: ['devices', 'telemetry_readings'],
        hooks: {
          beforePublish: async (table) => {
            if (table !== 'telemetry_readings') return;
            insideTelemetry();
            await bDone;
          },
        },
      }),
    );
    await aHoldsTelemetry;
    const b = byTable(await runLoad(env.config({ owner: 'run-b', tables: ['devices', 'telemetry_readings'] })));
    bFinished();
    const a = byTable(await runA);

    expect(a.telemetry_readings).toMatchObject({ status: 'succeeded', rowsLoaded: 200 });
    expect(b.telemetry_readings).toMatchObject({ status: 'skipped', rowsExtracted: 0, skipped: { owner: 'run-a', since: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) } });
    expect(b.telemetry_readings?.error).toMatch(/^skipped: telemetry_readings is being loaded by run-a since \d{4}-/);
    // devices was free again by then: B read it once more and found nothing new (its 10 rows
    // committed before A's recorded snapshot, so the lookback reads none of them again: window.ts).
    expect(a.devices).toMatchObject({ status: 'succeeded', rowsLoaded: 10 });
    expect(b.devices).toMatchObject({ status: 'empty', rowsLoaded: 0, rowsSkippedDuplicate: 0 });

    expect(await rawTelemetryKeys(env.bigquery)).toEqual(await sourceTelemetryKeys(env.db));
    const devices = await rawDeviceVersions();
    expect(devices).toHaveLength(10);
    expect(new Set(devices).size).toBe(10);
    // Both runs freed what they held.
    expect(await bqRows(env.bigquery, `select table_name, owner from landform_raw.load_leases where owner is not null`)).toEqual([]);
  });
});

describe('a lease left behind', () => {
  test('one that has not lapsed is respected; a lapsed one is taken over', async () => {
    await env.db.client.query(`insert into telemetry_readings values (201, 'dev-1', '2026-09-01T00:00:00Z', '{}', '2026-09-01T00:10:00Z')`);
    const hold = (expiresSql: string) =>
      bqRows(env.bigquery, `update landform_raw.load_leases set owner = 'dead-run', acquired_at = timestamp '2026-09-01 00:00:00', expires_at = ${expiresSql} where table_name = 'telemetry_readings'`);

    await hold(`timestamp_add(current_timestamp(), interval 1 hour)`);
    const [held] = await runLoad(env.config({ owner: 'run-c', tables: ['telemetry_readings'] }));
    expect(held).toMatchObject({ status: 'skipped', skipped: { owner: 'dead-run', since: '2026-09-01T00:00:00.000000Z' } });

    await hold(`timestamp_sub(current_timestamp(), interval 1 second)`);
    const [taken] = await runLoad(env.config({ owner: 'run-c', tables: ['telemetry_readings'] }));
    expect(taken).toMatchObject({ status: 'succeeded', rowsLoaded: 1 });
    expect(await rawTelemetryKeys(env.bigquery)).toEqual(await sourceTelemetryKeys(env.db));
  });
});

describe('a batch that outlives its lease length', () => {
  test('renews the lease while it runs, so another run still skips the table', async () => {
    await env.db.client.query(`insert into telemetry_readings values (301, 'dev-1', '2026-09-01T00:00:00Z', '{}', '2026-09-01T00:20:00Z')`);
    let other: BatchResult | undefined;
    const leaseMs = 2_000;
    const [held] = await runLoad(
      env.config({
        owner: 'run-long',
        leaseMs,
        tables: ['telemetry_readings'],
        hooks: {
          beforePublish: async () => {
            // Wait (bounded) until a renewal has pushed the expiry past what taking the lease set.
            for (let i = 0; i < 300; i++) {
              const [row] = await bqRows<{ renewed: boolean }>(
                env.bigquery,
                `select expires_at > timestamp_add(acquired_at, interval ${leaseMs + 500} millisecond) as renewed from landform_raw.load_leases where table_name = 'telemetry_readings' and owner = 'run-long'`,
              );
              if (row?.renewed) break;
              await new Promise((resolve) => setTimeout(resolve, 200));
            }
            [other] = await runLoad(env.config({ owner: 'run-other', tables: ['telemetry_readings'] }));
          },
        },
      }),
    );
    expect(other).toMatchObject({ status: 'skipped', skipped: { owner: 'run-long' } });
    expect(held).toMatchObject({ status: 'succeeded', rowsLoaded: 1 });
    expect(await rawTelemetryKeys(env.bigquery)).toEqual(await sourceTelemetryKeys(env.db));
  });
});

describe('the lease statement under a real race', () => {
  test('of eight runs taking the same lease at once, exactly one wins and the others see it as the holder', async () => {
    const { acquireLease, releaseLease } = await import('../../loader/lineage/leases.js');
    await ensureRawLayer(env.config());
    const target = { bigquery: env.bigquery, projectId: 'landform-local', dataset: 'landform_raw', location: 'US', retry: { attempts: 5, baseDelayMs: 5, maxDelayMs: 50 } };
    const owners = Array.from({ length: 8 }, (_, i) => `racer-${i}`);
    const outcomes = await Promise.all(owners.map((owner) => acquireLease(target, 'race_table', owner, 60_000)));
    const winners = owners.filter((_, i) => outcomes[i]?.taken);
    expect(winners).toHaveLength(1);
    for (const outcome of outcomes) if (!outcome.taken) expect(outcome.holder.owner).toBe(winners[0]);
    await releaseLease(target, 'race_table', winners[0] ?? '');
  });
});
