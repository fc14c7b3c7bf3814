/**
 * Function arguments BigQuery has no signature for (issue #12: accepting input BigQuery rejects)
 * fail with its "No matching signature" where DuckDB cast or answered: CONCAT('a', 1) gave 'a1',
 * LENGTH(123) 3, COALESCE(1, 'a') 1, SQRT('4') 2. The expectations are BigQuery's: its reference pages
 * (string_functions, mathematical_functions, array_functions, aggregate_functions, conditional_expressions)
 * and conversion_rules (INT64 coerces to NUMERIC, BIGNUMERIC and FLOAT64, NUMERIC to BIGNUMERIC and
 * FLOAT64, DATE to DATETIME; a STRING literal to DATE/DATETIME/TIME/TIMESTAMP; NULL to any type). The
 * calls BigQuery accepts keep their answers and types.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createEngine } from '../../../packages/embedded-bigquery/src/engine/index.js';
import type { Engine, QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
let engine: Engine;
const run = async (sql: string) => {
  const r = await engine.query(sql, opts);
  return { types: r.schema.fields.map((f) => f.type), rows: r.rows.map((row) => row.f.map((c) => c.v)) };
};
/** Columns of known types, so the check runs on the types DuckDB reports (not on literals). */
const cols = "(SELECT 'a' AS s, 1 AS i, 2.5 AS f, NUMERIC '1.5' AS n, true AS b, b'ab' AS y, DATE '2020-01-01' AS d, [1, 2] AS arr, STRUCT(1 AS a) AS st)";

beforeAll(async () => {
  engine = await createEngine({ dataPath: ':memory:' });
}, 60_000);
afterAll(async () => {
  await engine?.close();
});

describe('arguments BigQuery has no signature for fail', () => {
  test.each([
    // literals: refused when the statement is translated
    ['LENGTH(123)', 'No matching signature for function LENGTH for argument types: INT64. Supported signatures: LENGTH(STRING); LENGTH(BYTES) at [1:8]'],
    ["COALESCE(1, 'a')", 'No matching signature for function COALESCE for argument types: INT64, STRING. Supported signature: COALESCE([ANY, ...]) at [1:8]'],
    ["IF(true, 1, 'a')", 'No matching signature for function IF for argument types: BOOL, INT64, STRING'],
    ["IFNULL(1, 'a')", 'No matching signature for function IFNULL for argument types: INT64, STRING'],
    ["CASE WHEN true THEN 1 ELSE 'a' END", 'No matching signature for operator CASE; all THEN/ELSE arguments must be coercible to a common type but found: INT64, STRING'],
    ["ARRAY_LENGTH('abc')", 'No matching signature for function ARRAY_LENGTH for argument types: STRING. Supported signature: ARRAY_LENGTH(ARRAY)'],
    ["SQRT('4')", 'No matching signature for function SQRT for argument types: STRING'],
    ["ABS('1')", 'No matching signature for function ABS for argument types: STRING'],
    ['MOD(5.5, 2)', 'No matching signature for function MOD for argument types: FLOAT64, INT64'],
    // columns: refused by the typeof() check when the query runs
    ['LENGTH(i)', 'No matching signature for function LENGTH for argument types: INT64'],
    ['UPPER(d)', 'No matching signature for function UPPER for argument types: DATE'],
    ['COALESCE(i, s)', 'No matching signature for function COALESCE for argument types: INT64, STRING'],
    ['IF(b, i, s)', 'No matching signature for function IF for argument types: BOOL, INT64, STRING'],
    ['IF(i, 1, 2)', 'No matching signature for function IF for argument types: INT64, INT64, INT64'],
    ['IFNULL(b, i)', 'No matching signature for function IFNULL for argument types: BOOL, INT64'],
    ['CASE WHEN b THEN i ELSE s END', 'No matching signature for operator CASE; all THEN/ELSE arguments must be coercible to a common type but found: INT64, STRING'],
    ['ARRAY_LENGTH(s)', 'No matching signature for function ARRAY_LENGTH for argument types: STRING'],
    ['SQRT(s)', 'No matching signature for function SQRT for argument types: STRING'],
  ])('%s', async (expr, message) => {
    const e = await engine.query(`SELECT ${expr} FROM ${cols}`, opts).catch((x: unknown) => x);
    expect(e).toMatchObject({ reason: 'invalidQuery' });
    expect((e as Error).message.startsWith(message)).toBe(true);
  });

  test.each([
    ['SELECT STRING_AGG(x) FROM UNNEST([1, 2]) x', 'No matching signature for aggregate function STRING_AGG for argument types: INT64'],
    ['SELECT STRING_AGG(DISTINCT x, \',\' ORDER BY x) FROM UNNEST([1, 2]) x', 'No matching signature for aggregate function STRING_AGG for argument types: INT64'],
    ['SELECT MAX(s) FROM (SELECT STRUCT(1 AS a) AS s)', 'MAX is not defined for arguments of type STRUCT<a INT64>'],
    ['SELECT MIN(a) FROM (SELECT [1] AS a)', 'MIN is not defined for arguments of type ARRAY<INT64>'],
    ['SELECT SUM(x) FROM UNNEST([true]) x', 'No matching signature for aggregate function SUM for argument types: BOOL'],
    ['SELECT STRING_AGG(x) OVER () FROM UNNEST([1]) x', 'No matching signature for aggregate function STRING_AGG for argument types: INT64'],
    ['SELECT g, MAX(s) FROM (SELECT 1 AS g, STRUCT(1 AS a) AS s) GROUP BY g', 'MAX is not defined for arguments of type STRUCT<a INT64>'],
  ])('%s', async (sql, message) => {
    const e = await engine.query(sql, opts).catch((x: unknown) => x);
    expect(e).toMatchObject({ reason: 'invalidQuery' });
    expect((e as Error).message.startsWith(message)).toBe(true);
  });

  test('a refusal found when the query runs fails over no rows too (BigQuery refuses the query before reading)', async () => {
    await expect(engine.query(`SELECT LENGTH(i) FROM ${cols} WHERE FALSE`, opts)).rejects.toThrow('No matching signature for function LENGTH for argument types: INT64');
    await expect(engine.query(`SELECT COALESCE(b, i) FROM ${cols} WHERE FALSE`, opts)).rejects.toThrow('No matching signature for function COALESCE for argument types: BOOL, INT64');
  });

  // DuckDB refuses these while binding, before the check folds: loud, in DuckDB's function's name
  test.each([
    ['SELECT SUBSTR(s, f) FROM ' + cols, /^No matching signature for function SUBSTRING for argument types: STRING, FLOAT64/],
    ['SELECT ROUND(b) FROM ' + cols, /^No matching signature for function CEIL for argument types: BOOL/],
    ["SELECT AVG(x) FROM UNNEST(['a']) x", /^No matching signature for function AVG/],
    ['SELECT LOGICAL_AND(x) FROM UNNEST([1]) x', /^No matching signature for function BOOL_AND for argument types: INT64/],
  ])('%s fails loudly', async (sql, message) => {
    await expect(engine.query(sql, opts)).rejects.toMatchObject({ reason: 'invalidQuery', message: expect.stringMatching(message) });
  });
});

