/**
 * Typed macros over a value of an enclosing query (issue 12): DuckDB binds a macro with several typed
 * overloads without the type of an outer column (a correlated scalar subquery, EXISTS, a lateral
 * UNNEST) and refused the call ("multiple overloads"); the query layer now learns the argument types by
 * probes and the call names its single-overload twin. Each expression over an outer column gives
 * BigQuery's value and result type, as the same expression over the subquery's own column does.
 * Expected values by hand from the reference (string_functions, operators, json_functions,
 * mathematical_functions#sign, array_functions#generate_array).
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
const engine = memoryEngine();

/** The first row's values and the schema's field types. */
const answer = async (sql: string): Promise<{ values: unknown[]; types: string[] }> => {
  const r = await engine().query(sql, opts);
  return { values: r.rows[0]!.f.map((c) => c.v), types: (r.schema?.fields ?? []).map((f) => f.type) };
};
const failure = async (sql: string): Promise<string> => engine().query(sql, opts).then(() => 'answered', (e: Error) => e.message);

/** One row of columns s STRING, b BYTES, i INT64, f FLOAT64, n NUMERIC, d DATE, ts TIMESTAMP, j JSON, js STRING of JSON. */
const T = "(SELECT ' abc ' AS s, b'\\x01\\x02\\x03' AS b, 7 AS i, 2.5 AS f, NUMERIC '2.5' AS n, DATE '2024-03-10' AS d, TIMESTAMP '2024-03-10 12:00:00+00' AS ts, JSON '{\"a\": [1, 2]}' AS j, '{\"a\": [1, 2]}' AS js)";

describe('string functions of an outer STRING or BYTES column', () => {
  test('in a scalar subquery', async () => {
    expect(await answer(`SELECT (SELECT LEFT(t.s, 2)), (SELECT RIGHT(t.s, 2)), (SELECT TRIM(t.s)), (SELECT LTRIM(t.s)), (SELECT RTRIM(t.s)), (SELECT LPAD(t.s, 6, '*')), (SELECT RPAD(t.s, 6)), (SELECT REVERSE(t.s)), (SELECT SUBSTR(t.s, 2, 2)), (SELECT STRPOS(t.s, 'b')), (SELECT STARTS_WITH(t.s, ' a')), (SELECT ENDS_WITH(t.s, 'x')) FROM ${T} AS t`)).toEqual({
      values: [' a', 'c ', 'abc', 'abc ', ' abc', '* abc ', ' abc  ', ' cba ', 'ab', '3', 'true', 'false'],
      types: ['STRING', 'STRING', 'STRING', 'STRING', 'STRING', 'STRING', 'STRING', 'STRING', 'STRING', 'INTEGER', 'BOOLEAN', 'BOOLEAN'],
    });
    // BYTES results are base64 in the REST API: b'\x01\x02' is AQI=, b'\x03\x02\x01' is AwIB, b'\x02' is Ag==
    expect(await answer(`SELECT (SELECT LEFT(t.b, 2)), (SELECT REVERSE(t.b)), (SELECT SUBSTR(t.b, 2, 1)), (SELECT TO_CODE_POINTS(t.b)) FROM ${T} AS t`)).toEqual({
      values: ['AQI=', 'AwIB', 'Ag==', [{ v: '1' }, { v: '2' }, { v: '3' }]],
      types: ['BYTES', 'BYTES', 'BYTES', 'INTEGER'],
    });
  });

  test('in a lateral UNNEST and in EXISTS', async () => {
    expect(await answer(`SELECT x FROM ${T} AS t, UNNEST(ARRAY(SELECT LEFT(t.s, 3))) AS x`)).toEqual({ values: [' ab'], types: ['STRING'] });
    expect(await answer(`SELECT x FROM ${T} AS t, UNNEST(TO_CODE_POINTS(t.s)) AS x WITH OFFSET AS o ORDER BY o LIMIT 1`)).toEqual({ values: ['32'], types: ['INTEGER'] });
    expect(await answer(`SELECT (SELECT REPEAT(t.s, 2)), (SELECT ARRAY_TO_STRING([t.s, 'x'], '-')) FROM ${T} AS t`)).toEqual({ values: [' abc  abc ', ' abc -x'], types: ['STRING', 'STRING'] });
    // ARRAY_TO_STRING of an outer ARRAY<BYTES> with a NULL element replaced: b'x-?' is eC0/ in base64
    expect(await answer("SELECT (SELECT ARRAY_TO_STRING(t.a, b'-', b'?')) FROM (SELECT [b'x', NULL] AS a) AS t")).toEqual({ values: ['eC0/'], types: ['BYTES'] });
    expect(await answer(`SELECT EXISTS(SELECT 1 FROM UNNEST([1]) WHERE STARTS_WITH(t.s, ' ab')), EXISTS(SELECT 1 FROM UNNEST([1]) WHERE LEFT(t.b, 1) = b'\\x02') FROM ${T} AS t`)).toEqual({ values: ['true', 'false'], types: ['BOOLEAN', 'BOOLEAN'] });
  });
});

