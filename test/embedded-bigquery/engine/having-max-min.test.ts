/**
 * `AGG(x HAVING MAX|MIN y)` (aggregate-function-calls#max_min_clause): the aggregate reads only the
 * group's rows whose y equals the group's MAX(y) / MIN(y) by SQL equality; rows with a NULL y never
 * qualify. Expected values by hand from the docs' examples and the definition.
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
const engine = memoryEngine();

const rows = async (sql: string): Promise<unknown[][]> => (await engine().query(sql, opts)).rows.map((r) => r.f.map((c) => c.v));
const failure = async (sql: string): Promise<string> => engine().query(sql, opts).then(() => 'answered', (e: Error) => e.message);

// the docs' Precipitation rows: 2001 has 9 and 1 inches; 2000 has 3, 5, 7, 2
const PRECIPITATION = `(SELECT 2001 AS year, 'spring' AS season, 9 AS inches UNION ALL SELECT 2001, 'winter', 1
  UNION ALL SELECT 2000, 'fall', 3 UNION ALL SELECT 2000, 'summer', 5 UNION ALL SELECT 2000, 'spring', 7 UNION ALL SELECT 2000, 'winter', 2)`;

describe('HAVING MAX and HAVING MIN inside an aggregate', () => {
  test("the docs' example: AVG of the latest year's inches is (9 + 1) / 2; the earliest year's is 17 / 4", async () => {
    expect(await rows(`SELECT AVG(inches HAVING MAX year), AVG(inches HAVING MIN year), COUNT(* HAVING MIN year), SUM(inches HAVING MAX inches) FROM ${PRECIPITATION}`)).toEqual([['5', '4.25', '4', '9']]);
  });

  test('NULL keys never qualify: of false, true, NULL, true, true, NULL, false, MIN keeps 2 rows and MAX 3', async () => {
    const keys = 'UNNEST([STRUCT(false AS f), STRUCT(true AS f), STRUCT(NULL AS f), STRUCT(true AS f), STRUCT(true AS f), STRUCT(NULL AS f), STRUCT(false AS f)]) AS a';
    expect(await rows(`SELECT COUNT(* HAVING MIN a.f), COUNT(* HAVING MAX a.f) FROM ${keys}`)).toEqual([['2', '3']]);
    // every key NULL: no row qualifies, so COUNT is 0 and SUM NULL
    expect(await rows('SELECT COUNT(x HAVING MAX k), SUM(x HAVING MIN k) FROM UNNEST([STRUCT(1 AS x, CAST(NULL AS INT64) AS k), (2, NULL)])')).toEqual([['0', null]]);
  });

  test('per group, with DISTINCT, ARRAY_AGG and STRING_AGG over the kept rows', async () => {
    const sql = `SELECT year, COUNT(DISTINCT season HAVING MIN inches), ARRAY_AGG(season HAVING MAX inches), STRING_AGG(season, '|' HAVING MIN inches)
      FROM ${PRECIPITATION} GROUP BY year ORDER BY year`;
    expect(await rows(sql)).toEqual([
      ['2000', '1', [{ v: 'spring' }], 'winter'],
      ['2001', '1', [{ v: 'spring' }], 'winter'],
    ]);
  });

  test('rows that do not qualify are not aggregated, so their overflow does not happen', async () => {
    const sql = 'SELECT SUM(val HAVING MAX key) FROM (SELECT 1 AS key, 9223372036854775807 AS val UNION ALL SELECT 1, 9223372036854775807 UNION ALL SELECT 2, 2 UNION ALL SELECT 2, 2)';
    expect(await rows(sql)).toEqual([['4']]);
  });

  test('a NaN key makes MAX and MIN NaN, which equals no key: no row qualifies', async () => {
    expect(await rows("SELECT COUNT(x HAVING MAX k), COUNT(x HAVING MIN k) FROM UNNEST([STRUCT(1 AS x, 1.0 AS k), (2, CAST('NaN' AS FLOAT64))])")).toEqual([['0', '0']]);
    // -0.0 equals 0.0: both rows are the maximum
    expect(await rows('SELECT COUNT(x HAVING MAX k) FROM UNNEST([STRUCT(1 AS x, 0.0 AS k), (2, -0.0), (3, -1.0)])')).toEqual([['2']]);
  });

  test('a window call and a non-aggregate stay loud', async () => {
    expect(await failure('SELECT SUM(x HAVING MAX x) OVER () FROM UNNEST([1, 2]) AS x')).toMatch(/not supported by the embedded BigQuery/);
    expect(await failure('SELECT ABS(x HAVING MAX x) FROM UNNEST([1, 2]) AS x')).toMatch(/not supported by the embedded BigQuery/);
  });
});