describe('arguments BigQuery accepts (its coercions) keep their answers', () => {
  test('string functions', async () => {
    expect(await run("SELECT CONCAT('a', CAST(1 AS STRING)), CONCAT(s, 'b'), LENGTH(b'ab'), LENGTH(y), LENGTH(s), CONCAT(y, b'c') = b'abc', CONCAT('Summer', ' ', 1923) FROM " + cols)).toEqual({
      types: ['STRING', 'STRING', 'INTEGER', 'INTEGER', 'INTEGER', 'BOOLEAN', 'STRING'],
      rows: [['a1', 'ab', '2', '2', '1', 'true', 'Summer 1923']],
    });
  });

  test('conditional expressions: a common supertype', async () => {
    expect(await run("SELECT COALESCE(1, 2.5), IF(true, 1, NULL), IFNULL(i, n), COALESCE(d, '2021-01-01'), CASE WHEN b THEN i ELSE f END, IF(b, s, 'x') FROM " + cols)).toEqual({
      types: ['FLOAT', 'INTEGER', 'NUMERIC', 'DATE', 'FLOAT', 'STRING'],
      rows: [['1', '1', '1', '2020-01-01', '1', 'a']],
    });
  });

  test('math and array functions', async () => {
    expect(await run('SELECT SQRT(4), ABS(-2), ABS(n), MOD(7, 3), ARRAY_LENGTH(arr), ARRAY_LENGTH(NULL), ROUND(f), SUBSTR(s, 1, i) FROM ' + cols)).toEqual({
      types: ['FLOAT', 'INTEGER', 'NUMERIC', 'INTEGER', 'INTEGER', 'INTEGER', 'FLOAT', 'STRING'],
      rows: [['2', '2', '1.5', '1', '2', null, '3', 'a']],
    });
  });

  test('aggregates', async () => {
    expect(await run("SELECT MAX(d), MIN(s), STRING_AGG(s, '-' ORDER BY s), SUM(i), AVG(f), ARRAY_LENGTH(ARRAY_AGG(st)) FROM (SELECT * FROM " + cols + ' UNION ALL SELECT * FROM ' + cols + ')')).toEqual({
      types: ['DATE', 'STRING', 'STRING', 'INTEGER', 'FLOAT', 'INTEGER'],
      rows: [['2020-01-01', 'a', 'a-a', '2', '2.5', '2']],
    });
    expect(await run("SELECT g, STRING_AGG(s) OVER (), MAX(i) OVER () FROM (SELECT 1 AS g, 'x' AS s, 3 AS i)")).toEqual({ types: ['INTEGER', 'STRING', 'INTEGER'], rows: [['1', 'x', '3']] });
  });
});
