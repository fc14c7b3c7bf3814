/**
 * An aliased UNNEST of an array of STRUCTs (query-syntax#unnest_operator: "For an input array of
 * structs, UNNEST returns a row for each struct, with a separate column for each field in the
 * struct"): the fields are columns beside the alias, so `key`, `q.key`, `USING (key)` and `*` read
 * them. DFE-Digital's dfe-analytics-dataform reads `MIN_BY(next_page_path_and_query, ...) FROM
 * UNNEST(following_pages) AS fp` and joins two aliased UNNESTs USING a field.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createEngine } from '../../../packages/embedded-bigquery/src/engine/index.js';
import type { Engine, QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'landform-local' };
let engine: Engine;
let dir: string;

const run = async (sql: string): Promise<{ names: string[]; rows: unknown[] }> => {
  const r = await engine.query(sql, opts);
  return { names: (r.schema?.fields ?? []).map((f) => f.name), rows: (r.rows ?? []).map((row) => row.f.map((c) => c.v)) };
};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'engine-unnest-alias-'));
  engine = await createEngine({ dataPath: dir });
});
afterAll(async () => {
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the fields of an aliased array of STRUCTs are columns, read bare, through the alias, and by SELECT *', async () => {
  expect((await run("SELECT key, q.v FROM UNNEST([STRUCT('a' AS key, 1 AS v), ('b', 2)]) AS q ORDER BY key")).rows).toEqual([
    ['a', '1'],
    ['b', '2'],
  ]);
  expect(await run("SELECT * FROM UNNEST([STRUCT(1 AS a, 'x' AS b)]) AS s")).toEqual({ names: ['a', 'b'], rows: [['1', 'x']] });
  // a field named like the alias is read through it
  expect((await run('SELECT q.q FROM UNNEST([STRUCT(5 AS q)]) AS q')).rows).toEqual([['5']]);
});

test('two aliased UNNESTs join USING a field (the left side has the column)', async () => {
  const sql = "SELECT q1.key, q2.v FROM UNNEST([STRUCT('a' AS key, 1 AS v), ('b', 2)]) AS q1 LEFT JOIN UNNEST([STRUCT('a' AS key, 10 AS v)]) AS q2 USING (key) ORDER BY q1.key";
  expect((await run(sql)).rows).toEqual([
    ['a', '10'],
    ['b', null],
  ]);
});

test('a correlated aliased UNNEST in a scalar subquery reads its row’s fields (DFE’s session details)', async () => {
  const sql = `WITH t AS (SELECT 1 AS id, [STRUCT('p' AS page, 2 AS ts), STRUCT('q' AS page, 1 AS ts), STRUCT('r' AS page, 0 AS ts)] AS pages)
    SELECT id, (SELECT STRING_AGG(page, ',' ORDER BY ts) FROM UNNEST(pages) AS fp WHERE fp.ts > 0) AS visited FROM t`;
  expect((await run(sql)).rows).toEqual([['1', 'q,p']]);
});

test('an alias used bare is still the element: aggregated structs and scalars', async () => {
  const structs = await engine.query('SELECT ARRAY_AGG(s ORDER BY s.v) AS a FROM UNNEST([STRUCT(2 AS v), STRUCT(1 AS v)]) AS s', opts);
  expect(structs.rows?.[0]?.f[0]?.v).toEqual([{ v: { f: [{ v: '1' }] } }, { v: { f: [{ v: '2' }] } }]);
  expect((await run('SELECT SUM(x) FROM UNNEST([1, 2, 3]) AS x')).rows).toEqual([['6']]);
});

test('a field read through an array (array elements field access) is each element’s field (array-field-paths.test.ts has the rest)', async () => {
  expect((await run("SELECT 'a' IN UNNEST(arr.key) FROM (SELECT [STRUCT('a' AS key)] AS arr)")).rows).toEqual([['true']]);
});

test('another UNNEST alias named like a field is read as that alias (DFE’s events: UNNEST(rq.value) AS value)', async () => {
  const sql = `SELECT (SELECT STRING_AGG(CONCAT(rq.key, '=', value), '&' ORDER BY value) FROM UNNEST(t.q) AS rq, UNNEST(rq.value) AS value) AS s
    FROM (SELECT [STRUCT('k' AS key, ['b', 'a'] AS value)] AS q) AS t`;
  expect((await run(sql)).rows).toEqual([['k=a&k=b']]);
});

test('in a SQL function, UNNEST(param) AS param shadows the parameter, and two such UNNESTs join USING a field (DFE’s request_queries_are_equal)', async () => {
  const sql = `CREATE TEMP FUNCTION missing(query1 ARRAY<STRUCT<key STRING, value STRING>>, query2 ARRAY<STRUCT<key STRING, value STRING>>) AS (
      ARRAY_LENGTH(query1) > 0 AND EXISTS (SELECT query2.key FROM UNNEST(query2) AS query2 LEFT JOIN UNNEST(query1) AS query1 USING (key) WHERE query1.key IS NULL));
    SELECT missing([STRUCT('a' AS key, 'x' AS value)], [STRUCT('a' AS key, 'y' AS value)]) AS same_keys,
      missing([STRUCT('a' AS key, 'x' AS value)], [STRUCT('b' AS key, 'y' AS value)]) AS other_key`;
  expect((await run(sql)).rows).toEqual([['false', 'true']]);
});

test('USING a column one side does not have fails with BigQuery’s message, not DuckDB’s', async () => {
  await expect(engine.query('SELECT 1 FROM (SELECT 1 AS a) AS l JOIN (SELECT 1 AS b) AS r USING (b)', opts)).rejects.toMatchObject({
    message: expect.stringMatching(/^Column b in USING clause not found on left side of join/),
  });
});
