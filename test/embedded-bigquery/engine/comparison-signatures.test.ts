/**
 * Comparisons BigQuery refuses (conversion_rules: no coercion between STRING and INT64, FLOAT64, NUMERIC
 * or BOOL, nor between BOOL and a number; a STRING converts to DATE, DATETIME, TIME or TIMESTAMP only as a
 * literal or a query parameter) fail with BigQuery's "No matching signature for operator" where DuckDB
 * would cast one side; the comparisons BigQuery accepts keep their answers.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createEngine } from '../../../packages/embedded-bigquery/src/engine/index.js';
import type { Engine, QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
let engine: Engine;
const values = async (sql: string, o: QueryOptions = opts) => (await engine.query(sql, o)).rows.map((r) => r.f.map((c) => c.v));
const refused = (types: string, op = '=') => `No matching signature for operator ${op} for argument types: ${types}. Supported signature: ANY ${op} ANY`;
const rows = "(SELECT '1' AS s, 1 AS i, 1.5 AS f, NUMERIC '1' AS n, true AS b, DATE '2020-01-01' AS d, TIMESTAMP '2020-01-01 00:00:00+00' AS ts, '2020-01-01' AS ds)";

beforeAll(async () => {
  engine = await createEngine({ dataPath: ':memory:' });
}, 60_000);
afterAll(async () => {
  await engine?.close();
});

describe('comparisons BigQuery has no signature for', () => {
  test.each([
    ['s = i', 'STRING, INT64', '='],
    ['i = s', 'INT64, STRING', '='],
    ['s = 1', 'STRING, INT64', '='],
    ["i = '1'", 'INT64, STRING', '='],
    ['s <> 1.5', 'STRING, FLOAT64', '!='],
    ['s = b', 'STRING, BOOL', '='],
    ['b = 1', 'BOOL, INT64', '='],
    ['ds = d', 'STRING, DATE', '='],
  ])('%s fails', async (cond, types, op) => {
    await expect(engine.query(`SELECT ${cond} FROM ${rows}`, opts)).rejects.toThrow(refused(types, op));
  });

  test('orderings DuckDB itself refuses at bind time fail too (with its text)', async () => {
    await expect(engine.query(`SELECT s >= n FROM ${rows}`, opts)).rejects.toThrow(/Cannot compare values of type VARCHAR and type DECIMAL/);
    await expect(engine.query(`SELECT ts > ds FROM ${rows}`, opts)).rejects.toThrow(/Cannot compare values of type TIMESTAMP WITH TIME ZONE and type VARCHAR/);
  });

  test('IN lists: each item is checked against the left side', async () => {
    await expect(engine.query(`SELECT s IN (1, 2) FROM ${rows}`, opts)).rejects.toThrow('No matching signature for operator IN for argument types: STRING, INT64, INT64');
    await expect(engine.query(`SELECT i NOT IN (1, '2') FROM ${rows}`, opts)).rejects.toThrow('No matching signature for operator IN for argument types: INT64, INT64, STRING');
    expect(await values(`SELECT s IN ('1', 'b, c'), s NOT IN ('a'), i IN (1, 2.5), d IN ('2020-01-01', DATE '2020-01-02'), s IN (SELECT '1') FROM ${rows}`)).toEqual([['true', 'true', 'true', 'true', 'true']]);
  });

  test('in a WHERE clause and a join condition too', async () => {
    await expect(engine.query(`SELECT 1 FROM ${rows} WHERE s = 1`, opts)).rejects.toThrow(refused('STRING, INT64'));
    await expect(engine.query(`SELECT 1 FROM ${rows} AS a JOIN ${rows} AS b ON a.s = b.i`, opts)).rejects.toThrow(refused('STRING, INT64'));
  });
});

describe('comparisons BigQuery accepts keep their answers', () => {
  test('a STRING literal or parameter against DATE and TIMESTAMP; numbers of different types; NULL', async () => {
    expect(await values(`SELECT d = '2020-01-01', ts < '2020-01-02', i = 1.0, n = i, f > n, s = CAST(NULL AS STRING), s = '1', b = true FROM ${rows}`)).toEqual([['true', 'true', 'true', 'true', 'true', null, 'true', 'true']]);
    expect(await values(`SELECT d = @day FROM ${rows}`, { ...opts, parameterMode: 'NAMED', queryParameters: [{ name: 'day', parameterType: { type: 'STRING' }, parameterValue: { value: '2020-01-01' } }] })).toEqual([['true']]);
  });

  test('joins on equal types, UPDATE assignments and MERGE conditions are unchanged', async () => {
    await engine.query('CREATE SCHEMA cmp', opts);
    await engine.query("CREATE TABLE cmp.t AS SELECT 1 AS k, 'a' AS v UNION ALL SELECT 2, 'b'", opts);
    expect(await values('SELECT a.v, b.v FROM cmp.t AS a JOIN cmp.t AS b ON a.k = b.k ORDER BY a.k')).toEqual([['a', 'a'], ['b', 'b']]);
    await engine.query("UPDATE cmp.t SET v = 'c' WHERE k = 2", opts);
    await engine.query("MERGE cmp.t AS t USING (SELECT 1 AS k, 'z' AS v) AS s ON t.k = s.k WHEN MATCHED THEN UPDATE SET v = s.v", opts);
    expect(await values('SELECT k, v FROM cmp.t ORDER BY k')).toEqual([['1', 'z'], ['2', 'c']]);
    // the conditions of an UPDATE and a MERGE are checked; their assignments are not comparisons
    await expect(engine.query("UPDATE cmp.t SET v = 'd' WHERE k = '2'", opts)).rejects.toThrow(refused('INT64, STRING'));
    await expect(engine.query("MERGE cmp.t AS t USING (SELECT '1' AS k) AS s ON t.k = s.k WHEN MATCHED THEN UPDATE SET v = 'y'", opts)).rejects.toThrow(refused('INT64, STRING'));
    await engine.query("UPDATE cmp.t SET v = 'e', k = k WHERE k = 2 AND v = 'c'", opts);
    expect(await values('SELECT v FROM cmp.t WHERE k = 2')).toEqual([['e']]);
  });
});
