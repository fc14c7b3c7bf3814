/**
 * Wildcard tables (`dataset.prefix*` with `_TABLE_SUFFIX`, as GA4's export is read) and
 * INFORMATION_SCHEMA.PARTITIONS. Semantics from BigQuery's documentation: a wildcard table has
 * the schema of the most recently created matching table, `_TABLE_SUFFIX` is a pseudo-column (not
 * in `SELECT *`), views cannot be matched; PARTITIONS ids are YYYYMMDD for DAY, `__NULL__` for NULL.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createEngine } from '../../../packages/embedded-bigquery/src/engine/index.js';
import type { Engine, QueryOptions, Row } from '../../../packages/embedded-bigquery/src/engine/types.js';

const P = 'landform-local';
const opts: QueryOptions = { projectId: P };
const values = (rows: Row[]) => rows.map((r) => r.f.map((c) => c.v));
const one = async (sql: string) => values((await engine.query(sql, opts)).rows);
const pause = () => new Promise((r) => setTimeout(r, 5));

let engine: Engine;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'engine-wildcard-'));
  engine = await createEngine({ dataPath: dir });
  await engine.createDataset({ datasetReference: { projectId: P, datasetId: 'ga4' } });
  // created in this order, so events_20240102 (the newest) gives the wildcard its schema
  await engine.query("create table ga4.events_20240101 (event_name string, user_id string); insert into ga4.events_20240101 values ('page_view', 'u1'), ('click', 'u1')", opts);
  await pause();
  await engine.query("create table ga4.events_20240102 (event_name string, user_id string, value int64); insert into ga4.events_20240102 values ('page_view', 'u2', 5)", opts);
  await engine.query("create table ga4.other (x int64)", opts);
});

afterAll(async () => {
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('wildcard tables', () => {
  test('_TABLE_SUFFIX filters and reads the matched tables; columns missing in older tables are NULL', async () => {
    expect(await one('select _TABLE_SUFFIX as day, event_name, value from `landform-local.ga4.events_*` order by day, event_name')).toEqual([
      ['20240101', 'click', null],
      ['20240101', 'page_view', null],
      ['20240102', 'page_view', '5'],
    ]);
    expect(await one("select count(*) from `ga4.events_*` where _table_suffix between '20240102' and '20240131'")).toEqual([['1']]);
    expect(await one("select count(distinct user_id) from `ga4.events_2024*` where _TABLE_SUFFIX like '01%'")).toEqual([['2']]);
  });

  test('matched tables are billed and their require_partition_filter holds; EXECUTE IMMEDIATE ... INTO reads wildcards too', async () => {
    const r = await engine.query('select user_id from `ga4.events_*`', opts);
    expect(r.totalBytesProcessed).toBeGreaterThan(0);
    expect(await one("declare n int64; execute immediate 'select count(*) from `ga4.events_*`' into n; select n")).toEqual([['3']]);
    await engine.query('create table ga4.strict_20240101 (d date, v int64) partition by d options (require_partition_filter = true)', opts);
    await expect(engine.query('select v from `ga4.strict_*`', opts)).rejects.toMatchObject({ reason: 'invalidQuery' });
    expect(await one("select count(*) from `ga4.strict_*` where d = date '2024-01-01'")).toEqual([['0']]);
  });

  test('SELECT * leaves the pseudo-column out', async () => {
    const r = await engine.query("select * from `ga4.events_*` where _TABLE_SUFFIX = '20240102'", opts);
    expect(r.schema.fields.map((f) => f.name)).toEqual(['event_name', 'user_id', 'value']);
    expect(values(r.rows)).toEqual([['page_view', 'u2', '5']]);
  });

  test('no match is notFound; views are not matched', async () => {
    await expect(engine.query('select 1 from `ga4.nothing_*`', opts)).rejects.toMatchObject({ reason: 'notFound' });
    await engine.query('create view ga4.events_view as select 1 as x', opts);
    await expect(engine.query('select count(*) from `ga4.events_*`', opts)).rejects.toMatchObject({ reason: 'invalidQuery', message: expect.stringMatching(/Views cannot be queried through prefix/) });
    await engine.query('drop view ga4.events_view', opts);
  });
});

describe('INFORMATION_SCHEMA.PARTITIONS', () => {
  test('one row per partition with its row count; an unpartitioned table has one row with a NULL id', async () => {
    await engine.query(`create table ga4.daily (d date, v int64) partition by d;
      insert into ga4.daily values (date '2024-01-01', 1), (date '2024-01-01', 2), (date '2024-01-03', 3), (null, 4)`, opts);
    await engine.query(`create table ga4.monthly (ts timestamp, v int64) partition by timestamp_trunc(ts, month);
      insert into ga4.monthly values (timestamp '2024-01-31 23:59:59+00', 1), (timestamp '2024-02-01 00:00:00+00', 2)`, opts);
    expect(await one("select table_name, partition_id, total_rows from ga4.INFORMATION_SCHEMA.PARTITIONS where table_name in ('daily', 'monthly', 'other') order by table_name, partition_id")).toEqual([
      ['daily', '20240101', '2'],
      ['daily', '20240103', '1'],
      ['daily', '__NULL__', '1'],
      ['monthly', '202401', '1'],
      ['monthly', '202402', '1'],
      ['other', null, '0'],
    ]);
    // not tracked per partition here: naming them fails rather than reading a table-level guess
    await expect(engine.query('select last_modified_time from ga4.INFORMATION_SCHEMA.PARTITIONS', opts)).rejects.toMatchObject({ reason: 'invalidQuery' });
  });
});

describe('ingestion-time partitioning', () => {
  test('rows are stored and read; the pseudo-columns name the partition a row went to (more in server/ingestion-time.test.ts)', async () => {
    await engine.query("create table ga4.ingested (v int64) partition by _PARTITIONDATE; insert into ga4.ingested (v, _PARTITIONTIME) values (1, timestamp '2024-01-01')", opts);
    expect(await one('select * from ga4.ingested')).toEqual([['1']]);
    expect(await one("select v, _PARTITIONDATE from ga4.ingested where _PARTITIONDATE = date '2024-01-01'")).toEqual([['1', '2024-01-01']]);
    expect(await one("select partition_id, total_rows from ga4.INFORMATION_SCHEMA.PARTITIONS where table_name = 'ingested'")).toEqual([['20240101', '1']]);
  });
});
