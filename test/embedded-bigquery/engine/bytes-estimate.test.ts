/**
 * totalBytesProcessed and totalBytesBilled against sizes computed by hand from BigQuery's "Data
 * size calculation" table (INT64/TIMESTAMP/DATE 8, BOOL 1, NUMERIC 16, STRING 2 + UTF-8 bytes,
 * JSON its text's UTF-8 bytes, STRUCT the sum of its fields, ARRAY the sum of its elements, NULL 0),
 * partition pruning on constants, parameters and script variables, the DML formulas (q + t) and
 * the 10 MB minimum per table referenced.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const P = 'landform-local';
const opts: QueryOptions = { projectId: P };
const dry: QueryOptions = { projectId: P, dryRun: true };
const MB = 1024 * 1024;

const engine = memoryEngine();

/*
 * ds.r, partitioned by day on ts. Per row, by hand:
 *              id  ts  name                 ok  amount  payload          tags                 loc
 * 1 2024-01-01  8   8  'a'      2+1 = 3      1   16      '{"k":1}' = 7    ['x','yz'] 3+4 = 7   (1.5,'p') 8+3 = 11
 * 2 2024-01-02  8   8  'héllo'  2+6 = 8      0   0       NULL = 0         [] = 0               NULL = 0
 * 3 2024-01-03  8   8  NULL     0            1   16      '[1,2]' = 5      ['abc'] 2+3 = 5      (NULL,'qq') 0+4 = 4
 * 4 2024-01-03  8   8  'b'      2+1 = 3      0   0       NULL = 0         NULL = 0             NULL = 0
 * (row 3 is at 23:59:59.5, row 4 at 00:00: both in the 2024-01-03 partition)
 */
const ROW = [
  { id: 8, ts: 8, name: 3, ok: 1, amount: 16, payload: 7, tags: 7, loc: 11 },
  { id: 8, ts: 8, name: 8, ok: 0, amount: 0, payload: 0, tags: 0, loc: 0 },
  { id: 8, ts: 8, name: 0, ok: 1, amount: 16, payload: 5, tags: 5, loc: 4 },
  { id: 8, ts: 8, name: 3, ok: 0, amount: 0, payload: 0, tags: 0, loc: 0 },
];
type Column = keyof (typeof ROW)[number];
const sum = (rows: number[], cols: Column[]) => rows.reduce((t, r) => t + cols.reduce((u, c) => u + ROW[r]![c], 0), 0);
const ALL: Column[] = ['id', 'ts', 'name', 'ok', 'amount', 'payload', 'tags', 'loc'];

beforeAll(async () => {
  await engine().createDataset({ datasetReference: { projectId: P, datasetId: 'ds' } });
  await engine().query(`create table ds.r (id INT64, ts TIMESTAMP, name STRING, ok BOOL, amount NUMERIC, payload JSON,
    tags ARRAY<STRING>, loc STRUCT<lat FLOAT64, label STRING>) partition by date(ts)`, opts);
  await engine().query(`insert into ds.r values
    (1, timestamp '2024-01-01 10:00:00+00', 'a', true, 1.5, json '{"k":1}', ['x', 'yz'], struct(1.5, 'p')),
    (2, timestamp '2024-01-02 10:00:00+00', 'héllo', null, null, null, [], null),
    (3, timestamp '2024-01-03 23:59:59.5+00', null, false, 2, json '[1,2]', ['abc'], struct(cast(null as float64), 'qq')),
    (4, timestamp '2024-01-03 00:00:00+00', 'b', null, null, null, null, null)`, opts);
  await engine().query('create table ds.small (id INT64, label STRING)', opts);
  await engine().query("insert into ds.small values (1, 'one'), (3, 'three')", opts);
  await engine().query('create table ds.empty (id INT64)', opts);
}, 60_000);

const processed = async (sql: string, o: QueryOptions = opts) => (await engine().query(sql, o)).totalBytesProcessed;

describe('sizes per type', () => {
  test('each column is charged its documented size, NULLs nothing', async () => {
    for (const c of ALL) expect({ c, bytes: await processed(`select ${c} from ds.r`) }).toEqual({ c, bytes: sum([0, 1, 2, 3], [c]) });
  });

  test('SELECT * charges every column; only referenced columns otherwise, wherever they appear', async () => {
    expect(await processed('select * from ds.r')).toBe(sum([0, 1, 2, 3], ALL));
    expect(await processed('select id from ds.r where name is not null order by amount')).toBe(sum([0, 1, 2, 3], ['id', 'name', 'amount']));
    expect(await processed('with x as (select id from ds.r) select * from (select * from x)')).toBe(sum([0, 1, 2, 3], ['id']));
    expect(await processed('select r.* from ds.r r join ds.small s on r.id = s.id')).toBe(sum([0, 1, 2, 3], ALL) + 8 * 2);
  });

  test('a table\'s numBytes is the sum of all its columns', async () => {
    const t = await engine().getTable({ projectId: P, datasetId: 'ds', tableId: 'r' });
    expect(Number(t.numBytes)).toBe(sum([0, 1, 2, 3], ALL));
  });
});

