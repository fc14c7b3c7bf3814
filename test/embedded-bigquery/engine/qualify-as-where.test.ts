/**
 * QUALIFY filters rows after the window functions (query-syntax#qualify_clause) and may read the
 * select list's aliases. Two shapes DuckDB refuses in QUALIFY run as a WHERE around the query when the
 * select list is `*` plus aliases (DFE-Digital's pageview_with_funnels): a SQL function holding a
 * subquery that reads a window's result, and the alias of an expression built from checking macros.
 * Through the real @google-cloud/bigquery client; expected rows worked out by hand.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { BigQuery } from '@google-cloud/bigquery';
import { startTestBigQuery, type TestBigQuery } from '../../support/embedded-bigquery.js';

describe('QUALIFY over window aliases', () => {
  let bq: TestBigQuery;
  let client: BigQuery;
  const rows = async (query: string): Promise<Record<string, unknown>[]> => (await client.query({ query }))[0] as Record<string, unknown>[];

  beforeAll(async () => {
    bq = await startTestBigQuery();
    client = bq.bigquery;
  }, 60_000);
  afterAll(async () => {
    await bq?.stop();
  });

  test('a SQL function with a subquery reading the previous row (kept: the first row and the row whose array changed)', async () => {
    const sql = `CREATE TEMP FUNCTION same(a ARRAY<STRING>, b ARRAY<STRING>) AS (NOT EXISTS (SELECT x FROM UNNEST(a) AS x WHERE x NOT IN UNNEST(b)));
      SELECT *, FIRST_VALUE(q) OVER w AS prev
      FROM (SELECT 1 AS u, 1 AS ts, ['a'] AS q UNION ALL SELECT 1, 2, ['a'] UNION ALL SELECT 1, 3, ['b'])
      QUALIFY ARRAY_LENGTH(prev) = 0 OR NOT same(q, prev)
      WINDOW w AS (PARTITION BY u ORDER BY ts ROWS BETWEEN 1 PRECEDING AND 1 PRECEDING)
      ORDER BY ts`;
    // ts 1 has no previous row (prev NULL): 'a' NOT IN UNNEST(NULL) is TRUE (IN UNNEST of a NULL array is FALSE), so same is FALSE and
    // the row stays; ts 2 repeats ['a'] and goes; ts 3 stays ('b' is not in ['a'])
    expect((await rows(sql)).map((r) => r.ts)).toEqual([1, 3]);
  });

  test('SELECT AS STRUCT * with an alias of IFNULL(MIN(...) OVER w - 1, MAX(...) OVER w) read in QUALIFY, over a correlated UNNEST', async () => {
    const sql = `SELECT ARRAY(SELECT AS STRUCT *, IFNULL(MIN(IF(NOT s.ok, s.step, NULL)) OVER w - 1, MAX(s.step) OVER w) AS keep_to
        FROM UNNEST(t.steps) AS s QUALIFY step <= keep_to
        WINDOW w AS (ORDER BY s.step ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)) AS kept
      FROM (SELECT 1 AS id, [STRUCT(1 AS step, TRUE AS ok), STRUCT(2, FALSE), STRUCT(3, TRUE)] AS steps
        UNION ALL SELECT 2, [STRUCT(1 AS step, TRUE AS ok), STRUCT(2, TRUE)]) AS t
      ORDER BY t.id`;
    // id 1: the first step not ok is 2, so steps up to 1; id 2: none fails, so up to MAX(step) = 2
    expect(await rows(sql)).toEqual([
      { kept: [{ step: 1, ok: true, keep_to: 1 }] },
      { kept: [{ step: 1, ok: true, keep_to: 2 }, { step: 2, ok: true, keep_to: 2 }] },
    ]);
  });

  test('a QUALIFY with its own window function is left as it is', async () => {
    const sql = 'SELECT x FROM UNNEST([3, 1, 2]) AS x QUALIFY ROW_NUMBER() OVER (ORDER BY x DESC) <= 2 ORDER BY x';
    expect(await rows(sql)).toEqual([{ x: 2 }, { x: 3 }]);
  });
});
