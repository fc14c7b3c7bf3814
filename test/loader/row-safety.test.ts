/**
 * No row can break a batch: a source whose rows include values BigQuery cannot hold (a year-10000
 * timestamp, a BC one, ±infinity, invalid UTF-8 from a SQL_ASCII database) lands every other row
 * exactly once over three runs, and quarantines each bad row once with its column and key named.
 * The source is a real SQL_ASCII database; the expected raw contents are computed in Postgres.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import pg from 'pg';
import { runLoad } from '../../loader/index.js';
import { bqRows, keys, rawTelemetryKeys, SOURCE_DDL, startLoaderEnv, type LoaderEnv } from './support/loader-env.js';

let env: LoaderEnv;
let source: pg.Client;
let sourceUrl: string;

beforeAll(async () => {
  env = await startLoaderEnv();
  await env.db.client.query(`create database legacy encoding 'SQL_ASCII' lc_collate 'C' lc_ctype 'C' template template0`);
  sourceUrl = env.db.url.replace(/\/postgres$/, '/legacy');
  source = new pg.Client({ connectionString: sourceUrl });
  await source.connect();
  await source.query(SOURCE_DDL);
  await source.query(`
    insert into telemetry_readings
    select g, 'dev-' || (g % 5), timestamptz '2026-05-01T00:00:00Z' + g * interval '1 minute', '{"battery_v": 12.5}', timestamptz '2026-05-01T00:00:00Z' + g * interval '1 second'
    from generate_series(1, 40) as g;
    insert into telemetry_readings values
      (901, 'dev-1', '10000-01-01T00:00:00Z', '{}', '2026-05-01T00:00:41Z'),
      (902, 'dev-1', '0044-03-15T00:00:00Z BC', '{}', '2026-05-01T00:00:42Z'),
      (903, E'dev-\\xff\\xfe', '2026-05-01T01:00:00Z', '{}', '2026-05-01T00:00:43Z'),
      (904, 'dev-2', 'infinity', '{}', '2026-05-01T00:00:44Z'),
      (905, 'dev-2', '-infinity', '{}', '2026-05-01T00:00:45Z'),
      (906, E'caf\\xc3\\xa9', '2026-05-01T01:00:00Z', '{}', '2026-05-01T00:00:46Z');
    insert into devices values
      ('first', 'SN-1', 'P1', 'north', null, '0001-01-01T00:00:00Z', '2026-05-01T00:00:00Z'),
      ('last', 'SN-2', 'P1', 'north', null, '9999-12-31T23:59:59.999999Z', '2026-05-01T00:00:01Z'),
      ('now', 'SN-3', 'P1', 'north', null, '2026-05-01T00:00:00Z', '2026-05-01T00:00:02Z'),
      ('past', 'SN-4', 'P1', 'north', null, '10000-01-01T00:00:00Z', '2026-05-01T00:00:03Z');`);
});

afterAll(async () => {
  await source?.end();
  await env?.stop();
});

const BAD = [901, 902, 903, 904, 905];

async function sourceKeys(): Promise<string[]> {
  const result = await source.query<{ k: string; c: string }>(
    `select reading_id::text as k, (extract(epoch from ingested_at) * 1000000)::bigint::text as c from telemetry_readings where reading_id not in (${BAD.join(', ')})`,
  );
  return keys(result.rows);
}

/**
 * Runs after the first read the whole lookback again only without the last batch's source snapshot
 * record (loader/source/window.ts skips rows committed before it): these tests are about that re-read
 * (dedup and quarantine-once over values at BigQuery's limits), so they drop the record first.
 */
async function forgetSnapshots(table: string): Promise<void> {
  await bqRows(env.bigquery, `update landform_raw.export_batches set source_snapshot = null where table_name = '${table}'`);
}