describe('partition pruning', () => {
  const idTs = (rows: number[]) => sum(rows, ['id', 'ts']);

  test('comparisons with constants keep only the partitions that can match, each counted whole', async () => {
    expect(await processed("select id from ds.r where ts >= timestamp '2024-01-03'")).toBe(idTs([2, 3]));
    // 2024-01-02 holds instants after 23:00 (none of its rows do): the partition is read all the same
    expect(await processed("select id from ds.r where ts > timestamp '2024-01-02 23:00:00'")).toBe(idTs([1, 2, 3]));
    expect(await processed("select id from ds.r where ts < timestamp '2024-01-02'")).toBe(idTs([0]));
    expect(await processed("select id from ds.r where ts = timestamp '2024-01-03 12:00:00'")).toBe(idTs([2, 3]));
    expect(await processed("select id from ds.r where timestamp '2024-01-02' <= ts and id > 0")).toBe(idTs([1, 2, 3]));
    expect(await processed("select id from ds.r where ts between timestamp '2024-01-01 12:00:00' and timestamp '2024-01-02'")).toBe(idTs([0, 1]));
    expect(await processed("select id from ds.r where ts in (timestamp '2024-01-01 01:00:00', timestamp '2024-01-03 01:00:00')")).toBe(idTs([0, 2, 3]));
    expect(await processed("select id from ds.r where ts >= timestamp_sub(timestamp '2024-01-04', interval 1 day)")).toBe(idTs([2, 3]));
    expect(await processed("select id from ds.r where ts >= '2024-01-03'")).toBe(idTs([2, 3]));
  });

  test('query parameters and script variables prune like constants', async () => {
    const since = { name: 'since', parameterType: { type: 'TIMESTAMP' }, parameterValue: { value: '2024-01-02 00:00:00+00' } };
    expect(await processed('select id from ds.r where ts >= @since', { ...opts, parameterMode: 'NAMED', queryParameters: [since] })).toBe(idTs([1, 2, 3]));
    const positional = { parameterType: { type: 'TIMESTAMP' }, parameterValue: { value: '2024-01-03 00:00:00+00' } };
    expect(await processed('select id from ds.r where id > ? and ts >= ?', {
      ...opts, parameterMode: 'POSITIONAL', queryParameters: [{ parameterType: { type: 'INT64' }, parameterValue: { value: '0' } }, positional],
    })).toBe(idTs([2, 3]));
    expect(await processed("declare since timestamp default timestamp '2024-01-03'; select id from ds.r where ts >= since")).toBe(idTs([2, 3]));
  });

  test('a filter inside a CTE or a derived table prunes that read; an outer filter on a derived table too', async () => {
    expect(await processed("with recent as (select id from ds.r where ts >= timestamp '2024-01-03') select count(*) from recent")).toBe(idTs([2, 3]));
    expect(await processed("select id from (select id, ts from ds.r) d where d.ts >= timestamp '2024-01-03'")).toBe(idTs([2, 3]));
  });

  test('no pruning through a function of the column, a subquery, another column or an OR', async () => {
    const all = idTs([0, 1, 2, 3]);
    expect(await processed("select id from ds.r where date(ts) = '2024-01-03'")).toBe(all);
    expect(await processed('select id from ds.r where ts >= (select max(ts) from ds.r)')).toBe(all);
    expect(await processed("select id from ds.r where ts >= timestamp '2024-01-03' or id = 1")).toBe(all);
    expect(await processed('select a.id from ds.r a join ds.r b on a.id = b.id where a.ts >= b.ts')).toBe(all);
  });

  test('month partitions of a DATE column: a partition is kept whole when any of its days can match', async () => {
    await engine().query('create table ds.monthly (id INT64, d DATE) partition by date_trunc(d, month)', opts);
    await engine().query("insert into ds.monthly values (1, date '2024-01-20'), (2, date '2024-02-01'), (3, date '2024-02-10'), (4, date '2024-03-05'), (5, null)", opts);
    // February (2 rows) and March (1 row) are kept: 16 bytes a row for id and d
    expect(await processed("select id from ds.monthly where d >= '2024-02-15'")).toBe(3 * 16);
    expect(await processed("select id from ds.monthly where d < date '2024-02-01'")).toBe(1 * 16);
    // the NULL partition: id 8 and a NULL d 0
    expect(await processed('select id from ds.monthly where d is null')).toBe(8);
  });

  test('a write to the table changes what its kept partitions count (nothing stale from before it)', async () => {
    await engine().query('create table ds.grow (id INT64, ts TIMESTAMP) partition by date(ts)', opts);
    await engine().query("insert into ds.grow values (1, timestamp '2024-02-01 01:00:00+00'), (2, timestamp '2024-02-02 01:00:00+00')", opts);
    const recent = "select id from ds.grow where ts >= timestamp '2024-02-02'";
    expect(await processed(recent)).toBe(16);
    await engine().query("insert into ds.grow values (3, timestamp '2024-02-02 02:00:00+00'), (4, timestamp '2024-01-31 02:00:00+00')", opts);
    expect(await processed(recent)).toBe(32);
    await engine().query("delete from ds.grow where ts >= timestamp '2024-02-02' and id = 2", opts);
    expect(await processed(recent)).toBe(16);
  });

  test('a filter on another table\'s column of the same name does not prune this one', async () => {
    await engine().query('create table ds.other (id INT64, ts TIMESTAMP) partition by date(ts)', opts);
    const bytes = await processed("select r.id from ds.r r join ds.other o on r.id = o.id where o.ts >= timestamp '2024-01-03'");
    // every row of ds.r, and only its id: o.ts names the other table's column (ds.other is empty)
    expect(bytes).toBe(sum([0, 1, 2, 3], ['id']));
  });
});