describe('* and / of outer INT64, FLOAT64 and NUMERIC columns', () => {
  test('in a scalar subquery', async () => {
    expect(await answer(`SELECT (SELECT t.i * t.i), (SELECT t.f * t.f), (SELECT t.n * t.n), (SELECT t.i / 2), (SELECT t.f / 2), (SELECT t.n / 2) FROM ${T} AS t`)).toEqual({
      values: ['49', '6.25', '6.25', '3.5', '1.25', '1.25'],
      types: ['INTEGER', 'FLOAT', 'NUMERIC', 'FLOAT', 'FLOAT', 'NUMERIC'],
    });
  });

  test('in a lateral UNNEST and in EXISTS', async () => {
    expect(await answer(`SELECT x FROM ${T} AS t, UNNEST(ARRAY(SELECT t.f * 3)) AS x`)).toEqual({ values: ['7.5'], types: ['FLOAT'] });
    expect(await answer(`SELECT x FROM ${T} AS t, UNNEST(ARRAY(SELECT t.n / 4)) AS x`)).toEqual({ values: ['0.625'], types: ['NUMERIC'] });
    expect(await answer(`SELECT (SELECT SAFE_DIVIDE(t.f, 2)), (SELECT SAFE_DIVIDE(t.n, 0)) FROM ${T} AS t`)).toEqual({ values: ['1.25', null], types: ['FLOAT', 'NUMERIC'] });
    expect(await answer(`SELECT EXISTS(SELECT 1 FROM UNNEST([1.25]) AS y WHERE y = t.f / 2) FROM ${T} AS t`)).toEqual({ values: ['true'], types: ['BOOLEAN'] });
  });

  test('outer columns of two types in two subqueries each take their own form', async () => {
    expect(await answer('SELECT (SELECT t.x / 2), (SELECT u.x / 2), (SELECT u.x * t.x) FROM (SELECT 2.5 AS x) AS t, (SELECT 5 AS x) AS u')).toEqual({ values: ['1.25', '2.5', '12.5'], types: ['FLOAT', 'FLOAT', 'FLOAT'] });
  });

  test('one operator text over values of two types in one probed statement is loud, never a wrong answer', async () => {
    const sql = `SELECT (SELECT x / 2 FROM (SELECT 2.5 AS x)), (SELECT x / 2 FROM (SELECT 5 AS x)), (SELECT t.f * 2) FROM ${T} AS t`;
    expect(await failure(sql)).toMatch(/not supported by the embedded BigQuery$/);
  });
});

