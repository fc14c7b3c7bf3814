/**
 * FLOAT64 NaN as BigQuery orders and compares it (data-types#floating_point_semantics): ASC order is
 * NULL, NaN, -inf, ..., +inf (DESC the reverse); NaN = NaN, <, >, <=, >= and BETWEEN are FALSE, != is
 * TRUE; MIN over a NaN is NaN (aggregate_functions#min). DuckDB sorts NaN above +inf and finds NaN = NaN.
 * Expected values by hand from those rules.
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
const engine = memoryEngine();

const rows = async (sql: string): Promise<unknown[][]> => (await engine().query(sql, opts)).rows.map((r) => r.f.map((c) => c.v));
const failure = async (sql: string): Promise<string> => engine().query(sql, opts).then(() => 'answered', (e: Error) => e.message);

const VALUES = "UNNEST([1.0, CAST('nan' AS FLOAT64), NULL, CAST('-inf' AS FLOAT64), CAST('inf' AS FLOAT64), CAST('nan' AS FLOAT64)]) AS x";

describe('ORDER BY over FLOAT64', () => {
  test('ASC: NULL, NaN, -inf, numbers, +inf; DESC the reverse', async () => {
    expect(await rows(`SELECT x FROM ${VALUES} ORDER BY x`)).toEqual([[null], ['NaN'], ['NaN'], ['-Infinity'], ['1'], ['Infinity']]);
    expect(await rows(`SELECT x FROM ${VALUES} ORDER BY x DESC`)).toEqual([['Infinity'], ['1'], ['-Infinity'], ['NaN'], ['NaN'], [null]]);
    expect(await rows(`SELECT x FROM ${VALUES} ORDER BY x DESC NULLS FIRST`)).toEqual([[null], ['Infinity'], ['1'], ['-Infinity'], ['NaN'], ['NaN']]);
  });

  test('a select-list alias is ordered by its own values, not a column of the same name', async () => {
    const sql = "SELECT y AS x FROM (SELECT 1.0 AS x, CAST('nan' AS FLOAT64) AS y UNION ALL SELECT CAST('nan' AS FLOAT64), 2.0) ORDER BY x";
    expect(await rows(sql)).toEqual([['NaN'], ['2']]);
  });

  test('ARRAY_AGG ORDER BY, and other key types keep their order', async () => {
    expect(await rows(`SELECT ARRAY_AGG(x ORDER BY x) FROM ${VALUES} WHERE x IS NOT NULL`)).toEqual([[[{ v: 'NaN' }, { v: 'NaN' }, { v: '-Infinity' }, { v: '1' }, { v: 'Infinity' }]]]);
    expect(await rows("SELECT s FROM UNNEST(['b', NULL, 'a']) AS s ORDER BY s")).toEqual([[null], ['a'], ['b']]);
    expect(await rows('SELECT 2 AS a UNION ALL SELECT 1 ORDER BY a')).toEqual([['1'], ['2']]);
    expect(await rows('SELECT x FROM UNNEST([2, 1, 2]) AS x GROUP BY ALL ORDER BY x')).toEqual([['1'], ['2']]);
    // a DISTINCT aggregate keeps its one key (DuckDB answers [-4, 1, 1] with two)
    expect(await rows('SELECT ARRAY_AGG(DISTINCT x ORDER BY x) FROM (SELECT 1 x UNION ALL SELECT -2 UNION ALL SELECT 3 UNION ALL SELECT -2)')).toEqual([[[{ v: '-2' }, { v: '1' }, { v: '3' }]]]);
  });
});

describe('window ORDER BY over FLOAT64', () => {
  test('RANK, ROW_NUMBER and a cumulative SUM see NaN between NULL and -inf', async () => {
    // order: NULL(1), NaN, NaN (2, tied), -inf (4), 1 (5), +inf (6)
    expect(await rows(`SELECT x, RANK() OVER (ORDER BY x) FROM ${VALUES} ORDER BY x`)).toEqual([[null, '1'], ['NaN', '2'], ['NaN', '2'], ['-Infinity', '4'], ['1', '5'], ['Infinity', '6']]);
    // DESC: +inf 1, 1 2, -inf 3, NaN 4 and 5, NULL 6
    expect(await rows(`SELECT x, ROW_NUMBER() OVER (ORDER BY x DESC) AS n FROM ${VALUES} ORDER BY n`)).toEqual([['Infinity', '1'], ['1', '2'], ['-Infinity', '3'], ['NaN', '4'], ['NaN', '5'], [null, '6']]);
    // the count of rows up to each peer group: NULL 1, NaN 3, -inf 4, 1 5, +inf 6
    expect(await rows(`SELECT x, COUNT(*) OVER (ORDER BY x) FROM ${VALUES} ORDER BY x`)).toEqual([[null, '1'], ['NaN', '3'], ['NaN', '3'], ['-Infinity', '4'], ['1', '5'], ['Infinity', '6']]);
  });

  test('a RANGE frame with an UNBOUNDED bound beside an offset fails loudly over a NaN, answers without one', async () => {
    expect(await failure(`SELECT SUM(1) OVER (ORDER BY x RANGE BETWEEN UNBOUNDED PRECEDING AND 1 FOLLOWING) FROM ${VALUES}`)).toMatch(/not supported by the embedded BigQuery/);
    // 1, 2, 4: frames [.., 2], [.., 3], [.., 5] hold 1, 2 and 3 rows
    expect(await rows('SELECT x, SUM(1) OVER (ORDER BY x RANGE BETWEEN UNBOUNDED PRECEDING AND 1 FOLLOWING) FROM UNNEST([1.0, 2.0, 4.0]) AS x ORDER BY x')).toEqual([['1', '2'], ['2', '2'], ['4', '3']]);
  });
});

describe('named windows', () => {
  test('a named window orders NaN first; one that an OVER adds a RANGE frame to keeps its one key', async () => {
    expect(await rows("SELECT x, RANK() OVER w FROM UNNEST([1.0, CAST('nan' AS FLOAT64)]) AS x WINDOW w AS (ORDER BY x) ORDER BY x")).toEqual([['NaN', '1'], ['1', '2']]);
    // frames [x - 1, x]: 1 -> {1}, 2 -> {1, 2}, 2.5 -> {2, 2.5}
    const sql = 'SELECT x, SUM(1) OVER (w RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM UNNEST([1.0, 2.0, 2.5]) AS x WINDOW w AS (ORDER BY x) ORDER BY x';
    expect(await rows(sql)).toEqual([['1', '1'], ['2', '2'], ['2.5', '2']]);
  });
});

describe('comparisons with NaN', () => {
  test('=, <, >, <=, >= are FALSE and != TRUE; NULL stays NULL; other types are unchanged', async () => {
    const nan = "CAST('nan' AS FLOAT64)";
    expect(await rows(`SELECT ${nan} = ${nan}, ${nan} != ${nan}, ${nan} > 1, 1 < ${nan}, ${nan} >= ${nan}, CAST(NULL AS FLOAT64) = ${nan}, 'a' < 'b', 2 >= 3`)).toEqual([['false', 'true', 'false', 'false', 'false', null, 'true', 'false']]);
    expect(await rows(`SELECT COUNT(*) FROM ${VALUES} WHERE x = x`)).toEqual([['3']]);
  });

  test('BETWEEN is x >= a AND x <= b, each FALSE at a NaN', async () => {
    const nan = "CAST('nan' AS FLOAT64)";
    expect(await rows(`SELECT ${nan} BETWEEN 1 AND NULL, ${nan} BETWEEN NULL AND NULL, 1 BETWEEN ${nan} AND NULL, ${nan} NOT BETWEEN NULL AND 1, 2 BETWEEN 1 AND 3`)).toEqual([['false', null, 'false', 'true', 'true']]);
    // 0 and 10 are not between 0 and NaN; -inf, inf and NaN neither
    expect(await rows(`SELECT COUNTIF(x BETWEEN 0 AND ${nan}) FROM ${VALUES}`)).toEqual([['0']]);
  });
});

describe('IN lists and pipe ORDER BY', () => {
  test('x IN (...) is x = a OR x = b ...: a NaN x matches nothing, NULL beside a NULL item', async () => {
    const nan = "CAST('nan' AS FLOAT64)";
    expect(await rows(`SELECT ${nan} IN (${nan}, 1), ${nan} IN (1, NULL), ${nan} NOT IN (${nan}), 1 IN (1.0, ${nan}), 2 NOT IN (1, NULL)`)).toEqual([['false', null, 'true', 'true', null]]);
  });

  test('|> ORDER BY orders NaN between NULL and -inf', async () => {
    expect(await rows(`FROM ${VALUES} |> WHERE x IS NOT NULL |> ORDER BY x |> LIMIT 3`)).toEqual([['NaN'], ['NaN'], ['-Infinity']]);
  });
});

describe('MIN and MAX', () => {
  test('MIN and MAX over a NaN are NaN, in aggregates and windows', async () => {
    expect(await rows(`SELECT MIN(x), MAX(x), MIN(DISTINCT x) FROM ${VALUES}`)).toEqual([['NaN', 'NaN', 'NaN']]);
    expect(await rows("SELECT MIN(x), MIN(s) FROM UNNEST([2.0, CAST('-inf' AS FLOAT64)]) AS x, UNNEST(['b', 'a']) AS s")).toEqual([['-Infinity', 'a']]);
    const sql = "SELECT id, MIN(d) OVER (ORDER BY id) FROM UNNEST([STRUCT(1 AS id, 2.0 AS d), (2, CAST('nan' AS FLOAT64)), (3, CAST('-inf' AS FLOAT64))]) ORDER BY id";
    expect(await rows(sql)).toEqual([['1', '2'], ['2', 'NaN'], ['3', 'NaN']]);
  });
});