describe('views', () => {
  test('a view is billed as the columns its query reads of its tables, over the partitions its own filter keeps', async () => {
    await engine().query("create view ds.recent as select id, name from ds.r where ts >= timestamp '2024-01-03'", opts);
    const r = await engine().query('select id from ds.recent', opts);
    expect({ processed: r.totalBytesProcessed, billed: r.totalBytesBilled }).toEqual({ processed: sum([2, 3], ['id', 'name', 'ts']), billed: 10 * MB });
    await engine().query('create view ds.recent2 as select * from ds.recent', opts);
    expect(await processed('select count(*) from ds.recent2')).toBe(sum([2, 3], ['id', 'name', 'ts']));
  });
});

describe('DML (q + t) and billing', () => {
  test('INSERT is charged its query only; UPDATE and DELETE add every column of the kept partitions', async () => {
    expect(await processed('insert into ds.r (id, ts) select id, current_timestamp() from ds.small', dry)).toBe(8 * 2);
    const kept = [2, 3];
    expect(await processed("update ds.r set name = 'z' where ts >= timestamp '2024-01-03'", dry)).toBe(sum(kept, ['name', 'ts']) + sum(kept, ALL));
    expect(await processed("delete from ds.r where ts >= timestamp '2024-01-03' and id = 4", dry)).toBe(sum(kept, ['ts', 'id']) + sum(kept, ALL));
  });

  test('a MERGE with an UPDATE clause adds the target\'s partitions its ON condition keeps; INSERT-only adds nothing', async () => {
    const source = 8 * 2 + (2 + 3) + (2 + 5); // ds.small: id and label
    const merge = (then: string) => `merge ds.r t using ds.small s on t.id = s.id and t.ts >= timestamp '2024-01-03'
      when matched then ${then} when not matched then insert (id, name, ts) values (s.id, s.label, current_timestamp())`;
    const targetRead = sum([2, 3], ['id', 'name', 'ts']);
    expect(await processed(merge('update set name = s.label'), dry)).toBe(source + targetRead + sum([2, 3], ALL));
    const insertOnly = `merge ds.r t using ds.small s on t.id = s.id and t.ts >= timestamp '2024-01-03'
      when not matched then insert (id, name, ts) values (s.id, s.label, current_timestamp())`;
    expect(await processed(insertOnly, dry)).toBe(source + targetRead);
  });

  test('billed: each table read at least 10 MB, an empty table nothing; a script sums its statements', async () => {
    expect((await engine().query('select id from ds.r', opts)).totalBytesBilled).toBe(10 * MB);
    expect((await engine().query('select r.id from ds.r r join ds.small s on r.id = s.id', opts)).totalBytesBilled).toBe(20 * MB);
    expect((await engine().query('select id from ds.empty', opts)).totalBytesBilled).toBe(0);
    expect((await engine().query('select 1', opts)).totalBytesBilled).toBe(0);
    const script = await engine().query('select id from ds.r; select id from ds.small', opts);
    expect({ processed: script.totalBytesProcessed, billed: script.totalBytesBilled }).toEqual({ processed: 32 + 16, billed: 20 * MB });
    // a DECLARE or SET that reads a table is a statement of the script, billed like one
    const declared = await engine().query("declare m timestamp default (select max(ts) from ds.r where ts >= timestamp '2024-01-03'); set m = (select max(ts) from ds.r); select m", opts);
    expect({ processed: declared.totalBytesProcessed, billed: declared.totalBytesBilled }).toEqual({ processed: sum([2, 3], ['ts']) + sum([0, 1, 2, 3], ['ts']), billed: 20 * MB });
  });
});
