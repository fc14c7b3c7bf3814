/**
 * `LEFT JOIN UNNEST(arr)` and `LEFT JOIN t.arr` with no ON of their own give each row's elements in array
 * order (as `FROM t, UNNEST(arr)` does), an empty or NULL array one row of NULLs with a NULL offset. (A
 * filter on the left side can still make DuckDB reorder the joined rows, comma joins too: orders BigQuery
 * leaves unspecified without ORDER BY.)
 * Through the real @google-cloud/bigquery client; expected rows by hand.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { BigQuery } from '@google-cloud/bigquery';
import { startTestBigQuery, type TestBigQuery } from '../../support/embedded-bigquery.js';

const ROWS = "(SELECT 1 AS id, [1, 2, 3] AS arr UNION ALL SELECT 2, [5, 4] UNION ALL SELECT 3, CAST([] AS ARRAY<INT64>) UNION ALL SELECT 4, NULL)";
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

test('STRING_AGG over LEFT JOIN UNNEST keeps array order; empty and NULL arrays keep their row once', async () => {
  expect(await rows(`SELECT t.id, STRING_AGG(CAST(x AS STRING)) AS s, COUNT(*) AS n FROM ${ROWS} AS t LEFT JOIN UNNEST(t.arr) AS x GROUP BY t.id ORDER BY t.id`)).toEqual([
    { id: 1, s: '1,2,3', n: 3 },
    { id: 2, s: '5,4', n: 2 },
    { id: 3, s: null, n: 1 },
    { id: 4, s: null, n: 1 },
  ]);
});

test('LEFT OUTER JOIN t.arr WITH OFFSET: offsets in order, NULL for the row of an empty array', async () => {
  expect(await rows(`SELECT t.id, x, o FROM ${ROWS} AS t LEFT OUTER JOIN t.arr AS x WITH OFFSET o WHERE t.id >= 2 ORDER BY t.id, o`)).toEqual([
    { id: 2, x: 5, o: 0 },
    { id: 2, x: 4, o: 1 },
    { id: 3, x: null, o: null },
    { id: 4, x: null, o: null },
  ]);
});

test('an aliased array of STRUCTs with a NULL element, left joined', async () => {
  const sql = "SELECT t.id, s.k FROM (SELECT 1 AS id, [STRUCT('a' AS k), NULL, STRUCT('c' AS k)] AS arr UNION ALL SELECT 2, []) AS t LEFT JOIN UNNEST(t.arr) AS s";
  expect(await rows(sql)).toEqual([{ id: 1, k: 'a' }, { id: 1, k: null }, { id: 1, k: 'c' }, { id: 2, k: null }]);
});
