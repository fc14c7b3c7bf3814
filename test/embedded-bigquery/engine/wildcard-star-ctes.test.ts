/**
 * `*`, `t.*`, `* EXCEPT` and `* REPLACE` in a statement that reads a wildcard table, where the `*`
 * reads only the statement's CTEs (GA4 exports are read so: a CTE picks `_TABLE_SUFFIX AS x, *`
 * from `events_*`, later CTEs `SELECT * EXCEPT (...)` from it). BigQuery's documentation:
 * `_TABLE_SUFFIX` is a pseudo-column, not part of `SELECT *` of the wildcard table; `* EXCEPT`
 * leaves out the named columns and fails when one does not exist; `* REPLACE` replaces a column's
 * value in place. Expected values worked out by hand from the rows below.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import type { Engine, QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';
import { memoryEngine, namesAndRows } from '../support-memory-engine.js';

const P = 'landform-local';
const opts: QueryOptions = { projectId: P };
const run = (sql: string) => namesAndRows(engine, sql, opts);

const engineOf = memoryEngine();
let engine: Engine;

beforeAll(async () => {
  engine = engineOf();
  await engine.createDataset({ datasetReference: { projectId: P, datasetId: 'ga4' } });
  await engine.query("create table ga4.events_20240101 (event_name string, n int64, extra string); insert into ga4.events_20240101 values ('page_view', 1, 'a')", opts);
  await engine.query("create table ga4.events_20240102 (event_name string, n int64, extra string); insert into ga4.events_20240102 values ('click', 2, 'b')", opts);
  await engine.query('create table ga4.recs (id int64, name string) partition by _PARTITIONDATE', opts);
  await engine.query("insert into ga4.recs (id, name, _PARTITIONTIME) values (1, 'a', timestamp '2024-01-05'), (2, 'b', timestamp '2024-01-06')", opts);
  await engine.query("create table ga4.other (id int64, z string); insert into ga4.other values (1, 'z1'), (2, 'z2')", opts);
});

const SOURCE = 'with src as (select _table_suffix as table_suffix, * from ga4.`events_*`)';

describe('a * over CTEs in a statement reading a wildcard table', () => {
  test('* EXCEPT over a CTE leaves out the named columns (the CTE has no pseudo-column)', async () => {
    expect(await run(`${SOURCE}, trimmed as (select * except (extra) from src) select * from trimmed order by n`)).toEqual({
      names: ['table_suffix', 'event_name', 'n'],
      rows: [['20240101', 'page_view', '1'], ['20240102', 'click', '2']],
    });
  });

  test('* REPLACE over a CTE replaces the value in place', async () => {
    expect(await run(`${SOURCE} select * replace (n * 10 as n) from src order by n`)).toEqual({
      names: ['table_suffix', 'event_name', 'n', 'extra'],
      rows: [['20240101', 'page_view', '10', 'a'], ['20240102', 'click', '20', 'b']],
    });
  });

  test('alias.* EXCEPT over a CTE beside UNNEST', async () => {
    expect(await run(`${SOURCE} select s.* except (table_suffix, extra), x from src as s, unnest([7]) as x order by n`)).toEqual({
      names: ['event_name', 'n', 'x'],
      rows: [['page_view', '1', '7'], ['click', '2', '7']],
    });
  });

  test('* EXCEPT of a column the CTE lacks fails with BigQuery\'s error', async () => {
    await expect(run(`${SOURCE} select * except (nope) from src`)).rejects.toThrow(/Column nope in SELECT \* EXCEPT list does not exist/);
  });

  test('a * that reads the wildcard table itself still leaves out _TABLE_SUFFIX', async () => {
    expect(await run(`${SOURCE} select * from ga4.\`events_*\` order by n`)).toEqual({ names: ['event_name', 'n', 'extra'], rows: [['page_view', '1', 'a'], ['click', '2', 'b']] });
  });

  test('* EXCEPT where the FROM reads the wildcard table (beside a CTE) stays loud', async () => {
    await expect(run(`${SOURCE} select * except (extra) from src, ga4.\`events_*\` as e`)).rejects.toThrow(/not supported by the embedded BigQuery/);
    await expect(run('select * except (extra) from ga4.`events_*`')).rejects.toThrow(/not supported by the embedded BigQuery/);
  });

  test('(SELECT AS STRUCT col.*, ...) without FROM expands a STRUCT column of the enclosing query', async () => {
    const r = await engine.query(`${SOURCE}, timed as (select n, struct(event_name as name, n * 2 as twice) as t from src)
      select * except (t), (select as struct t.*, 'x' as more) as t from timed order by n`, opts);
    expect(r.schema.fields.map((f) => [f.name, (f.fields ?? []).map((g) => g.name)])).toEqual([['n', []], ['t', ['name', 'twice', 'more']]]);
    expect(r.rows.map((row) => row.f.map((c) => c.v))).toEqual([
      ['1', { f: [{ v: 'page_view' }, { v: '2' }, { v: 'x' }] }],
      ['2', { f: [{ v: 'click' }, { v: '4' }, { v: 'x' }] }],
    ]);
  });

  // `s.*` reads each field (GoogleSQL resolves it to field accesses), so a NULL STRUCT gives NULL fields
  test('the same outside any wildcard statement; a NULL STRUCT gives NULL fields', async () => {
    expect(await run("select (select as struct s.*) as t from (select struct(1 as a, 'b' as b) as s)")).toEqual({ names: ['t'], rows: [[{ f: [{ v: '1' }, { v: 'b' }] }]] });
    expect(await run('select (select as struct s.*) as t from (select cast(null as struct<a int64, b string>) as s)')).toEqual({ names: ['t'], rows: [[{ f: [{ v: null }, { v: null }] }]] });
  });

  test('e.* of a wildcard table alias in a SELECT without FROM stays loud', async () => {
    await expect(run('select (select as struct e.*) from ga4.`events_*` as e')).rejects.toThrow(/not supported by the embedded BigQuery/);
  });

  test('* REPLACE ((SELECT AS STRUCT p.* EXCEPT (...)) AS p): a STRUCT column without some fields (GA4\'s event_params)', async () => {
    const r = await engine.query(`${SOURCE}, params as (select n, struct(event_name as name, n as num, extra) as p from src)
      select * replace ((select as struct p.* except (num, extra)) as p) from params order by n`, opts);
    expect(r.schema.fields.map((f) => [f.name, (f.fields ?? []).map((g) => g.name)])).toEqual([['n', []], ['p', ['name']]]);
    expect(r.rows.map((row) => row.f.map((c) => c.v))).toEqual([['1', { f: [{ v: 'page_view' }] }], ['2', { f: [{ v: 'click' }] }]]);
  });

  test('p.* EXCEPT beside other items in a SELECT without FROM stays loud', async () => {
    await expect(run("select (select as struct p.* except (a), 1 as z) from (select struct(1 as a, 2 as b) as p)")).rejects.toThrow(/not supported by the embedded BigQuery/);
  });

  test('t.* of an ingestion-time table or a wildcard table leaves out its pseudo-columns (the recommendations export read as t1.*)', async () => {
    expect(await run('select t1.*, _PARTITIONDATE as pd from ga4.recs as t1 where t1._PARTITIONTIME = (select max(_PARTITIONTIME) from ga4.recs)')).toEqual({ names: ['id', 'name', 'pd'], rows: [['2', 'b', '2024-01-06']] });
    expect(await run('select o.*, t1.name from ga4.recs as t1 join ga4.other as o on t1.id = o.id order by o.id')).toEqual({ names: ['id', 'z', 'name'], rows: [['1', 'z1', 'a'], ['2', 'z2', 'b']] });
    expect(await run('select e.* from ga4.`events_*` as e order by n')).toEqual({ names: ['event_name', 'n', 'extra'], rows: [['page_view', '1', 'a'], ['click', '2', 'b']] });
  });
});
