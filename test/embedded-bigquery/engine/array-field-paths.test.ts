/**
 * BigQuery's array elements field access (operators#array_el_field_operator) inside UNNEST, IN UNNEST
 * and an implicit FROM path: `a.b.c` through arrays reads each element's field in array order; a field
 * that is an array itself is concatenated (an empty or NULL one contributes nothing); a NULL element
 * gives a NULL field; a NULL array gives no rows. And the fields of an aliased UNNEST over STRUCTs read
 * bare beside another UNNEST's alias (a range variable wins over a column of its name). Through the
 * real @google-cloud/bigquery client; expected values worked out by hand from the documentation's
 * examples (the docs' `my_array.sales.prices` table gives 25, 75, 30).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { BigQuery } from '@google-cloud/bigquery';
import { startTestBigQuery, type TestBigQuery } from '../../support/embedded-bigquery.js';

const DOCS_T = `WITH T AS (SELECT [STRUCT([STRUCT([25.0, 75.0] AS prices), STRUCT([30.0] AS prices),
  STRUCT(ARRAY<FLOAT64>[] AS prices), STRUCT(CAST(NULL AS ARRAY<FLOAT64>) AS prices)] AS sales)] AS my_array)`;

describe('array elements field access and value-table fields', () => {
  let bq: TestBigQuery;
  let client: BigQuery;
  const rows = async (query: string): Promise<Record<string, unknown>[]> => (await client.query({ query }))[0] as Record<string, unknown>[];

  beforeAll(async () => {
    bq = await startTestBigQuery();
    client = bq.bigquery;
    await client.createDataset('af');
    // DFE's events: hidden_data ARRAY<STRUCT<key STRING, value ARRAY<STRING>>>
    await client.query(`CREATE TABLE af.events AS
      SELECT 1 AS id, 'email' AS probe, [STRUCT('email' AS key, ['a@b', 'c@d'] AS value), STRUCT('phone' AS key, ['1'] AS value)] AS hidden_data
      UNION ALL SELECT 2, 'email', [STRUCT('name' AS key, ARRAY<STRING>[] AS value)]
      UNION ALL SELECT 3, 'email', CAST(NULL AS ARRAY<STRUCT<key STRING, value ARRAY<STRING>>>)
      UNION ALL SELECT 4, CAST(NULL AS STRING), [STRUCT('email' AS key, CAST(NULL AS ARRAY<STRING>) AS value)]`);
  }, 60_000);
  afterAll(async () => {
    await bq?.stop();
  });

  test('x IN UNNEST(array_of_structs.field) (DFE’s data_schema_latest): FALSE for a NULL array, NULL for a NULL x', async () => {
    expect(await rows('SELECT id, probe IN UNNEST(hidden_data.key) AS hidden FROM af.events ORDER BY id')).toEqual([
      { id: 1, hidden: true },
      { id: 2, hidden: false },
      { id: 3, hidden: false },
      { id: 4, hidden: null },
    ]);
  });

  test('FROM t, UNNEST(t.a.b) WITH OFFSET concatenates the array fields in order; empty and NULL arrays give nothing', async () => {
    expect(await rows('SELECT e.id, v, o FROM af.events AS e, UNNEST(e.hidden_data.value) AS v WITH OFFSET o ORDER BY e.id, o')).toEqual([
      { id: 1, v: 'a@b', o: 0 },
      { id: 1, v: 'c@d', o: 1 },
      { id: 1, v: '1', o: 2 },
    ]);
  });

  test('nested arrays a.b.c: UNNEST, the implicit FROM path, and a table built from it keep 25, 75, 30', async () => {
    expect(await rows(`${DOCS_T} SELECT all_prices FROM T, UNNEST(my_array.sales.prices) AS all_prices`)).toEqual([{ all_prices: 25 }, { all_prices: 75 }, { all_prices: 30 }]);
    expect(await rows(`${DOCS_T} SELECT all_prices FROM T, T.my_array.sales.prices AS all_prices`)).toEqual([{ all_prices: 25 }, { all_prices: 75 }, { all_prices: 30 }]);
    await client.query(`CREATE OR REPLACE TABLE af.prices AS ${DOCS_T} SELECT p, ARRAY_LENGTH(my_array) AS n FROM T, UNNEST(my_array.sales.prices) AS p`);
    expect(await rows('SELECT p, n FROM af.prices')).toEqual([{ p: 25, n: 1 }, { p: 75, n: 1 }, { p: 30, n: 1 }]);
  });

  test('a NULL struct element gives a NULL field; a NULL array gives no rows', async () => {
    const sql = `SELECT k FROM (SELECT [STRUCT('a' AS key), NULL, STRUCT('c' AS key)] AS arr UNION ALL SELECT NULL) AS t, UNNEST(t.arr.key) AS k WITH OFFSET o ORDER BY o`;
    expect(await rows(sql)).toEqual([{ k: 'a' }, { k: null }, { k: 'c' }]);
  });

  test('the fields of UNNEST(request_query) AS query read bare beside UNNEST(value) AS value (DFE’s pageview_with_funnels)', async () => {
    const sql = `SELECT ARRAY(SELECT AS STRUCT query.key, value FROM UNNEST(request_query) AS query, UNNEST(value) AS value) AS rq
      FROM (SELECT [STRUCT('page' AS key, ['2', '1'] AS value), STRUCT('q' AS key, ['x'] AS value)] AS request_query)`;
    expect(await rows(sql)).toEqual([{ rq: [{ key: 'page', value: '2' }, { key: 'page', value: '1' }, { key: 'q', value: 'x' }] }]);
    // a bare field of one UNNEST in the select list, the other's alias bare in WHERE
    const bare = "SELECT key, value FROM UNNEST([STRUCT('k' AS key, ['b', 'a'] AS value)]) AS query, UNNEST(value) AS value WHERE value > 'a'";
    expect(await rows(bare)).toEqual([{ key: 'k', value: 'b' }]);
  });

  test('an alias read bare is that UNNEST’s element only in its own SELECT (not across UNION ALL, not in a subquery with its own column)', async () => {
    const sql = `SELECT v FROM UNNEST([STRUCT('k' AS key, ['b'] AS value)]) AS q, UNNEST(value) AS v
      UNION ALL SELECT v FROM (SELECT 'z' AS v) UNION ALL SELECT (SELECT v FROM (SELECT 'y' AS v)) FROM UNNEST(['w']) AS v ORDER BY v`;
    expect(await rows(sql)).toEqual([{ v: 'b' }, { v: 'y' }, { v: 'z' }]);
  });

  test('a field of two UNNESTs read bare is ambiguous, as in BigQuery', async () => {
    await expect(rows("SELECT key FROM UNNEST([STRUCT('k' AS key)]) AS a, UNNEST([STRUCT('j' AS key)]) AS b")).rejects.toThrow(/Column name key is ambiguous/);
  });

  test('what cannot be read element by element stays loud: a subscript through an array, a field of an array outside UNNEST', async () => {
    await expect(rows(`${DOCS_T} SELECT p FROM T, UNNEST(my_array.sales.prices[OFFSET(0)]) AS p`)).rejects.toThrow(/not supported by the embedded BigQuery/);
    await expect(rows('SELECT hidden_data.key FROM af.events')).rejects.toThrow(/Cannot read field key of hidden_data/);
  });
});
