/**
 * GROUP BY ROLLUP / CUBE / GROUPING SETS and STRUCT comparisons as GoogleSQL answers them (ZetaSQL's
 * grouping_sets_queries, struct_queries and in_queries). Expected values by hand from the five rows
 * of t below: (key, a, b) = (1, 10, foo), (2, 123, foo), (3, 123, bar), (4, NULL, NULL), (5, 10, bar).
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
const engine = memoryEngine();
const T = "WITH t AS (SELECT * FROM UNNEST([STRUCT(1 AS key, 10 AS a, 'foo' AS b), (2, 123, 'foo'), (3, 123, 'bar'), (4, NULL, NULL), (5, 10, 'bar')])) ";

const rows = async (sql: string): Promise<unknown[][]> => (await engine().query(sql, opts)).rows.map((r) => r.f.map((c) => c.v));
const sorted = async (sql: string): Promise<string[]> => (await rows(sql)).map((r) => JSON.stringify(r)).sort();
const failure = async (sql: string): Promise<string> => engine().query(sql, opts).then(() => 'answered', (e: Error) => e.message);
const set = (...r: unknown[][]): string[] => r.map((x) => JSON.stringify(x)).sort();

describe('a grouping key that is an expression over another grouping key', () => {
  test('ROLLUP(a, a + 1): a + 1 is computed from the key a, so the set (a) shows it', async () => {
    // sets (a, a+1), (a), (): per a value the sum of keys twice, then the total
    expect(await sorted(`${T}SELECT a, a + 1, SUM(key) FROM t GROUP BY ROLLUP(a, a + 1)`)).toEqual(
      set(['10', '11', '6'], ['10', '11', '6'], ['123', '124', '5'], ['123', '124', '5'], [null, null, '4'], [null, null, '4'], [null, null, '15']),
    );
  });

  test('GROUPING SETS(a, a + 1): in the set (a + 1) the key a is NULL, and so is a + 1', async () => {
    // set (a): a = 10 (2 rows), 123 (2), NULL (1); set (a+1): 11 (2), 124 (2), NULL (1), all shown as NULL
    expect(await sorted(`${T}SELECT a, a + 1, COUNT(*) FROM t GROUP BY GROUPING SETS(a, a + 1)`)).toEqual(
      set(['10', '11', '2'], ['123', '124', '2'], [null, null, '1'], [null, null, '2'], [null, null, '2'], [null, null, '1']),
    );
  });

  test('GROUPING() of such a key fails loudly', async () => {
    expect(await failure(`${T}SELECT a, GROUPING(a + 1) FROM t GROUP BY ROLLUP(a, a + 1)`)).toMatch(/not supported by the embedded BigQuery/);
  });
});

describe('ordinals and aliases among the grouping items', () => {
  test('ROLLUP(a1, 1, 1, b, 2, 2) groups by the two select items: three sets of (a1, b), three of (a1), one ()', async () => {
    const got = await rows(`${T}SELECT a + 1 AS a1, b, SUM(key) FROM t GROUP BY ROLLUP(a1, 1, 1, b, 2, 2)`);
    const count = (r: unknown[]): number => got.filter((x) => JSON.stringify(x) === JSON.stringify(r)).length;
    // (a1, b): 5 groups (11/124 × foo/bar, NULL/NULL) in 3 sets; (a1): 3 groups (11, 124, NULL) in 3 sets; (): 1
    expect(got).toHaveLength(5 * 3 + 3 * 3 + 1);
    expect([count(['11', 'foo', '1']), count(['11', 'bar', '5']), count(['11', null, '6']), count(['124', null, '5']), count([null, null, '15'])]).toEqual([3, 3, 3, 3, 1]);
  });

  test('an ordinal or alias names the select item itself: it shows the key value in its own set', async () => {
    // sets (a+1) and (UPPER(b)); a and b are no keys there
    expect(await sorted(`${T}SELECT a + 1, UPPER(b) AS ub, COUNT(*) FROM t GROUP BY GROUPING SETS(1, ub)`)).toEqual(
      set(['11', null, '2'], ['124', null, '2'], [null, null, '1'], [null, 'FOO', '2'], [null, 'BAR', '2'], [null, null, '1']),
    );
  });

  test('GROUPING(alias) reads the aliased expression; GROUPING SETS(1, a + 1, a1) is one key three times', async () => {
    expect(await sorted(`${T}SELECT a + 1 AS a1, GROUPING(a + 1) FROM t GROUP BY GROUPING SETS(1, a + 1, a1)`)).toEqual(
      set(...[0, 1, 2].flatMap(() => [['11', '0'], ['124', '0'], [null, '0']])),
    );
    expect(await sorted(`${T}SELECT a + 1 AS a1, COUNT(*) FROM t GROUP BY ROLLUP(a1) HAVING GROUPING(a1) = 1`)).toEqual(set([null, '5']));
  });

  test('an ordinal naming a constant select item fails loudly', async () => {
    expect(await failure(`${T}SELECT key, 1 FROM t GROUP BY GROUPING SETS(key, 2)`)).toMatch(/not supported by the embedded BigQuery/);
  });
});

describe('GROUP BY ALL', () => {
  test('with no key to infer it groups by (): one row', async () => {
    expect(await rows("SELECT 'a' AS x FROM (SELECT 1 AS id UNION ALL SELECT 2 AS id) GROUP BY ALL")).toEqual([['a']]);
    expect(await rows("SELECT 'a' AS x FROM (SELECT 1 AS id UNION ALL SELECT 2 AS id) GROUP BY ALL HAVING TRUE")).toEqual([['a']]);
  });

  test('with keys it groups by them', async () => {
    expect(await sorted(`${T}SELECT b, COUNT(*) FROM t GROUP BY ALL`)).toEqual(set(['foo', '2'], ['bar', '2'], [null, '1']));
  });
});

describe('STRUCT equality', () => {
  test('equal STRUCTs of the same field names compare as DuckDB does: TRUE, and != of a differing field TRUE', async () => {
    expect(await rows('SELECT STRUCT(1 AS x, 2 AS y) = STRUCT(1 AS x, 2 AS y), STRUCT(1 AS x, 2 AS y) != STRUCT(1 AS x, 3 AS y), STRUCT(1 AS x) = STRUCT(2 AS x)')).toEqual([['true', 'true', 'false']]);
    // a literal's integers against a column's INT64 are the same type
    expect(await rows('SELECT s = STRUCT(1 AS x, 2 AS y) FROM (SELECT STRUCT(CAST(1 AS INT64) AS x, CAST(2 AS INT64) AS y) AS s)')).toEqual([['true']]);
  });

  test('field names that differ by position, or a NULL field, fail loudly (BigQuery compares by position, NULL unless a pair differs)', async () => {
    // BigQuery: STRUCT(3 AS a, 5.5 AS b) = STRUCT(3 AS c, 5.5 AS d) is TRUE; DuckDB compares by name
    expect(await failure('SELECT STRUCT(3 AS a, 5.5 AS b) = STRUCT(3 AS c, 5.5 AS d)')).toMatch(/not supported by the embedded BigQuery/);
    // BigQuery: NULL; DuckDB: TRUE
    expect(await failure('SELECT STRUCT(NULL AS a, 2 AS b) = STRUCT(NULL AS a, 2 AS b)')).toMatch(/not supported by the embedded BigQuery/);
    // BigQuery: NULL (the 'this' element might match); DuckDB: FALSE
    expect(await failure("SELECT (1, ('this', NULL)) IN UNNEST([(1, ('that', 3)), (1, ('this', 3))])")).toMatch(/not supported by the embedded BigQuery/);
  });

  test('IN UNNEST of STRUCTs without NULLs and of scalars keeps its answers', async () => {
    expect(await rows("SELECT (1, ('this', 3)) IN UNNEST([(1, ('that', 3)), (1, ('this', 3))]), 3 IN UNNEST([1, NULL]), 1 IN UNNEST([1, NULL])")).toEqual([['true', null, 'true']]);
    // a NULL element (not a NULL field): NULL when no element matches, TRUE when one does
    expect(await rows("SELECT (5, ('x', 5)) IN UNNEST([(1, ('that', 3)), NULL, (2, ('this', 3))]), (1, ('this', 3)) IN UNNEST([(1, ('this', 3)), NULL])")).toEqual([[null, 'true']]);
  });

  test('an anonymous STRUCT compares by position; CASE s WHEN and NULLIF of STRUCTs without NULLs keep their answers', async () => {
    expect(await rows('SELECT CASE s WHEN STRUCT(1, 2) THEN 1 ELSE 3 END, NULLIF(s, STRUCT(1 AS x, 3 AS y)).x, s = (1, 2), (1, 2) IN UNNEST([s]) FROM (SELECT STRUCT(1 AS x, 2 AS y) AS s)')).toEqual([['1', '1', 'true', 'true']]);
  });

  test('CASE s WHEN and NULLIF over a STRUCT holding a NULL fail loudly (BigQuery: no match, NULLIF gives s)', async () => {
    const s = 'FROM (SELECT STRUCT(NULL AS x, 2 AS y) AS s)';
    expect(await failure(`SELECT CASE s WHEN STRUCT(NULL, 2) THEN 2 ELSE 3 END ${s}`)).toMatch(/not supported by the embedded BigQuery/);
    expect(await failure(`SELECT NULLIF(s, (NULL, 2)) ${s}`)).toMatch(/not supported by the embedded BigQuery/);
  });

  test('IS [NOT] DISTINCT FROM: NULL fields are equal (as in DuckDB); field names that differ fail loudly', async () => {
    expect(await rows('SELECT STRUCT(1 AS a, NULL AS b) IS NOT DISTINCT FROM STRUCT(1 AS a, NULL AS b), (1, 2) IS DISTINCT FROM STRUCT(1 AS a, 2 AS b)')).toEqual([['true', 'false']]);
    expect(await rows('SELECT COUNT(*) FROM UNNEST([1, 2, NULL]) AS x WHERE x IS DISTINCT FROM 1')).toEqual([['2']]);
    // BigQuery: FALSE (compared by position); DuckDB: TRUE (by name)
    expect(await failure('SELECT STRUCT(1 AS a) IS DISTINCT FROM STRUCT(1 AS b)')).toMatch(/not supported by the embedded BigQuery/);
  });

  test('STRUCT() with no fields fails loudly (BigQuery: an empty STRUCT, which DuckDB has no type for)', async () => {
    expect(await failure('SELECT STRUCT()')).toMatch(/not supported by the embedded BigQuery/);
  });
});
