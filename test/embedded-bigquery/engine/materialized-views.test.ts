/**
 * Materialized views (BigQuery's DDL reference, "CREATE MATERIALIZED VIEW"; the REST Table
 * resource's `materializedView`). BigQuery answers an MV query as if the view were fresh (stored
 * result combined with the base tables' changes), so every read here must equal the query over the
 * base table as it is now, including right after the base table changes. DML, loads and inserts
 * into an MV fail; INFORMATION_SCHEMA.TABLES says `MATERIALIZED VIEW`; VIEWS does not list it.
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
const ref = (tableId: string) => ({ projectId: P, datasetId: 'mv', tableId });

let engine: Engine;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'engine-mv-'));
  engine = await createEngine({ dataPath: dir });
  await engine.createDataset({ datasetReference: { projectId: P, datasetId: 'mv' } });
  await engine.query(`create table mv.clicks (product_id int64, clicks int64, day date) partition by day;
    insert into mv.clicks values (1, 10, '2024-01-01'), (1, 5, '2024-01-02'), (2, 7, '2024-01-01')`, opts);
});

afterAll(async () => {
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('CREATE MATERIALIZED VIEW', () => {
  test('reads are the query over the base table as it is now', async () => {
    const r = await engine.query(`create materialized view mv.by_product
      options (enable_refresh = true, refresh_interval_minutes = 60, description = 'clicks per product')
      as select product_id, sum(clicks) as sum_clicks, count(*) as n from mv.clicks group by product_id`, opts);
    expect(r.statementType).toBe('CREATE_MATERIALIZED_VIEW');
    expect(await one('select product_id, sum_clicks, n from mv.by_product order by product_id')).toEqual([['1', '15', '2'], ['2', '7', '1']]);
    // an insert, update and delete into the base table show at once (1: 15 + 3 = 18; 2: deleted; 3: new)
    await engine.query("insert into mv.clicks values (1, 3, '2024-01-03'), (3, 4, '2024-01-03'); delete from mv.clicks where product_id = 2", opts);
    expect(await one('select product_id, sum_clicks, n from mv.by_product order by product_id')).toEqual([['1', '18', '3'], ['3', '4', '1']]);
  });

  test('tables.get: type, materializedView (query, refresh settings, lastRefreshTime), schema, rows', async () => {
    const before = Date.now();
    const t = await engine.getTable(ref('by_product'));
    expect(t.type).toBe('MATERIALIZED_VIEW');
    expect(t.view).toBeUndefined();
    expect(t.description).toBe('clicks per product');
    expect(t.materializedView).toMatchObject({ enableRefresh: true, refreshIntervalMs: String(60 * 60 * 1000) });
    expect(t.materializedView!.query).toBe('select product_id, sum(clicks) as sum_clicks, count(*) as n from mv.clicks group by product_id');
    expect(Number(t.materializedView!.lastRefreshTime)).toBeLessThanOrEqual(before);
    expect(t.schema!.fields.map((f) => [f.name, f.type])).toEqual([['product_id', 'INTEGER'], ['sum_clicks', 'INTEGER'], ['n', 'INTEGER']]);
    // the two groups left (products 1 and 3), three INT64 columns of 8 bytes each
    expect(t.numRows).toBe('2');
    expect(t.numBytes).toBe(String(2 * 3 * 8));
    expect((await engine.listTables({ projectId: P, datasetId: 'mv' })).find((x) => x.tableReference.tableId === 'by_product')?.type).toBe('MATERIALIZED_VIEW');
  });

  test('default refresh settings; OR REPLACE and IF NOT EXISTS; a table of the name is not replaced', async () => {
    await engine.query('create materialized view mv.plain as select day, sum(clicks) as c from mv.clicks group by day', opts);
    expect((await engine.getTable(ref('plain'))).materializedView).toMatchObject({ enableRefresh: true, refreshIntervalMs: '1800000' });
    await engine.query('create or replace materialized view mv.plain as select day, max(clicks) as c from mv.clicks group by day', opts);
    expect(await one("select c from mv.plain where day = '2024-01-03'")).toEqual([['4']]);
    const r = await engine.query('create materialized view if not exists mv.plain as select 1 as x from mv.clicks', opts);
    expect(r.statementType).toBe('CREATE_MATERIALIZED_VIEW');
    expect(await one("select c from mv.plain where day = '2024-01-03'")).toEqual([['4']]);
    await expect(engine.query('create materialized view mv.plain as select 1 as x from mv.clicks', opts)).rejects.toMatchObject({ reason: 'duplicate' });
    await expect(engine.query('create or replace materialized view mv.clicks as select 1 as x from mv.plain', opts)).rejects.toMatchObject({ reason: 'invalidQuery' });
    expect(await one('select count(*) from mv.clicks')).toEqual([['4']]);
  });

  test('what BigQuery rejects: no base table, non-deterministic functions, an interval out of range', async () => {
    await expect(engine.query('create materialized view mv.bad as select 1 as x', opts)).rejects.toMatchObject({ reason: 'invalidQuery', message: expect.stringMatching(/at least one base table/) });
    await expect(engine.query('create materialized view mv.bad as select current_date() as d, count(*) as n from mv.clicks', opts)).rejects.toMatchObject({ reason: 'invalidQuery', message: expect.stringMatching(/CURRENT_DATE/) });
    await expect(engine.query('create materialized view mv.bad options (refresh_interval_minutes = 0) as select count(*) as n from mv.clicks', opts)).rejects.toMatchObject({ reason: 'invalidQuery' });
    await expect(engine.query('create table mv.t options (enable_refresh = true) as select 1 as x', opts)).rejects.toMatchObject({ reason: 'invalidQuery', message: 'Unknown option: enable_refresh' });
    await expect(engine.getTable(ref('bad'))).rejects.toMatchObject({ reason: 'notFound' });
  });

  test('DML, TRUNCATE, streaming inserts and schema patches into a materialized view fail', async () => {
    for (const sql of ['insert into mv.by_product values (9, 9, 9)', 'delete from mv.by_product where true', 'update mv.by_product set n = 0 where true', 'truncate table mv.by_product']) {
      await expect(engine.query(sql, opts)).rejects.toMatchObject({ reason: 'invalidQuery', message: expect.stringMatching(/materialized view landform-local:mv\.by_product/) });
    }
    await expect(engine.insertRows(ref('by_product'), [{ product_id: 1 }], {})).rejects.toMatchObject({ reason: 'invalid' });
    await expect(engine.patchTable(ref('by_product'), { schema: { fields: [{ name: 'product_id', type: 'INTEGER' }] } })).rejects.toMatchObject({ reason: 'invalid', message: 'Schema update for materialized views is not supported.' });
    expect(await one('select count(*) from mv.by_product')).toEqual([['2']]);
  });

  test('INFORMATION_SCHEMA.TABLES says MATERIALIZED VIEW; VIEWS lists only logical views; MATERIALIZED_VIEWS', async () => {
    await engine.query('create view mv.logical as select product_id from mv.clicks', opts);
    expect(await one("select table_name, table_type, is_insertable_into from mv.INFORMATION_SCHEMA.TABLES where table_name in ('by_product', 'logical', 'clicks') order by table_name")).toEqual([
      ['by_product', 'MATERIALIZED VIEW', 'NO'],
      ['clicks', 'BASE TABLE', 'YES'],
      ['logical', 'VIEW', 'NO'],
    ]);
    expect(await one('select table_name from mv.INFORMATION_SCHEMA.VIEWS')).toEqual([['logical']]);
    const before = Date.now();
    const [name, refreshed, watermark, status] = (await one('select table_name, last_refresh_time, refresh_watermark, last_refresh_status from mv.INFORMATION_SCHEMA.MATERIALIZED_VIEWS'))[0]!;
    expect([name, status]).toEqual(['by_product', null]);
    // fresh on every read: the watermark is the query's time, the last refresh the creation (or the last CALL)
    expect(Number(watermark) * 1000).toBeGreaterThanOrEqual(before - 1000);
    expect(Number(refreshed) * 1000).toBe(Number((await engine.getTable(ref('by_product'))).materializedView!.lastRefreshTime));
  });

  test('ALTER MATERIALIZED VIEW SET OPTIONS; CALL BQ.REFRESH_MATERIALIZED_VIEW moves lastRefreshTime only', async () => {
    const r = await engine.query('alter materialized view mv.by_product set options (enable_refresh = false, refresh_interval_minutes = 120)', opts);
    expect(r.statementType).toBe('ALTER_MATERIALIZED_VIEW');
    const altered = await engine.getTable(ref('by_product'));
    expect(altered.materializedView).toMatchObject({ enableRefresh: false, refreshIntervalMs: String(120 * 60000) });
    await expect(engine.query('alter table mv.by_product set options (description = "x")', opts)).rejects.toMatchObject({ reason: 'invalidQuery' });
    await expect(engine.query('alter materialized view mv.clicks set options (enable_refresh = false)', opts)).rejects.toMatchObject({ reason: 'invalidQuery' });
    await new Promise((res) => setTimeout(res, 5));
    const before = Number(altered.materializedView!.lastRefreshTime);
    await engine.query("call BQ.REFRESH_MATERIALIZED_VIEW('mv.by_product')", opts);
    const refreshed = await engine.getTable(ref('by_product'));
    expect(Number(refreshed.materializedView!.lastRefreshTime)).toBeGreaterThan(before);
    expect(refreshed.materializedView).toMatchObject({ enableRefresh: false });
    await expect(engine.query("call BQ.REFRESH_MATERIALIZED_VIEW('mv.clicks')", opts)).rejects.toMatchObject({ reason: 'invalidQuery' });
    await expect(engine.query("call BQ.REFRESH_MATERIALIZED_VIEW('mv.nope')", opts)).rejects.toMatchObject({ reason: 'notFound' });
  });

  test('DROP MATERIALIZED VIEW [IF EXISTS]; DROP VIEW refuses a materialized view', async () => {
    await expect(engine.query('drop view mv.plain', opts)).rejects.toMatchObject({ reason: 'invalidQuery', message: expect.stringMatching(/use DROP MATERIALIZED VIEW/) });
    const r = await engine.query('drop materialized view mv.plain', opts);
    expect(r.statementType).toBe('DROP_MATERIALIZED_VIEW');
    await expect(engine.getTable(ref('plain'))).rejects.toMatchObject({ reason: 'notFound' });
    await engine.query('drop materialized view if exists mv.plain', opts);
    await expect(engine.query('drop materialized view mv.plain', opts)).rejects.toMatchObject({ reason: 'notFound' });
  });

  test('tables.get of a materialized view whose base table was dropped still answers; reading it fails', async () => {
    await engine.query('create table mv.base2 (x int64); insert into mv.base2 values (1)', opts);
    await engine.query('create materialized view mv.orphan as select x, count(*) as n from mv.base2 group by x', opts);
    await engine.query('drop table mv.base2', opts);
    expect((await engine.getTable(ref('orphan'))).type).toBe('MATERIALIZED_VIEW');
    await expect(engine.query('select * from mv.orphan', opts)).rejects.toMatchObject({ reason: 'notFound' });
    await engine.query('drop materialized view mv.orphan', opts);
  });

  test('tables.insert of a materializedView resource creates one, as bq mk --materialized_view does', async () => {
    const t = await engine.createTable({ tableReference: ref('from_api'), description: 'via the API', materializedView: { query: 'select product_id, count(*) as n from mv.clicks group by product_id', enableRefresh: false, refreshIntervalMs: '3600000', lastRefreshTime: '0' } });
    expect(t.type).toBe('MATERIALIZED_VIEW');
    expect(t.description).toBe('via the API');
    expect(t.materializedView).toMatchObject({ enableRefresh: false, refreshIntervalMs: '3600000' });
    expect(Number(t.materializedView!.lastRefreshTime)).toBeGreaterThan(0);
    expect(await one('select n from mv.from_api where product_id = 3')).toEqual([['1']]);
    await expect(engine.createTable({ tableReference: ref('bad_api'), materializedView: { query: 'select 1 as x', enableRefresh: true, refreshIntervalMs: '1800000', lastRefreshTime: '0' } })).rejects.toMatchObject({ reason: 'invalidQuery' });
  });

  test('kept across a restart on the same directory', async () => {
    await engine.close();
    engine = await createEngine({ dataPath: dir });
    expect((await engine.getTable(ref('by_product'))).type).toBe('MATERIALIZED_VIEW');
    expect(await one('select sum(sum_clicks) from mv.by_product')).toEqual([['22']]);
  });
});
