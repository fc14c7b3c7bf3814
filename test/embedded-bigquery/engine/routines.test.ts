/**
 * Persistent SQL functions and table functions: kept in the catalog (across jobs and restarts),
 * resolved through it in expressions and FROM, listed by INFORMATION_SCHEMA.ROUTINES. Expected
 * values are hand-computed from the function bodies.
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

let engine: Engine;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'engine-routines-'));
  engine = await createEngine({ dataPath: dir });
  await engine.createDataset({ datasetReference: { projectId: P, datasetId: 'fn' } });
  await engine.query("create table fn.items (id int64, price int64); insert into fn.items values (1, 10), (2, 25), (3, 40)", opts);
});

afterAll(async () => {
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SQL functions', () => {
  test('CREATE FUNCTION persists; every path spelling calls it; one function may call another', async () => {
    const r = await engine.query('create function fn.add_tax(cents int64) returns int64 as (cents + div(cents, 10))', opts);
    expect(r.statementType).toBe('CREATE_FUNCTION');
    await engine.query('create or replace function fn.doubled_tax(cents int64) as (2 * fn.add_tax(cents))', opts);
    // 25 + div(25, 10) = 27; 2 * 27 = 54
    expect(await one('select fn.add_tax(25), `landform-local.fn.add_tax`(25), `landform-local.fn`.add_tax(25), fn.doubled_tax(25)')).toEqual([['27', '27', '27', '54']]);
    expect(await one('select id, fn.add_tax(price) from fn.items where fn.add_tax(price) > 20 order by id')).toEqual([['2', '27'], ['3', '44']]);
    await expect(engine.query('create function fn.add_tax(x int64) as (x)', opts)).rejects.toMatchObject({ reason: 'duplicate' });
  });

  test('a JavaScript function persists and is called through the catalog like a SQL one (sandbox: js-udf.test.ts)', async () => {
    await engine.query(`create function fn.js_tax(cents float64) returns float64 language js as "return cents + Math.floor(cents / 10)"`, opts);
    // 25 + floor(2.5) = 27; 27 + floor(2.7) = 29
    expect(await one('select fn.js_tax(25), fn.js_tax(fn.js_tax(25))')).toEqual([['27', '29']]);
    expect(await one("select routine_type, routine_body, data_type from fn.INFORMATION_SCHEMA.ROUTINES where routine_name = 'js_tax'")).toEqual([['FUNCTION', 'EXTERNAL', 'FLOAT64']]);
    await expect(engine.query(`create function fn.js_bad(x float64) returns float64 language js as "return (x"`, opts)).rejects.toMatchObject({ message: expect.stringMatching(/^SyntaxError: /) });
  });

  test('a body is translated like client text: DuckDB functions are not reachable through it', async () => {
    await expect(engine.query("create function fn.leak() as ((select content from read_text('/etc/hostname')))", opts)).rejects.toMatchObject({ reason: 'invalidQuery' });
    await expect(engine.query("create table function fn.leak_t() as select * from read_text('/etc/hostname')", opts)).rejects.toMatchObject({ reason: 'invalidQuery' });
    await expect(engine.query('select fn.leak()', opts)).rejects.toMatchObject({ reason: 'invalidQuery' });
  });
});

describe('table functions', () => {
  test('CREATE TABLE FUNCTION is called in FROM, joined, and composed', async () => {
    const r = await engine.query('create table function fn.pricier_than(floor int64) as (select id, price from fn.items where price > floor)', opts);
    expect(r.statementType).toBe('CREATE_TABLE_FUNCTION');
    expect(await one('select id from fn.pricier_than(20) order by id')).toEqual([['2'], ['3']]);
    expect(await one('select p.id, i.price from fn.pricier_than(30) as p join fn.items as i on i.id = p.id')).toEqual([['3', '40']]);
    await engine.query('create table function fn.top_one(floor int64) as select * from fn.pricier_than(floor) order by price desc limit 1', opts);
    expect(await one('select id, price from fn.top_one(0)')).toEqual([['3', '40']]);
  });

  test('only catalog table functions may be called in FROM', async () => {
    await expect(engine.query('select * from fn.add_tax(1)', opts)).rejects.toMatchObject({ reason: 'invalidQuery' });
    await expect(engine.query('select * from fn.missing(1)', opts)).rejects.toMatchObject({ reason: 'invalidQuery' });
  });
});

describe('catalog', () => {
  test('INFORMATION_SCHEMA.ROUTINES lists functions, table functions and procedures', async () => {
    await engine.query('create or replace procedure fn.noop() begin select 1; end', opts);
    expect(await one("select routine_name, routine_type from fn.INFORMATION_SCHEMA.ROUTINES where routine_name in ('add_tax', 'pricier_than', 'noop') order by routine_name")).toEqual([
      ['add_tax', 'FUNCTION'],
      ['noop', 'PROCEDURE'],
      ['pricier_than', 'TABLE FUNCTION'],
    ]);
  });

  test('INFORMATION_SCHEMA.PARAMETERS: one row per argument, row 0 for the declared return type; modes for procedures only', async () => {
    await engine.query('create or replace procedure fn.io(inout total numeric, out label string) begin set label = cast(total as string); end', opts);
    expect(await one("select specific_name, ordinal_position, parameter_mode, is_result, parameter_name, data_type from fn.INFORMATION_SCHEMA.PARAMETERS where specific_name in ('add_tax', 'io') order by specific_name, ordinal_position")).toEqual([
      ['add_tax', '0', null, 'YES', null, 'INT64'],
      ['add_tax', '1', null, 'NO', 'cents', 'INT64'],
      ['io', '1', 'INOUT', 'NO', 'total', 'NUMERIC'],
      ['io', '2', 'OUT', 'NO', 'label', 'STRING'],
    ]);
  });

  test('ROUTINES.data_type: the declared return type, or the one BigQuery would infer from the body', async () => {
    await engine.query("create or replace function fn.greet(name string) as (concat('hi ', name)); create or replace function fn.half(x int64) as (x / 2)", opts);
    expect(await one("select routine_name, data_type from fn.INFORMATION_SCHEMA.ROUTINES where routine_name in ('add_tax', 'greet', 'half') order by 1")).toEqual([
      ['add_tax', 'INT64'],
      ['greet', 'STRING'],
      ['half', 'FLOAT64'],
    ]);
  });

  test('procedures in other languages fail loudly', async () => {
    await expect(engine.query("create procedure fn.spark() with connection `landform-local.us.spark` options (engine = 'SPARK') language python as r'print(1)'", opts)).rejects.toMatchObject({
      reason: 'invalidQuery',
      message: expect.stringMatching(/not supported by the embedded BigQuery/),
    });
  });

  test('templated arguments (ANY TYPE) fail loudly', async () => {
    await expect(engine.query('create function fn.any_f(x any type) as (x)', opts)).rejects.toMatchObject({ reason: 'invalidQuery', message: expect.stringMatching(/not supported by the embedded BigQuery/) });
  });

  test('routines survive a restart; DROP FUNCTION and DROP TABLE FUNCTION remove them', async () => {
    await engine.close();
    engine = await createEngine({ dataPath: dir });
    expect(await one('select fn.add_tax(100), (select count(*) from fn.pricier_than(0))')).toEqual([['110', '3']]);
    await engine.query('drop function fn.doubled_tax', opts);
    await engine.query('drop table function fn.top_one', opts);
    await expect(engine.query('select fn.doubled_tax(1)', opts)).rejects.toMatchObject({ reason: 'invalidQuery' });
    await expect(engine.query('select * from fn.top_one(1)', opts)).rejects.toMatchObject({ reason: 'invalidQuery' });
    await expect(engine.query('drop function fn.doubled_tax', opts)).rejects.toMatchObject({ reason: 'notFound' });
    await engine.query('drop function if exists fn.doubled_tax', opts);
  });

  test('a function whose callee was dropped can still be replaced or dropped', async () => {
    await engine.query('create function fn.inner_f(x int64) as (x + 1); create function fn.outer_f(x int64) as (fn.inner_f(x) * 10)', opts);
    expect(await one('select fn.outer_f(1)')).toEqual([['20']]);
    await engine.query('drop function fn.inner_f', opts);
    await expect(engine.query('select fn.outer_f(1)', opts)).rejects.toMatchObject({ reason: 'invalidQuery' });
    await engine.query('create or replace function fn.outer_f(x int64) as (x * 10)', opts);
    expect(await one('select fn.outer_f(1)')).toEqual([['10']]);
    await engine.query('drop function if exists fn.outer_f', opts);
  });
});
