/** Engine behaviour straight through the Engine interface (the HTTP layer is tested by the server's own tests). */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createEngine } from '../../../packages/embedded-bigquery/src/engine/index.js';
import type { Engine, QueryOptions, Row } from '../../../packages/embedded-bigquery/src/engine/types.js';

const P = 'landform-local';
const opts: QueryOptions = { projectId: P };
const ref = (tableId: string) => ({ projectId: P, datasetId: 'ds', tableId });
const values = (rows: Row[]) => rows.map((r) => r.f.map((c) => c.v));

let engine: Engine;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'engine-test-'));
  engine = await createEngine({ dataPath: dir });
  await engine.createDataset({ datasetReference: { projectId: P, datasetId: 'ds' } });
});

afterAll(async () => {
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('paths', () => {
  test('every backtick form and dataset-relative names resolve to the same table', async () => {
    await engine.query('create table ds.paths (x INT64)', opts);
    await engine.query('insert into `landform-local.ds.paths` values (1)', opts);
    for (const p of ['`landform-local.ds.paths`', '`landform-local`.`ds`.`paths`', '`landform-local.ds`.paths', 'ds.paths', '`ds.paths`']) {
      const r = await engine.query(`select x from ${p}`, opts);
      expect(values(r.rows)).toEqual([['1']]);
    }
    const r = await engine.query('select x from paths', { projectId: P, defaultDataset: { projectId: P, datasetId: 'ds' } });
    expect(values(r.rows)).toEqual([['1']]);
  });
});

describe('scripts', () => {
  test('DECLARE, SET, @@query_label and statementType SCRIPT', async () => {
    const r = await engine.query("declare n int64 default 2; set n = n * 10; set @@query_label = 'k:v'; select n + 1 as y", opts);
    expect(r.statementType).toBe('SCRIPT');
    expect(values(r.rows)).toEqual([['21']]);
    expect(r.schema.fields[0]).toMatchObject({ name: 'y', type: 'INTEGER' });
  });

  test('semicolons inside strings and comments do not split statements', async () => {
    const r = await engine.query("select 'a;b' as s -- trailing; comment\n; /* ; */ select 'c;' as s", opts);
    expect(values(r.rows)).toEqual([['c;']]);
    expect(r.statementCount).toBe(2);
  });

  test('ROLLBACK TRANSACTION undoes the writes, COMMIT keeps them', async () => {
    await engine.query('create table ds.tx (x INT64)', opts);
    await engine.query('begin transaction; insert into ds.tx values (1); rollback transaction', opts);
    await engine.query('begin transaction; insert into ds.tx values (2); commit transaction', opts);
    expect(values((await engine.query('select x from ds.tx', opts)).rows)).toEqual([['2']]);
  });

  test('a failing statement rolls back the open transaction', async () => {
    await expect(engine.query('begin transaction; insert into ds.tx values (3); select 1 / 0; commit transaction', opts)).rejects.toThrow(/division by zero/);
    expect(values((await engine.query('select x from ds.tx order by x', opts)).rows)).toEqual([['2']]);
  });

  test('BEGIN ... END blocks run their statements; a bare BEGIN without END is a transaction', async () => {
    const r = await engine.query('declare x int64 default 1; begin set x = x + 1; begin set x = x * 10; end; end; select x', opts);
    expect(values(r.rows)).toEqual([['20']]);
    // an EXCEPTION handler runs when its block fails (scripting tests: script-procedures.test.ts)
    expect(values((await engine.query('begin select 1 / 0; exception when error then select 2; end', opts)).rows)).toEqual([['2']]);
  });

  test('IF ... THEN ... ELSE ... END IF', async () => {
    const r = await engine.query("declare x int64 default 5; if x > 3 then select 'big' as s; else select 'small' as s; end if", opts);
    expect(values(r.rows)).toEqual([['big']]);
  });
});

describe('DDL as Dataform emits it', () => {
  test('create or replace table with partition, cluster and options keeps metadata', async () => {
    await engine.query(
      "create or replace table `landform-local.ds.events` partition by date(ts) cluster by kind options(description='one row per event', labels=[('team', 'data')], partition_expiration_days=30) as select 1 as id, 'click' as kind, timestamp '2024-01-01 00:00:00+00' as ts",
      opts,
    );
    const t = await engine.getTable(ref('events'));
    expect(t.description).toBe('one row per event');
    expect(t.labels).toEqual({ team: 'data' });
    expect(t.timePartitioning).toMatchObject({ type: 'DAY', field: 'ts', expirationMs: String(30 * 86400000) });
    expect(t.clustering).toEqual({ fields: ['kind'] });
    expect(t.numRows).toBe('1');
    expect(t.schema?.fields.map((f) => [f.name, f.type])).toEqual([['id', 'INTEGER'], ['kind', 'STRING'], ['ts', 'TIMESTAMP']]);
  });

  test('create table if not exists with BigQuery column types maps them and back', async () => {
    await engine.query('create table if not exists ds.types (a INT64, b FLOAT64, c NUMERIC, d BIGNUMERIC, e BOOL, f STRING, g BYTES, h DATE, i DATETIME, j TIME, k TIMESTAMP, l JSON, m ARRAY<STRING>, n STRUCT<x INT64, y STRING>)', opts);
    await engine.query('create table if not exists ds.types (a INT64)', opts);
    const t = await engine.getTable(ref('types'));
    expect(t.schema?.fields.map((f) => `${f.name}:${f.type}:${f.mode}`)).toEqual([
      'a:INTEGER:NULLABLE', 'b:FLOAT:NULLABLE', 'c:NUMERIC:NULLABLE', 'd:BIGNUMERIC:NULLABLE', 'e:BOOLEAN:NULLABLE', 'f:STRING:NULLABLE', 'g:BYTES:NULLABLE',
      'h:DATE:NULLABLE', 'i:DATETIME:NULLABLE', 'j:TIME:NULLABLE', 'k:TIMESTAMP:NULLABLE', 'l:JSON:NULLABLE', 'm:STRING:REPEATED', 'n:RECORD:NULLABLE',
    ]);
  });

  test('views, drop if exists, INFORMATION_SCHEMA', async () => {
    await engine.query('create or replace view ds.v as select id from ds.events where ts is not null', opts);
    expect((await engine.getTable(ref('v'))).view?.query).toBe('select id from ds.events where ts is not null');
    const info = await engine.query("select table_name, table_type from ds.INFORMATION_SCHEMA.TABLES where table_name in ('v', 'events') order by table_name", opts);
    expect(values(info.rows)).toEqual([['events', 'BASE TABLE'], ['v', 'VIEW']]);
    const cols = await engine.query("select column_name, data_type from `landform-local.ds`.INFORMATION_SCHEMA.COLUMNS where table_name = 'types' and column_name in ('a', 'm', 'n') order by column_name", opts);
    expect(values(cols.rows)).toEqual([['a', 'INT64'], ['m', 'ARRAY<STRING>'], ['n', 'STRUCT<x INT64, y STRING>']]);
    await engine.query('drop view if exists ds.v; drop view if exists ds.v', opts);
    await expect(engine.getTable(ref('v'))).rejects.toMatchObject({ reason: 'notFound' });
  });
});

describe('DML', () => {
  test('MERGE as Dataform writes it, with numDmlAffectedRows', async () => {
    await engine.query("create or replace table ds.m as select 1 as k, 'a' as v union all select 2, 'b'", opts);
    const r = await engine.query(
      "merge `landform-local.ds.m` DATAFORM_DEST using (select 2 as k, 'B' as v union all select 3, 'c') DATAFORM_SOURCE on DATAFORM_DEST.k = DATAFORM_SOURCE.k when matched then update set DATAFORM_DEST.v = DATAFORM_SOURCE.v when not matched then insert (k, v) values (k, v)",
      opts,
    );
    expect(r.statementType).toBe('MERGE');
    expect(r.numDmlAffectedRows).toBe(2);
    expect(values((await engine.query('select k, v from ds.m order by k', opts)).rows)).toEqual([['1', 'a'], ['2', 'B'], ['3', 'c']]);
  });

  test('MERGE matching one target row with several source rows fails as BigQuery does', async () => {
    await expect(
      engine.query("merge ds.m T using (select 1 as k, 'x' as v union all select 1, 'y') S on T.k = S.k when matched then update set v = S.v", opts),
    ).rejects.toMatchObject({ reason: 'invalidQuery', message: 'UPDATE/MERGE must match at most one source row for each target row' });
  });

  test('UPDATE ... FROM joining a target row to two source rows fails as BigQuery does', async () => {
    await engine.query("create or replace table ds.u as select 1 as k, 'a' as v; create or replace table ds.us as select 1 as k, 'x' as v union all select 1, 'y'", opts);
    await expect(engine.query('update ds.u set v = us.v from ds.us where u.k = us.k', opts)).rejects.toMatchObject({ message: 'UPDATE/MERGE must match at most one source row for each target row' });
    expect((await engine.query("update ds.u t set v = s.v from ds.us s where t.k = s.k and s.v = 'y'", opts)).numDmlAffectedRows).toBe(1);
  });

  test('UPDATE and DELETE report affected rows and need WHERE', async () => {
    expect((await engine.query("update ds.m set v = 'z' where k > 1", opts)).numDmlAffectedRows).toBe(2);
    expect((await engine.query('delete from ds.m where k = 3', opts)).numDmlAffectedRows).toBe(1);
    await expect(engine.query('delete from ds.m', opts)).rejects.toMatchObject({ reason: 'invalidQuery' });
  });
});

describe('query parameters', () => {
  test('named parameters of every scalar type and arrays are bound, not spliced', async () => {
    const r = await engine.query('select @i + 1, @f, @s, @b, @d, @dt, @ts, @bytes, @arr, @n', {
      projectId: P,
      parameterMode: 'NAMED',
      queryParameters: [
        { name: 'i', parameterType: { type: 'INT64' }, parameterValue: { value: '41' } },
        { name: 'f', parameterType: { type: 'FLOAT64' }, parameterValue: { value: '1.5' } },
        { name: 's', parameterType: { type: 'STRING' }, parameterValue: { value: "it's; drop table ds.m" } },
        { name: 'b', parameterType: { type: 'BOOL' }, parameterValue: { value: 'true' } },
        { name: 'd', parameterType: { type: 'DATE' }, parameterValue: { value: '2024-01-31' } },
        { name: 'dt', parameterType: { type: 'DATETIME' }, parameterValue: { value: '2024-01-31 12:00:00' } },
        { name: 'ts', parameterType: { type: 'TIMESTAMP' }, parameterValue: { value: '2024-01-31 00:00:00+00' } },
        { name: 'bytes', parameterType: { type: 'BYTES' }, parameterValue: { value: 'YWJj' } },
        { name: 'arr', parameterType: { type: 'ARRAY', arrayType: { type: 'INT64' } }, parameterValue: { arrayValues: [{ value: '1' }, { value: '2' }] } },
        { name: 'n', parameterType: { type: 'STRING' }, parameterValue: { value: null } },
      ],
      useInt64Timestamp: true,
    });
    expect(values(r.rows)).toEqual([['42', '1.5', "it's; drop table ds.m", 'true', '2024-01-31', '2024-01-31T12:00:00', '1706659200000000', 'YWJj', [{ v: '1' }, { v: '2' }], null]]);
  });

  test('STRUCT parameters bind each field', async () => {
    const r = await engine.query('select @s.a + 1, @s.b', {
      projectId: P,
      queryParameters: [
        {
          name: 's',
          parameterType: { type: 'STRUCT', structTypes: [{ name: 'a', type: { type: 'INT64' } }, { name: 'b', type: { type: 'STRING' } }] },
          parameterValue: { structValues: { a: { value: '41' }, b: { value: "x'y" } } },
        },
      ],
    });
    expect(values(r.rows)).toEqual([['42', "x'y"]]);
  });

  test('positional parameters', async () => {
    const r = await engine.query('select ? * 2, ?', {
      projectId: P,
      parameterMode: 'POSITIONAL',
      queryParameters: [
        { parameterType: { type: 'INT64' }, parameterValue: { value: '4' } },
        { parameterType: { type: 'STRING' }, parameterValue: { value: 'x' } },
      ],
    });
    expect(values(r.rows)).toEqual([['8', 'x']]);
  });
});

describe('require_partition_filter', () => {
  beforeAll(async () => {
    await engine.query(
      "create or replace table ds.pf partition by date(ts) options(require_partition_filter=true) as select 1 as k, timestamp '2024-01-01 00:00:00+00' as ts",
      opts,
    );
  });

  test('a SELECT without a partition filter fails with BigQuery message', async () => {
    await expect(engine.query('select count(*) from ds.pf', opts)).rejects.toMatchObject({
      reason: 'invalidQuery',
      message: "Cannot query over table 'landform-local.ds.pf' without a filter over column(s) 'ts' that can be used for partition elimination",
    });
    const r = await engine.query("select count(*) from ds.pf where ts >= timestamp '2023-01-01'", opts);
    expect(values(r.rows)).toEqual([['1']]);
  });

  test('a MERGE target is exempt when ON filters the partition column; its source is not', async () => {
    const merge = "merge ds.pf T using (select 1 as k, timestamp '2024-01-01 00:00:00+00' as ts) S on T.k = S.k and T.ts > timestamp '2023-01-01' when matched then update set k = S.k";
    expect((await engine.query(merge, opts)).numDmlAffectedRows).toBe(1);
    await expect(engine.query('merge ds.pf T using (select 1 as k) S on T.k = S.k when matched then delete', opts)).rejects.toMatchObject({ reason: 'invalidQuery' });
    await expect(engine.query('insert into ds.pf select * from ds.pf', opts)).rejects.toMatchObject({ reason: 'invalidQuery' });
  });
});

describe('encoding', () => {
  test('each type is encoded as BigQuery sends it, schema names as BigQuery names them', async () => {
    const r = await engine.query(
      "select 1 as i, 2.5 as f, numeric '1.50' as n, true as b, 'x' as s, b'abc' as by, date '2024-01-31' as d, datetime '2024-01-31 12:00:00' as dt, time '12:00:00' as t, timestamp '2024-01-31 00:00:00.5+00' as ts, json '{\"a\":1}' as j, [1, 2] as a, struct(1 as x, 'y' as y) as r",
      opts,
    );
    expect(r.schema.fields.map((f) => `${f.type}${f.mode === 'REPEATED' ? '[]' : ''}`)).toEqual(['INTEGER', 'FLOAT', 'NUMERIC', 'BOOLEAN', 'STRING', 'BYTES', 'DATE', 'DATETIME', 'TIME', 'TIMESTAMP', 'JSON', 'INTEGER[]', 'RECORD']);
    expect(values(r.rows)).toEqual([['1', '2.5', '1.5', 'true', 'x', 'YWJj', '2024-01-31', '2024-01-31T12:00:00', '12:00:00', '1.7066592005E9', '{"a":1}', [{ v: '1' }, { v: '2' }], { f: [{ v: '1' }, { v: 'y' }] }]]);
  });

  test('insertRows then readRows round-trips every type', async () => {
    await engine.createTable({
      tableReference: ref('rt'),
      schema: { fields: [
        { name: 'i', type: 'INTEGER', mode: 'REQUIRED' }, { name: 'ts', type: 'TIMESTAMP' }, { name: 'by', type: 'BYTES' },
        { name: 'tags', type: 'STRING', mode: 'REPEATED' }, { name: 'rec', type: 'RECORD', fields: [{ name: 'a', type: 'DATE' }] },
      ] },
    });
    const errors = await engine.insertRows(ref('rt'), [{ i: 1, ts: '2024-01-31T00:00:00Z', by: 'YWJj', tags: ['p', 'q'], rec: { a: '2024-02-01' } }, { i: 'nope' }], { skipInvalidRows: true });
    expect(errors.map((e) => e.index)).toEqual([1]);
    const out = await engine.readRows(ref('rt'), { useInt64Timestamp: true });
    expect(out.totalRows).toBe(1);
    expect(values(out.rows)).toEqual([['1', '1706659200000000', 'YWJj', [{ v: 'p' }, { v: 'q' }], { f: [{ v: '2024-02-01' }] }]]);
  });
});

describe('loads and persistence', () => {
  test('NDJSON and CSV loads with dispositions and bad records', async () => {
    const nd = path.join(dir, 'a.ndjson');
    writeFileSync(nd, '{"k": 1, "ts": "2024-01-01 00:00:00 UTC"}\n{"k": 2, "ts": 1704067200}\n');
    const schema = { fields: [{ name: 'k', type: 'INTEGER' as const }, { name: 'ts', type: 'TIMESTAMP' as const }] };
    expect(await engine.loadFile(ref('ld'), nd, { sourceFormat: 'NEWLINE_DELIMITED_JSON', schema })).toMatchObject({ outputRows: 2, badRecords: 0 });
    await engine.loadFile(ref('ld'), nd, { sourceFormat: 'NEWLINE_DELIMITED_JSON', writeDisposition: 'WRITE_TRUNCATE' });
    expect((await engine.getTable(ref('ld'))).numRows).toBe('2');
    await expect(engine.loadFile(ref('ld'), nd, { sourceFormat: 'NEWLINE_DELIMITED_JSON', writeDisposition: 'WRITE_EMPTY' })).rejects.toMatchObject({ reason: 'duplicate' });
    const csv = path.join(dir, 'a.csv');
    writeFileSync(csv, 'k,name\n1,a\nnot-a-number,b\n3,c\n');
    const csvSchema = { fields: [{ name: 'k', type: 'INTEGER' as const }, { name: 'name', type: 'STRING' as const }] };
    await expect(engine.loadFile(ref('csv'), csv, { sourceFormat: 'CSV', skipLeadingRows: 1, schema: csvSchema })).rejects.toThrow();
    expect(await engine.loadFile(ref('csv'), csv, { sourceFormat: 'CSV', skipLeadingRows: 1, schema: csvSchema, maxBadRecords: 1 })).toMatchObject({ outputRows: 2, badRecords: 1 });
  });

  test('a restart on the same directory keeps tables and metadata', async () => {
    await engine.patchTable(ref('events'), { schema: { fields: [{ name: 'id', type: 'INTEGER', description: 'event id' }, { name: 'kind', type: 'STRING' }, { name: 'ts', type: 'TIMESTAMP' }] } });
    await engine.close();
    engine = await createEngine({ dataPath: dir });
    const t = await engine.getTable(ref('events'));
    expect(t.description).toBe('one row per event');
    expect(t.schema?.fields[0]?.description).toBe('event id');
    expect(t.clustering).toEqual({ fields: ['kind'] });
    expect(values((await engine.query('select kind from ds.events', opts)).rows)).toEqual([['click']]);
    expect((await engine.listDatasets(P)).map((d) => d.datasetReference.datasetId)).toEqual(['ds']);
  });

  test('concurrent queries and writes do not corrupt state', async () => {
    await engine.query('create or replace table ds.c (x INT64)', opts);
    await Promise.all(Array.from({ length: 20 }, (_, i) => engine.query(`insert into ds.c values (${i})`, opts)));
    expect(values((await engine.query('select count(*), sum(x) from ds.c', opts)).rows)).toEqual([['20', '190']]);
  });

  test('totalBytesProcessed counts only the referenced columns', async () => {
    await engine.query("create or replace table ds.bytes as select 1 as a, 'abc' as s", opts);
    expect((await engine.query('select a from ds.bytes', opts)).totalBytesProcessed).toBe(8);
    expect((await engine.query('select s from ds.bytes', opts)).totalBytesProcessed).toBe(5);
    expect((await engine.query('select * from ds.bytes', opts)).totalBytesProcessed).toBe(13);
  });
});

describe('more statements', () => {
  test('PARQUET load, copyTable and dry runs', async () => {
    const pq = path.join(dir, 'p.parquet');
    // an independent writer: a second DuckDB database writes the file
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const other = await DuckDBInstance.create(':memory:');
    const c = await other.connect();
    await c.run(`COPY (SELECT 1::BIGINT AS k, 'a' AS s UNION ALL SELECT 2, 'b') TO '${pq.replace(/'/g, "''")}' (FORMAT parquet)`);
    c.closeSync();
    other.closeSync();
    expect(await engine.loadFile(ref('pq'), pq, { sourceFormat: 'PARQUET' })).toMatchObject({ outputRows: 2 });
    expect(await engine.copyTable([ref('pq'), ref('pq')], ref('pq_copy'), { writeDisposition: 'WRITE_TRUNCATE' })).toEqual({ copiedRows: 4 });
    expect((await engine.getTable(ref('pq_copy'))).numRows).toBe('4');
    const dry = await engine.query('insert into ds.pq_copy select * from ds.pq', { ...opts, dryRun: true });
    expect(dry.statementType).toBe('INSERT');
    expect((await engine.getTable(ref('pq_copy'))).numRows).toBe('4');
  });

  test('SAFE. turns errors into NULL; temp functions live for one script', async () => {
    const r = await engine.query("create temp function plus(x INT64, y INT64) as (x + y); select plus(1, 2), safe.div(1, 0), safe.substr('abc', 1, -1)", opts);
    expect(values(r.rows)).toEqual([['3', null, null]]);
    await expect(engine.query('select plus(1, 2)', opts)).rejects.toMatchObject({ reason: 'invalidQuery' });
  });

  test('constructs the engine cannot honour fail with invalidQuery naming them', async () => {
    for (const sql of ['select st_geogpoint(1, 2)', 'select * from ml.predict(model m, (select 1))', '#legacySQL\nselect 1']) {
      await expect(engine.query(sql, opts)).rejects.toMatchObject({ reason: 'invalidQuery', message: expect.stringMatching(/not supported|not found/i) });
    }
  });
});