describe('- of outer DATE, INT64, FLOAT64 and TIMESTAMP columns', () => {
  test('in a scalar subquery: INTERVAL for two dates or timestamps, DATE for DATE - INT64, numbers as numbers', async () => {
    expect(await answer(`SELECT (SELECT t.d - DATE '2024-03-01'), (SELECT t.d - 9), (SELECT t.i - 10), (SELECT t.f - 0.5), (SELECT t.n - 1), (SELECT t.ts - TIMESTAMP '2024-03-10 10:30:00+00') FROM ${T} AS t`)).toEqual({
      values: ['0-0 9 0:0:0', '2024-03-01', '-3', '2', '1.5', '0-0 0 1:30:0'],
      types: ['INTERVAL', 'DATE', 'INTEGER', 'FLOAT', 'NUMERIC', 'INTERVAL'],
    });
  });

  test('in a lateral UNNEST and in EXISTS', async () => {
    expect(await answer(`SELECT x FROM ${T} AS t, UNNEST([t.i - 2, t.i - 3]) AS x WITH OFFSET AS o ORDER BY o LIMIT 1`)).toEqual({ values: ['5'], types: ['INTEGER'] });
    expect(await answer(`SELECT x FROM ${T} AS t, UNNEST(ARRAY(SELECT t.d - 1)) AS x`)).toEqual({ values: ['2024-03-09'], types: ['DATE'] });
    expect(await answer(`SELECT EXISTS(SELECT 1 FROM UNNEST([2.0]) AS y WHERE y = t.f - 0.5) FROM ${T} AS t`)).toEqual({ values: ['true'], types: ['BOOLEAN'] });
  });
});

describe('SIGN and JSON_EXTRACT_ARRAY of outer columns', () => {
  test('SIGN keeps its argument type', async () => {
    expect(await answer(`SELECT (SELECT SIGN(t.i)), (SELECT SIGN(-t.f)), (SELECT SIGN(t.n)) FROM ${T} AS t`)).toEqual({ values: ['1', '-1', '1'], types: ['INTEGER', 'FLOAT', 'NUMERIC'] });
  });

  test('JSON_EXTRACT_ARRAY: ARRAY<JSON> of JSON, ARRAY<STRING> of STRING', async () => {
    expect(await answer(`SELECT (SELECT JSON_EXTRACT_ARRAY(t.js, '$.a')), (SELECT JSON_QUERY(t.js, '$.a')) FROM ${T} AS t`)).toEqual({ values: [[{ v: '1' }, { v: '2' }], '[1,2]'], types: ['STRING', 'STRING'] });
    expect(await answer(`SELECT x FROM ${T} AS t, UNNEST(JSON_EXTRACT_ARRAY(t.j, '$.a')) AS x WITH OFFSET AS o ORDER BY o LIMIT 1`)).toEqual({ values: ['1'], types: ['JSON'] });
  });
});