describe('timestamps at the very edges of the range', () => {
  test('land exactly (partition bounds and dedup over 0001..9999), three runs, once each', async () => {
    for (let run = 0; run < 3; run++) {
      if (run > 0) await forgetSnapshots('devices');
      const [result] = await runLoad(env.config({ databaseUrl: sourceUrl, tables: ['devices'], quarantineThreshold: 0.5 }));
      expect({ status: result?.status, error: result?.error, loaded: result?.rowsLoaded, quarantined: result?.rowsQuarantined }).toEqual({ status: 'succeeded', error: undefined, loaded: run === 0 ? 3 : 0, quarantined: 1 });
    }
    const raw = await bqRows<{ device_id: string; micros: string }>(env.bigquery, `select device_id, cast(unix_micros(installed_at) as string) as micros from landform_raw.devices order by device_id`);
    // Epoch microseconds of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z (`date -u -d ... +%s`).
    expect(raw).toEqual([
      { device_id: 'first', micros: '-62135596800000000' },
      { device_id: 'last', micros: '253402300799999999' },
      { device_id: 'now', micros: '1777593600000000' },
    ]);
  });
});

describe('a source with values BigQuery cannot hold', () => {
  test('three runs land every other row exactly once and quarantine the bad rows once, naming column and key', async () => {
    const expected = await sourceKeys();
    expect(expected).toHaveLength(41);
    const runs = [];
    for (let run = 0; run < 3; run++) {
      if (run > 0) await forgetSnapshots('telemetry_readings');
      const [result] = await runLoad(env.config({ databaseUrl: sourceUrl, tables: ['telemetry_readings'], quarantineThreshold: 0.5 }));
      runs.push(result);
      expect({ status: result?.status, error: result?.error }).toEqual({ status: 'succeeded', error: undefined });
      expect(await rawTelemetryKeys(env.bigquery)).toEqual(expected);
    }
    expect(runs.map((r) => [r?.rowsLoaded, r?.rowsQuarantined])).toEqual([
      [41, 5],
      // Lookback 15 min without a snapshot record: every row is read again, nothing lands twice.
      [0, 5],
      [0, 5],
    ]);
    const quarantined = await bqRows<{ id: string; reason: string; n: number }>(
      env.bigquery,
      `select json_value(row_json, '$.reading_id') as id, reason, count(*) as n from landform_raw.quarantine where table_name = 'telemetry_readings' group by id, reason order by id`,
    );
    const range = "TIMESTAMP outside BigQuery's range 0001-01-01..9999-12-31";
    expect(quarantined).toEqual([
      { id: '901', reason: `ts: ${range} (row reading_id=901)`, n: 1 },
      { id: '902', reason: `ts: ${range} (row reading_id=902)`, n: 1 },
      { id: '903', reason: 'device_id: not valid UTF-8 (the source database is SQL_ASCII) (row reading_id=903)', n: 1 },
      { id: '904', reason: `ts: ${range} (row reading_id=904)`, n: 1 },
      { id: '905', reason: `ts: ${range} (row reading_id=905)`, n: 1 },
    ]);
    // The valid multi-byte value arrived intact; the watermark is an in-range cursor.
    expect(await bqRows(env.bigquery, `select device_id from landform_raw.telemetry_readings where reading_id = 906 and ts >= timestamp '2026-01-01'`)).toEqual([{ device_id: 'café' }]);
    // The manifest names the database the rows came from.
    const manifests = (await readdir(env.stageDir, { recursive: true })).filter((f) => f.endsWith('.manifest.json') && f.includes('telemetry_readings'));
    expect(manifests).toHaveLength(3);
    for (const file of manifests) expect(JSON.parse(await readFile(path.join(env.stageDir, file), 'utf8'))).toMatchObject({ source: { database: 'legacy', schema: 'public', table: 'telemetry_readings' } });
    const lineage = await bqRows<{ w: string }>(env.bigquery, `select cast(max(watermark_to) as string) as w from landform_raw.export_batches where status = 'succeeded'`);
    expect(lineage[0]?.w).toMatch(/^2026-05-01 00:00:46/);
  });
});
