/**
 * Fields of a STRUCT script variable, `v.f`, as cloud-cost-management-toolkit's post-operations
 * read them: `DECLARE v STRUCT<...>; SET v = (SELECT AS STRUCT COUNT(1) AS n, ARRAY_AGG(...) AS
 * ds, ...); UPDATE log SET n = v.n, ds = COALESCE(v.ds, []) ...`. BigQuery's scripting reference:
 * a variable of any type can be DECLAREd and SET from a scalar subquery; a column of the
 * statement's tables comes before a variable of the same name (here a loud failure, not the
 * variable). A select item `v.n` is a path, named by its last field. Expected values by hand.
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
  await engine.createDataset({ datasetReference: { projectId: P, datasetId: 'd' } });
  await engine.query('create table d.log (id int64, records int64, days array<date>, last_day date)', opts);
  await engine.query('insert into d.log (id) values (1), (2)', opts);
  await engine.query("create table d.usage (day date, v struct<n int64>); insert into d.usage values (date '2024-08-01', struct(10)), (date '2024-08-02', struct(20)), (date '2024-08-02', struct(30))", opts);
});

describe('fields of a STRUCT script variable', () => {
  test('SET from SELECT AS STRUCT, then UPDATE ... SET col = v.field inside BEGIN ... END', async () => {
    await engine.query(`begin
      declare meta struct<records int64, days array<date>, last_day date>;
      set meta = (select as struct count(1) as records, array_agg(distinct day order by day) as days, max(day) as last_day from d.usage);
      update d.log set records = meta.records, days = coalesce(meta.days, []), last_day = meta.last_day where id = 1;
    end`, opts);
    expect(await run('select id, records, days, last_day from d.log order by id')).toEqual({
      names: ['id', 'records', 'days', 'last_day'],
      rows: [['1', '3', [{ v: '2024-08-01' }, { v: '2024-08-02' }], '2024-08-02'], ['2', null, [], null]],
    });
  });

  test('a select item v.f is named by its field; nested fields and the whole variable', async () => {
    expect(await run("declare v struct<n int64, s struct<m string>>; set v = struct(6, struct('z')); select v.n, v.s.m, v.n + 1 as k, v")).toEqual({
      names: ['n', 'm', 'k', 'v'],
      rows: [['6', 'z', '7', { f: [{ v: '6' }, { v: { f: [{ v: 'z' }] } }] }]],
    });
  });

  test('a column v of a table the statement reads comes first: loud, not the variable', async () => {
    await expect(run('declare v struct<n int64>; set v = struct(6); select v.n from d.usage')).rejects.toThrow(/not supported by the embedded BigQuery/);
  });

  test('a table alias v comes first: the table\'s column is read', async () => {
    expect(await run('declare v struct<n int64>; set v = struct(6); select v.id from d.log as v order by v.id')).toEqual({ names: ['id'], rows: [['1'], ['2']] });
  });
});
