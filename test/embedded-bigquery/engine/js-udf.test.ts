/**
 * JavaScript UDFs (CREATE TEMP FUNCTION ... LANGUAGE js): results and BigQuery's JavaScript type
 * mapping, and the sandbox (QuickJS in WebAssembly) refusing the host: no require, process, fetch
 * or import; a loop stopped by the time limit, an allocation stopped by the memory limit. Expected
 * values are worked out by hand from the function bodies (the first from the GoogleSQL reference's
 * MultiplyInputs example).
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
const rows = async (sql: string) => values((await engine.query(sql, opts)).rows);

let engine: Engine;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'engine-js-udf-'));
  engine = await createEngine({ dataPath: dir });
});

afterAll(async () => {
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('JavaScript UDF results', () => {
  test("the reference's MultiplyInputs example", async () => {
    const sql = `CREATE TEMP FUNCTION MultiplyInputs(x FLOAT64, y FLOAT64)
RETURNS FLOAT64
LANGUAGE js AS r"""
  return x*y;
""";
WITH numbers AS
  (SELECT 1 AS x, 5 as y
  UNION ALL
  SELECT 2 AS x, 10 as y
  UNION ALL
  SELECT 3 as x, 15 as y)
SELECT x, y, MultiplyInputs(x, y) as product
FROM numbers ORDER BY x;`;
    expect(await rows(sql)).toEqual([['1', '5', '5'], ['2', '10', '20'], ['3', '15', '45']]);
  });

  test('a STRUCT result: strings, INT64 from a Number, DATE and TIMESTAMP from Dates, an ARRAY', async () => {
    const r = await engine.query(
      `create temp function parts(s string)
       returns struct<up string, len int64, day date, at timestamp, letters array<string>>
       language js as r"""
         return { up: s.toUpperCase(), len: s.length, day: new Date(Date.UTC(2024, 0, 2)), at: new Date(1700000000123), letters: s.split('') };
       """;
       select parts('abc') as p`,
      opts,
    );
    expect(r.schema.fields[0]).toEqual({
      name: 'p', type: 'RECORD', mode: 'NULLABLE', fields: [
        { name: 'up', type: 'STRING', mode: 'NULLABLE' },
        { name: 'len', type: 'INTEGER', mode: 'NULLABLE' },
        { name: 'day', type: 'DATE', mode: 'NULLABLE' },
        { name: 'at', type: 'TIMESTAMP', mode: 'NULLABLE' },
        { name: 'letters', type: 'STRING', mode: 'REPEATED' },
      ],
    });
    expect(values(r.rows)[0]![0]).toEqual({ f: [{ v: 'ABC' }, { v: '3' }, { v: '2024-01-02' }, { v: '1.700000000123E9' }, { v: [{ v: 'a' }, { v: 'b' }, { v: 'c' }] }] });
  });

  test("arguments arrive as BigQuery's JavaScript values (NUMERIC as Number or String, BYTES base64, DATE/TIMESTAMP as Date, JSON parsed, NULL as null)", async () => {
    const sql = `create temp function show(n numeric, m numeric, b bytes, d date, t timestamp, j json, f array<float64>, s struct<x string, y float64>)
      returns string language js as r"""
        return [typeof n, n, typeof m, m, b, d instanceof Date, d.toISOString(), t.getTime(), j.a[1], String(f[0]), f[1], s.x, s.y].join('|');
      """;
      create temp function isnull(x string) returns bool language js as "return x === null";
      select show(12, 1.50, b'\\xff\\x00', date '2024-02-29', timestamp '2024-01-01 10:00:00.123456+00', json '{"a":[1,"two"]}', [cast('nan' as float64), 2.5], struct('x' as x, 0.25 as y)), isnull(null), isnull('')`;
    // 12 is an integral NUMERIC within 2^53 (a Number); 1.50 is not (the String "1.5"); 0xff00 in base64 is "/wA="
    expect(await rows(sql)).toEqual([['number|12|string|1.5|/wA=|true|2024-02-29T00:00:00.000Z|1704103200123|two|NaN|2.5|x|0.25', 'true', 'false']]);
  });

  test('results: INT64 from a String of digits, NUMERIC from a String, BYTES from base64, JSON from an object, NULL from undefined', async () => {
    const sql = `create temp function big() returns int64 language js as "return '9007199254740993'";
      create temp function dec() returns numeric language js as "return '123.456'";
      create temp function raw() returns bytes language js as "return 'AAEC/w=='";
      create temp function raws() returns struct<b array<bytes>, s string> language js as "return {b: ['AQ==', 'Ag=='], s: 'k'}";
      create temp function doc() returns json language js as "return {k: [1, null, 'x']}";
      create temp function nothing() returns string language js as "";
      select big(), cast(dec() as string), to_hex(raw()), to_json_string(doc()), nothing() is null, to_hex(raws().b[offset(1)]), raws().s`;
    expect(await rows(sql)).toEqual([['9007199254740993', '123.456', '000102ff', '{"k":[1,null,"x"]}', 'true', '02', 'k']]);
  });

  test('called on every row of a scan DuckDB runs in parallel: each row gets its own answer', async () => {
    const sql = `create temp function sq(x float64) returns float64 language js as "return x * x";
      select count(*), sum(cast(sq(x) as int64)) from unnest(generate_array(1, 100000)) as x`;
    // sum of squares 1..n = n(n+1)(2n+1)/6 = 100000 * 100001 * 200001 / 6
    expect(await rows(sql)).toEqual([['100000', '333338333350000']]);
  });
});

describe('JavaScript UDF errors', () => {
  test("the host is out of reach: require, process, fetch and timers do not exist in the sandbox", async () => {
    await expect(engine.query(`create temp function f() returns string language js as "return require('fs').readFileSync('/etc/passwd', 'utf8')"; select f()`, opts)).rejects.toMatchObject({
      reason: 'invalidQuery',
      message: expect.stringMatching(/^ReferenceError: .*require.* at f\(\)/),
    });
    await expect(engine.query(`create temp function f() returns string language js as "return process.env.HOME"; select f()`, opts)).rejects.toMatchObject({
      message: expect.stringMatching(/^ReferenceError: .*process/),
    });
    expect(await rows(`create temp function f() returns string language js as "return [typeof require, typeof process, typeof fetch, typeof setTimeout, typeof std, typeof os].join()"; select f()`)).toEqual([
      ['undefined,undefined,undefined,undefined,undefined,undefined'],
    ]);
  });

  test("client SQL cannot call the sandbox's DuckDB function by its name, nor another query's function", async () => {
    await expect(engine.query(`select bq_jsudf_call(1, '{}')`, opts)).rejects.toMatchObject({ message: expect.stringMatching(/^Function not found: bq_jsudf_call/) });
    await engine.query(`create temp function mine() returns string language js as "return 'a'"; select mine()`, opts);
    // temporary functions end with their query
    await expect(engine.query('select mine()', opts)).rejects.toMatchObject({ message: expect.stringMatching(/^Function not found: mine/) });
  });

  test('an endless loop ends with a timeout error; the engine answers the next query', async () => {
    await expect(engine.query(`create temp function spin() returns string language js as "while (true) {}"; select spin()`, opts)).rejects.toMatchObject({
      reason: 'timeout',
      message: expect.stringMatching(/^User-defined function spin\(\) timed out/),
    });
    expect(await rows('select 1')).toEqual([['1']]);
  }, 60_000);

  test('the time limit is per row: twelve rows of half a second each (six seconds in all) run', async () => {
    const sql = `create temp function slow(x float64) returns float64 language js as "const end = Date.now() + 500; while (Date.now() < end) {} return x";
      select sum(slow(x)) from unnest(generate_array(1, 12)) as x`;
    expect(await rows(sql)).toEqual([['78']]);
  }, 60_000);

  test('a huge allocation fails with resourcesExceeded (UDF out of memory)', async () => {
    await expect(engine.query(`create temp function hog() returns string language js as "return 'x'.repeat(1e8)"; select hog()`, opts)).rejects.toMatchObject({
      reason: 'resourcesExceeded',
      message: expect.stringMatching(/^Resources exceeded during query execution: UDF out of memory/),
    });
    expect(await rows(`create temp function ok() returns string language js as "return 'fine'"; select ok()`)).toEqual([['fine']]);
  }, 60_000);

  test("BigQuery's rules: no INT64 argument, RETURNS required, results of the wrong type fail, a thrown error is the query's", async () => {
    await expect(engine.query(`create temp function f(x int64) returns string language js as "return ''"; select 1`, opts)).rejects.toMatchObject({ message: expect.stringMatching(/INT64 is not a valid argument type for a JavaScript UDF/) });
    await expect(engine.query(`create temp function f(x string) language js as "return x"; select 1`, opts)).rejects.toMatchObject({ message: expect.stringMatching(/needs RETURNS/) });
    await expect(engine.query(`create temp function f(x float64) returns int64 language js as "return x / 3"; select f(1)`, opts)).rejects.toMatchObject({
      message: 'Failed to coerce output value of JavaScript function f(FLOAT64): the result (number) cannot be converted to INT64 (an integral Number or a String of digits)',
    });
    await expect(engine.query(`create temp function f() returns array<string> language js as "return ['a', null]"; select f()`, opts)).rejects.toMatchObject({ message: expect.stringMatching(/Array cannot have a null element/) });
    await expect(engine.query(`create temp function f(x string) returns string language js as "throw new Error('no ' + x)"; select f('way')`, opts)).rejects.toMatchObject({ reason: 'invalidQuery', message: 'Error: no way at f(STRING)' });
    await expect(engine.query(`create temp function f() returns string language js as "return (" ; select f()`, opts)).rejects.toMatchObject({ message: expect.stringMatching(/^SyntaxError: .* in the body of JavaScript function f\(\)/) });
  });

  test('OPTIONS(library=...) and types without a JavaScript encoding fail loudly', async () => {
    await expect(engine.query(`create temp function f(x string) returns string language js as "return x" options (library = 'gs://bucket/lib.js'); select f('a')`, opts)).rejects.toMatchObject({
      message: expect.stringMatching(/OPTIONS\(library = \.\.\.\) on a JavaScript UDF .* not supported by the embedded BigQuery/),
    });
    await expect(engine.query(`create temp function f(x datetime) returns string language js as "return ''"; select 1`, opts)).rejects.toMatchObject({ message: 'DATETIME as a JavaScript UDF argument type is not supported by the embedded BigQuery' });
  });
});