describe('GENERATE_ARRAY of INT64, FLOAT64 and NUMERIC bounds', () => {
  const elements = async (sql: string): Promise<{ values: unknown; types: string[] }> => {
    const r = await answer(sql);
    return { values: (r.values[0] as { v: unknown }[]).map((e) => e.v), types: r.types };
  };

  test('the element type is the supertype of the arguments; FLOAT64 elements are start + k * step', async () => {
    expect(await elements('SELECT GENERATE_ARRAY(1, 10, 4)')).toEqual({ values: ['1', '5', '9'], types: ['INTEGER'] });
    expect(await elements('SELECT GENERATE_ARRAY(0.5, 2, 0.5)')).toEqual({ values: ['0.5', '1', '1.5', '2'], types: ['FLOAT'] });
    expect(await elements('SELECT GENERATE_ARRAY(1, 2.5)')).toEqual({ values: ['1', '2'], types: ['FLOAT'] });
    // 0 + 3 * 0.1 is 0.30000000000000004 in FLOAT64, past the end 0.3: three elements
    expect(await elements('SELECT GENERATE_ARRAY(0, 0.3, 0.1)')).toEqual({ values: ['0', '0.1', '0.2'], types: ['FLOAT'] });
    expect(await elements("SELECT GENERATE_ARRAY(NUMERIC '0', NUMERIC '0.3', NUMERIC '0.1')")).toEqual({ values: ['0', '0.1', '0.2', '0.3'], types: ['NUMERIC'] });
    expect(await elements("SELECT GENERATE_ARRAY(NUMERIC '1.5', 0, -1)")).toEqual({ values: ['1.5', '0.5'], types: ['NUMERIC'] });
    expect(await elements('SELECT GENERATE_ARRAY(3.0, 1.0, 1)')).toEqual({ values: [], types: ['FLOAT'] });
  });

  test("BigQuery's errors: zero step, NaN, an infinite step", async () => {
    expect(await failure('SELECT GENERATE_ARRAY(1.0, 2.0, 0)')).toBe('Sequence step cannot be 0.');
    expect(await failure("SELECT GENERATE_ARRAY(CAST('nan' AS FLOAT64), 2.0)")).toBe('Sequence start, end, and step cannot be NaN.');
    expect(await failure("SELECT GENERATE_ARRAY(1.0, 2.0, CAST('inf' AS FLOAT64))")).toBe('Sequence step cannot be +/-inf.');
    // ZetaSQL's reference implementation stops at 16,000 elements; BigQuery's own limit is not documented, so none here
    expect(await answer('SELECT ARRAY_LENGTH(GENERATE_ARRAY(1, 20000)), ARRAY_LENGTH(GENERATE_ARRAY(0.5, 20000.5))')).toEqual({ values: ['20000', '20001'], types: ['INTEGER', 'INTEGER'] });
  });

  test("HTTP Archive's CrUX histogram shape: a lateral UNNEST(GENERATE_ARRAY(bin.start, bin.end - 100, 100)) over FLOAT64 and NUMERIC bins", async () => {
    const bins = "(SELECT 0.0 AS a, 300.0 AS b, NUMERIC '0' AS na, NUMERIC '300' AS nb UNION ALL SELECT 300.0, 500.0, NUMERIC '300', NUMERIC '500')";
    const r = await answer(`SELECT ARRAY(SELECT x FROM ${bins} AS t2, UNNEST(GENERATE_ARRAY(t2.a, t2.b - 100, 100)) AS x ORDER BY x), ARRAY(SELECT x FROM ${bins} AS t2, UNNEST(GENERATE_ARRAY(t2.na, LEAST(t2.nb, 1000) - 100, 100)) AS x ORDER BY x)`);
    expect(r).toEqual({ values: [['0', '100', '200', '300', '400'].map((v) => ({ v })), ['0', '100', '200', '300', '400'].map((v) => ({ v }))], types: ['FLOAT', 'NUMERIC'] });
    expect(await answer(`SELECT (SELECT ARRAY_LENGTH(GENERATE_ARRAY(t.f, 10.0))), (SELECT GENERATE_ARRAY(t.i, 8)[OFFSET(1)]) FROM ${T} AS t`)).toEqual({ values: ['8', '8'], types: ['INTEGER', 'INTEGER'] });
  });
});

describe('a query in brackets after AS (CREATE [TEMP] TABLE ... AS (SELECT ...))', () => {
  test("learns its lateral UNNEST values' types as a bare query does (HTTP Archive's report operations)", async () => {
    // s: 0, 100, 200 from GENERATE_ARRAY(0, 300 - 100, 100); s / 1000 is FLOAT64
    const inner = 'SELECT s / 1000 AS bin FROM UNNEST([STRUCT(0 AS start, 300 AS `end`)]) AS bin, UNNEST(GENERATE_ARRAY(bin.start, bin.`end` - 100, 100)) AS s';
    const result = await engine().query(`CREATE TEMP TABLE tt AS (${inner}); SELECT bin FROM tt ORDER BY bin`, opts);
    expect(result.rows.map((r) => r.f[0]?.v)).toEqual(['0', '0.1', '0.2']);
  });
});
